#!/usr/bin/env python3
"""Writes nn/src/test/resources/goldens/layer_extras.safetensors: the layer behaviours that the module registry
(gen_nn_goldens.py / nn_layer_cases.py) cannot reach, from PyTorch 1.13. Mirrored case by case by
nn/src/test/java/dev/jtorch/nn/LayerExtrasTest.java. Run through tools/parity/run.sh.

Layout (see main): metadata "case.NAME" -> the group of the case and where its parts lie in the flat tensors
(the Java test has one constructor or call per case name and checks that both sides hold the same names); the
parts of a case, float64 unless said otherwise:
  x, x1, ... inputs (float64 inputs get gradients when a grad_x... exists), o0, o1, ... other inputs (indices,
  offsets), out (and indices, int64), grad_x... and grad.PARAM (gradients of sum(out * gout), gout from
  grad_out(), which the Java test computes alike), state.KEY (the module's state dict before the call, loaded by
  the Java test), after.KEY (buffers or weights after the call).
Other metadata "NAME.KEY" holds flags (requires_grad), values the module derived (padding_idx) and the call's
arguments (pad, mode, value, args), which the Java test checks against the ones it types.

Groups:
  convT      ConvTranspose1d/2d/3d forward(input, output_size) at both ends of the valid range, unbatched too
             (output_size as an int64 tensor).
  indices    max pooling with return_indices (MaxPool, AdaptiveMaxPool, FractionalMaxPool with given
             _random_samples, F.max_pool2d), ties and NaN, and MaxUnpool fed PyTorch's indices with an
             explicit output_size.
  unbatched  pooling, padding, instance norm, convolution and fold layers on inputs without a batch dim.
  embedding  Embedding.from_pretrained (freeze), max_norm renormalising the weight in place, negative
             padding_idx, F.embedding, F.embedding_bag (per_sample_weights, include_last_offset), F.one_hot,
             F.normalize.
  stats      BatchNorm over three training steps (momentum 0.1, 0.3 and None) then eval; InstanceNorm with
             running statistics over two steps then eval (stepK.x, stepK.out, after.KEY = the state dict after
             the steps, then x, out and the gradients in eval mode).
  pad        F.pad in every mode (constant with a value and negative pads, reflect, replicate, circular with
             negative pads) in 1-d/2-d/3-d, with gradients.
  lowp       Conv2d, BatchNorm2d (eval) and MaxPool2d on float16 and bfloat16 inputs: x and the state in that
             dtype, ref = PyTorch's float32 result on the same (rounded) values; native = PyTorch's own
             bfloat16 result (PyTorch 1.13 has no float16 CPU kernels for these three).
  train      a Sequential CNN trained 3 SGD steps: state before, batches, losses, state after, eval output.
"""
import os
import sys
import warnings

import torch
import torch.nn as nn
import torch.nn.functional as F
from safetensors.torch import save_file

OUT = sys.argv[1] if len(sys.argv) > 1 else "nn/src/test/resources/goldens"
os.makedirs(OUT, exist_ok=True)
warnings.simplefilter("ignore")
torch.set_default_dtype(torch.float32)

META = {}
PARTS = {}  # case name -> {key: tensor}, written into one flat tensor per dtype (see main)
D = torch.float64


def put(name, key, t):
    parts = PARTS.setdefault(name, {})
    assert key not in parts, (name, key)
    parts[key] = t.detach().clone().contiguous()


def grad_out(shape):
    """The output gradient of every case: ((7 k) mod 11 - 5) / 4 at flat position k, exact in float64 (the Java
    test computes the same)."""
    n = 1
    for s in shape:
        n *= s
    k = torch.arange(n, dtype=torch.long)
    return ((k * 7 % 11 - 5).to(D) / 4).reshape(shape)


def part(name, key):
    return PARTS[name][key]


def new_case(name, group):
    assert "case." + name not in META, name
    META["case." + name] = group
    torch.manual_seed(len([k for k in META if k.startswith("case.")]))


def randn(*shape):
    return torch.randn(*shape, dtype=D)


def longs(*v):
    return torch.tensor(v, dtype=torch.long)


def module_case(name, group, m, xs, call=None, train=False, setup=None):
    """m(*xs) in float64: state before, inputs, out (and indices), gradients, buffers after (train)."""
    new_case(name, group)
    m = m.double()
    if setup is not None:
        with torch.no_grad():
            setup(m)
    m.train(train)
    for k, v in m.state_dict().items():
        put(name, "state." + k, v)
    xs = [x.detach().clone() for x in xs]
    for i, x in enumerate(xs):
        if x.is_floating_point():
            x.requires_grad_()
        put(name, "x" if i == 0 else f"x{i}", x)
    y = call(m, *xs) if call is not None else m(*xs)
    if isinstance(y, tuple):
        y, idx = y
        put(name, "indices", idx)
    put(name, "out", y)
    if train:
        for k, v in m.named_buffers():
            put(name, "after." + k, v)
    if y.requires_grad:
        gout = grad_out(y.shape)
        y.backward(gout)
        for i, x in enumerate(xs):
            if x.requires_grad:
                put(name, "grad_x" if i == 0 else f"grad_x{i}", x.grad)
        for k, p in m.named_parameters():
            if p.grad is not None:
                put(name, "grad." + k, p.grad)
    return m


def random_affine(m):
    m.weight.uniform_(0.5, 1.5)
    m.bias.uniform_(-0.5, 0.5)


def random_stats(m):
    m.running_mean.uniform_(-1, 1)
    m.running_var.uniform_(0.5, 2)


def random_bn(m):
    random_affine(m)
    random_stats(m)


# ------------------------------------------------------------------ ConvTranspose forward(input, output_size)

def size_range(m, x, nd):
    """PyTorch's min and max output sizes (_ConvTransposeNd._output_padding)."""
    lead = x.dim() - nd
    lo = [(x.size(lead + d) - 1) * m.stride[d] - 2 * m.padding[d] + m.dilation[d] * (m.kernel_size[d] - 1) + 1
          for d in range(nd)]
    return lo, [v + m.stride[d] - 1 for d, v in enumerate(lo)]


def convT_case(name, ctor, shape, which, full=False):
    torch.manual_seed(5)
    m = ctor()
    nd = len(m.kernel_size)
    x = randn(*shape)
    lo, hi = size_range(m, x, nd)
    size = {"min": lo, "max": hi, "mixed": [lo[d] if d % 2 == 0 else hi[d] for d in range(nd)]}[which]
    if full:
        size = list(x.shape[:x.dim() - nd - 1]) + [m.out_channels] + size
    module_case(name, "convT", m, [x], call=lambda mm, xx: mm(xx, output_size=size))
    put(name, "output_size", torch.tensor(size, dtype=torch.long))


CT1 = lambda: nn.ConvTranspose1d(2, 3, 3, stride=3, padding=1)  # noqa: E731
CT2 = lambda: nn.ConvTranspose2d(2, 2, (3, 2), stride=(2, 3), padding=(1, 0), dilation=(1, 2))  # noqa: E731
CT2G = lambda: nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1, output_padding=1, groups=2)  # noqa: E731
CT3 = lambda: nn.ConvTranspose3d(2, 1, (2, 3, 2), stride=(2, 1, 3), padding=(0, 1, 1))  # noqa: E731
convT_case("convT1d_min", CT1, (2, 2, 4), "min")
convT_case("convT1d_max", CT1, (2, 2, 4), "max")
convT_case("convT1d_unbatched_max", CT1, (2, 4), "max")
convT_case("convT1d_unbatched_full", CT1, (2, 4), "min", full=True)
convT_case("convT2d_min", CT2, (2, 2, 2, 3), "min")
convT_case("convT2d_max", CT2, (1, 2, 2, 3), "max")
convT_case("convT2d_mixed", CT2, (1, 2, 2, 3), "mixed")
convT_case("convT2d_full_max", CT2, (1, 2, 2, 3), "max", full=True)
convT_case("convT2d_unbatched_max", CT2, (2, 2, 3), "max")
convT_case("convT2d_groups_outpad_min", CT2G, (1, 4, 2, 3), "min")
convT_case("convT3d_min", CT3, (1, 2, 2, 3, 2), "min")
convT_case("convT3d_max", CT3, (1, 2, 2, 3, 2), "max")
convT_case("convT3d_unbatched_mixed", CT3, (2, 2, 3, 2), "mixed")


# ------------------------------------------------------------------ max pooling indices

def ties(*shape):
    return torch.randint(0, 3, shape).to(D)


def with_nans(*shape):
    x = randn(*shape)
    x.view(-1)[torch.randperm(x.numel())[:3]] = float("nan")
    return x


def samples(n, c, k):
    return torch.rand(n, c, k, dtype=D)


module_case("maxpool1d_idx", "indices",
            nn.MaxPool1d(3, stride=2, padding=1, dilation=2, ceil_mode=True, return_indices=True), [randn(1, 2, 11)])
module_case("maxpool2d_idx", "indices",
            nn.MaxPool2d((3, 2), stride=(2, 1), padding=(1, 1), dilation=(1, 2), ceil_mode=True, return_indices=True),
            [randn(1, 1, 7, 8)])
module_case("maxpool2d_ties", "indices", nn.MaxPool2d(2, stride=1, return_indices=True), [ties(1, 1, 5, 5)])
module_case("maxpool2d_nan", "indices", nn.MaxPool2d(2, return_indices=True), [with_nans(1, 2, 4, 6)])
module_case("maxpool2d_unbatched_idx", "indices", nn.MaxPool2d(3, stride=2, padding=1, return_indices=True),
            [randn(2, 5, 6)])
module_case("maxpool3d_idx", "indices",
            nn.MaxPool3d((2, 3, 2), stride=(1, 2, 2), padding=(1, 1, 0), dilation=(1, 1, 2), ceil_mode=True,
                         return_indices=True), [randn(1, 1, 3, 5, 5)])
module_case("maxpool3d_unbatched_idx", "indices", nn.MaxPool3d(2, stride=(1, 2, 2), padding=1, return_indices=True),
            [randn(1, 3, 4, 5)])
module_case("adaptivemax1d_idx", "indices", nn.AdaptiveMaxPool1d(4, return_indices=True), [randn(1, 2, 10)])
module_case("adaptivemax2d_idx", "indices", nn.AdaptiveMaxPool2d((3, None), return_indices=True),
            [randn(1, 2, 7, 5)])
module_case("adaptivemax2d_overlap_idx", "indices", nn.AdaptiveMaxPool2d((5, 3), return_indices=True),
            [randn(1, 2, 7, 5)])
module_case("adaptivemax2d_ties", "indices", nn.AdaptiveMaxPool2d(3, return_indices=True), [ties(1, 1, 7, 8)])
module_case("adaptivemax2d_nan", "indices", nn.AdaptiveMaxPool2d(2, return_indices=True), [with_nans(1, 2, 5, 4)])
module_case("adaptivemax3d_idx", "indices", nn.AdaptiveMaxPool3d((2, 3, 2), return_indices=True),
            [randn(1, 1, 5, 4, 4)])
module_case("adaptivemax3d_unbatched_idx", "indices", nn.AdaptiveMaxPool3d(2, return_indices=True),
            [randn(1, 5, 4, 3)])
module_case("fracmax2d_idx", "indices",
            nn.FractionalMaxPool2d(2, output_size=(4, 3), return_indices=True, _random_samples=samples(1, 2, 2)),
            [randn(1, 2, 7, 6)])
module_case("fracmax2d_ratio_idx", "indices",
            nn.FractionalMaxPool2d((3, 2), output_ratio=(0.5, 0.6), return_indices=True,
                                   _random_samples=samples(1, 1, 2)), [randn(1, 1, 9, 8)])
module_case("fracmax2d_unbatched_idx", "indices",
            nn.FractionalMaxPool2d(3, output_size=4, return_indices=True, _random_samples=samples(1, 2, 2)),
            [randn(2, 7, 6)])
module_case("fracmax2d_ties", "indices",
            nn.FractionalMaxPool2d(2, output_size=(5, 4), return_indices=True, _random_samples=samples(1, 1, 2)),
            [ties(1, 1, 9, 7)])
module_case("fracmax3d_idx", "indices",
            nn.FractionalMaxPool3d(2, output_size=(2, 3, 2), return_indices=True, _random_samples=samples(1, 1, 3)),
            [randn(1, 1, 4, 5, 4)])
module_case("fracmax3d_ratio_idx", "indices",
            nn.FractionalMaxPool3d((2, 3, 2), output_ratio=0.5, return_indices=True, _random_samples=samples(1, 1, 3)),
            [randn(1, 1, 4, 6, 4)])


def fmax2d(name, x, kernel, stride, padding, dilation, ceil):
    new_case(name, "indices")
    x = x.detach().clone().requires_grad_()
    put(name, "x", x)
    y, idx = F.max_pool2d(x, kernel, stride, padding, dilation, ceil, return_indices=True)
    put(name, "out", y)
    put(name, "indices", idx)
    gout = grad_out(y.shape)
    y.backward(gout)
    put(name, "grad_x", x.grad)


fmax2d("F_maxpool2d_idx", randn(1, 2, 5, 8), (2, 3), (2, 2), (1, 1), 1, False)
fmax2d("F_maxpool2d_default_stride_idx", randn(1, 2, 6, 7), 2, None, 0, 1, False)
fmax2d("F_maxpool2d_dilated_ceil_idx", randn(1, 1, 9, 8), 3, 2, 1, (2, 1), True)


def unpool_case(name, nd, pool_kernel, pool_stride, pool_padding, shape, size_of):
    """MaxUnpool fed the indices of PyTorch's max pooling of a random input, with an explicit output_size."""
    pool = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}[nd]
    unpool = {1: nn.MaxUnpool1d, 2: nn.MaxUnpool2d, 3: nn.MaxUnpool3d}[nd]
    src = randn(*shape)
    pooled, idx = pool(src, pool_kernel, pool_stride, pool_padding, return_indices=True)
    size = size_of(src)
    m = unpool(pool_kernel, pool_stride, pool_padding)
    module_case(name, "indices", m, [pooled, idx], call=lambda mm, x, i: mm(x, i, output_size=size))
    put(name, "output_size", torch.tensor(size, dtype=torch.long))


unpool_case("unpool2d_outsize", 2, 2, 2, 0, (1, 2, 7, 9), lambda s: list(s.shape[-2:]))
unpool_case("unpool2d_outsize_full", 2, 2, 2, 0, (1, 1, 5, 7), lambda s: list(s.shape))
unpool_case("unpool2d_padded_outsize", 2, 3, 2, 1, (1, 1, 7, 8), lambda s: list(s.shape[-2:]))
unpool_case("unpool2d_unbatched_outsize", 2, 2, 2, 0, (2, 5, 7), lambda s: list(s.shape[-2:]))
unpool_case("unpool1d_outsize", 1, 2, 2, 0, (1, 2, 9), lambda s: list(s.shape[-1:]))
unpool_case("unpool3d_outsize", 3, 2, 2, 0, (1, 1, 5, 4, 5), lambda s: list(s.shape[-3:]))


# ------------------------------------------------------------------ unbatched inputs

def unbatched(name, m, shape, setup=None, train=False):
    module_case(name, "unbatched", m, [randn(*shape)], setup=setup, train=train)


unbatched("u_maxpool1d", nn.MaxPool1d(3, stride=2, padding=1), (2, 9))
unbatched("u_avgpool1d", nn.AvgPool1d(3, stride=2, padding=1, count_include_pad=False), (2, 8))
unbatched("u_maxpool2d", nn.MaxPool2d((2, 3), stride=(2, 2), ceil_mode=True), (2, 5, 7))
unbatched("u_avgpool2d", nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True, count_include_pad=False), (1, 7, 6))
unbatched("u_avgpool2d_divisor", nn.AvgPool2d((2, 3), divisor_override=4), (2, 4, 6))
unbatched("u_maxpool3d", nn.MaxPool3d(2, stride=(1, 2, 2), padding=1), (1, 3, 4, 5))
unbatched("u_avgpool3d", nn.AvgPool3d((2, 3, 2), stride=2, padding=1), (1, 4, 5, 3))
unbatched("u_lppool1d", nn.LPPool1d(2, 3, stride=2), (2, 9))
unbatched("u_lppool2d", nn.LPPool2d(2, (2, 3), stride=1), (1, 4, 6))
unbatched("u_adaptiveavg1d", nn.AdaptiveAvgPool1d(4), (2, 10))
unbatched("u_adaptiveavg2d", nn.AdaptiveAvgPool2d((3, 4)), (1, 7, 5))
unbatched("u_adaptiveavg3d", nn.AdaptiveAvgPool3d((2, 3, 2)), (1, 5, 4, 3))
unbatched("u_adaptivemax2d", nn.AdaptiveMaxPool2d(3), (1, 7, 5))
unbatched("u_adaptivemax3d", nn.AdaptiveMaxPool3d((3, 2, 2)), (1, 5, 4, 3))
unbatched("u_reflectionpad1d", nn.ReflectionPad1d(2), (3, 5))
unbatched("u_reflectionpad2d", nn.ReflectionPad2d((1, 2, 3, 0)), (1, 4, 5))
unbatched("u_reflectionpad3d", nn.ReflectionPad3d(1), (1, 2, 3, 2))
unbatched("u_replicationpad1d", nn.ReplicationPad1d((3, 1)), (3, 4))
unbatched("u_replicationpad2d", nn.ReplicationPad2d(2), (1, 3, 3))
unbatched("u_replicationpad3d", nn.ReplicationPad3d((1, 1, 2, 2, 0, 1)), (1, 2, 3, 3))
unbatched("u_constantpad1d", nn.ConstantPad1d(2, 3.5), (3, 4))
unbatched("u_constantpad1d_1d", nn.ConstantPad1d((1, 2), -1.0), (5,))
unbatched("u_constantpad2d", nn.ConstantPad2d((1, 0, 2, 1), -1.5), (1, 3, 3))
unbatched("u_constantpad3d", nn.ConstantPad3d(1, 0.5), (1, 2, 2, 2))
unbatched("u_zeropad2d", nn.ZeroPad2d((1, 1, 2, 0)), (1, 3, 3))
unbatched("u_instancenorm1d", nn.InstanceNorm1d(3), (3, 6))
unbatched("u_instancenorm2d_affine", nn.InstanceNorm2d(2, affine=True), (2, 3, 4), setup=random_affine)
unbatched("u_instancenorm3d", nn.InstanceNorm3d(2), (2, 2, 3, 3))
unbatched("u_instancenorm2d_track_train", nn.InstanceNorm2d(2, track_running_stats=True), (2, 3, 4), train=True)
unbatched("u_instancenorm1d_track_eval", nn.InstanceNorm1d(2, track_running_stats=True), (2, 6), setup=random_stats)
unbatched("u_conv1d", nn.Conv1d(3, 2, 3, padding=1), (3, 7))
unbatched("u_conv2d", nn.Conv2d(2, 3, 3, stride=2, padding=1), (2, 5, 4))
unbatched("u_conv2d_reflect", nn.Conv2d(2, 2, 3, padding=1, padding_mode="reflect"), (2, 4, 4))
unbatched("u_conv2d_replicate_same", nn.Conv2d(2, 2, (2, 3), padding="same", padding_mode="replicate"), (2, 3, 4))
unbatched("u_conv3d", nn.Conv3d(2, 2, (2, 3, 2), padding=(1, 0, 1)), (2, 2, 4, 2))
unbatched("u_convT1d", nn.ConvTranspose1d(3, 2, 3, stride=2, padding=1, output_padding=1), (3, 5))
unbatched("u_convT2d", nn.ConvTranspose2d(2, 2, 3, stride=2), (2, 2, 3))
unbatched("u_convT3d", nn.ConvTranspose3d(2, 1, 2, stride=2), (2, 2, 2, 2))
unbatched("u_unfold", nn.Unfold((2, 3), padding=1, stride=(2, 1)), (1, 4, 5))
unbatched("u_fold", nn.Fold((3, 5), 2), (4, 8))


# ------------------------------------------------------------------ embedding, one_hot, normalize

def emb_pretrained(name, freeze, padding_idx=None, max_norm=None):
    new_case(name, "embedding")
    w = randn(5, 3) * 1.5
    idx = longs(1, 3, 3, 0, 4, 1)
    m = nn.Embedding.from_pretrained(w.clone(), freeze=freeze, padding_idx=padding_idx, max_norm=max_norm)
    put(name, "weight", w)
    put(name, "idx", idx)
    META[name + ".requires_grad"] = str(m.weight.requires_grad)
    y = m(idx)
    put(name, "out", y)
    put(name, "after.weight", m.weight)
    if y.requires_grad:
        gout = grad_out(y.shape)
        y.backward(gout)
        put(name, "grad.weight", m.weight.grad)


emb_pretrained("emb_pretrained_frozen", True)
emb_pretrained("emb_pretrained_trainable_padding", False, padding_idx=1)
emb_pretrained("emb_pretrained_frozen_maxnorm", True, max_norm=1.0)


def emb_module(name, m, idx, scale=1.0):
    """An Embedding with a given (scaled) table; the weight after the forward (max_norm renormalises it)."""
    new_case(name, "embedding")
    m = m.double()
    with torch.no_grad():
        m.weight.mul_(scale)
    for k, v in m.state_dict().items():
        put(name, "state." + k, v)
    put(name, "idx", idx)
    y = m(idx)
    put(name, "out", y)
    put(name, "after.weight", m.weight)
    gout = grad_out(y.shape)
    y.backward(gout)
    put(name, "grad.weight", m.weight.grad)
    META[name + ".padding_idx"] = str(m.padding_idx)


emb_module("emb_maxnorm_l2", nn.Embedding(6, 4, max_norm=1.0), longs(0, 3, 3, 5, 1), scale=1.5)
emb_module("emb_maxnorm_p1", nn.Embedding(6, 4, max_norm=2.0, norm_type=1.0), longs([2, 3], [3, 0]), scale=1.2)
emb_module("emb_maxnorm_p3", nn.Embedding(6, 4, max_norm=0.7, norm_type=3.0), longs(5, 4, 4, 2, 0), scale=1.0)
emb_module("emb_negative_padding", nn.Embedding(7, 3, padding_idx=-2), longs([5, 1, 5], [0, 6, 2]))
emb_module("emb_negative_padding_scale", nn.Embedding(7, 3, padding_idx=-1, scale_grad_by_freq=True),
           longs(6, 2, 2, 6, 1, 2))


def emb_init(name):
    """Embedding(7, 3, padding_idx=-2) after torch.manual_seed(0): N(0, 1) rows, the padding row (5) zeros."""
    new_case(name, "embedding")
    torch.manual_seed(0)
    m = nn.Embedding(7, 3, padding_idx=-2)
    put(name, "init.weight", m.weight)
    META[name + ".padding_idx"] = str(m.padding_idx)


emb_init("emb_negative_padding_init")


def functional(name, fn, floats, others=(), group="embedding"):
    """fn(*floats, *others) with gradients for the float inputs (x, x1, ...; others are o0, o1, ...)."""
    new_case(name, group)
    floats = [f.detach().clone().requires_grad_() for f in floats]
    for i, f in enumerate(floats):
        put(name, "x" if i == 0 else f"x{i}", f)
    for i, o in enumerate(others):
        if o is not None:
            put(name, f"o{i}", o)
    y = fn(*floats, *others)
    put(name, "out", y)
    if y.requires_grad:
        gout = grad_out(y.shape)
        grads = torch.autograd.grad(y, floats, gout)
        for i, g in enumerate(grads):
            put(name, "grad_x" if i == 0 else f"grad_x{i}", g)


W7 = lambda: randn(7, 3)  # noqa: E731
functional("F_embedding", lambda w, i: F.embedding(i, w), [W7()], [longs([1, 4, 4], [0, 6, 2])])
functional("F_embedding_negative_padding", lambda w, i: F.embedding(i, w, padding_idx=-1), [W7()],
           [longs(6, 2, 6, 0)])
functional("F_embedding_padding_scale", lambda w, i: F.embedding(i, w, padding_idx=0, scale_grad_by_freq=True),
           [W7()], [longs(0, 3, 3, 0, 5, 3)])


def bag(w, psw, i, off, **kw):
    return F.embedding_bag(i, w, off, per_sample_weights=psw, **kw)


IDX8 = longs(1, 4, 4, 0, 6, 2, 1, 4)
functional("F_bag_sum_psw", lambda w, p, i, o: bag(w, p, i, o, mode="sum"), [W7(), randn(8)],
           [IDX8, longs(0, 3, 3, 6)])
functional("F_bag_sum_psw_last", lambda w, p, i, o: bag(w, p, i, o, mode="sum", include_last_offset=True),
           [W7(), randn(8)], [IDX8, longs(0, 3, 5, 8)])
functional("F_bag_sum_psw_padding", lambda w, p, i, o: bag(w, p, i, o, mode="sum", padding_idx=4),
           [W7(), randn(8)], [IDX8, longs(0, 2, 5)])
functional("F_bag_sum_psw_2d", lambda w, p, i: F.embedding_bag(i, w, mode="sum", per_sample_weights=p),
           [W7(), randn(2, 4)], [IDX8.reshape(2, 4)])
functional("F_bag_mean_last_empty", lambda w, i, o: F.embedding_bag(i, w, o, mode="mean", include_last_offset=True),
           [W7()], [IDX8, longs(0, 3, 3, 7, 8)])
functional("F_bag_max_last", lambda w, i, o: F.embedding_bag(i, w, o, mode="max", include_last_offset=True),
           [W7()], [IDX8, longs(0, 2, 6, 8)])
functional("F_bag_mean_padding", lambda w, i, o: F.embedding_bag(i, w, o, mode="mean", padding_idx=1),
           [W7()], [IDX8, longs(0, 1, 4)])


def one_hot(name, t, num_classes=None):
    new_case(name, "embedding")
    put(name, "o0", t)
    put(name, "out", F.one_hot(t) if num_classes is None else F.one_hot(t, num_classes))
    if num_classes is not None:
        META[name + ".num_classes"] = str(num_classes)


one_hot("one_hot_inferred", longs([0, 3, 1], [2, 2, 0]))
one_hot("one_hot_classes", longs([0, 3, 1], [2, 2, 0]), 6)
one_hot("one_hot_scalar", torch.tensor(2), 4)
one_hot("one_hot_empty", torch.zeros(0, 3, dtype=torch.long), 5)


def normalize(name, shape, p, dim, eps=1e-12, zero_slice=False):
    x = randn(*shape)
    if zero_slice:
        x.select(dim, 1).zero_()
    functional(name, lambda t: F.normalize(t, p=p, dim=dim, eps=eps), [x])
    META[name + ".args"] = f"{p!r},{dim},{eps!r}"


normalize("normalize_p2_dim1", (3, 4, 5), 2.0, 1)
normalize("normalize_p1_dim0", (3, 4, 5), 1.0, 0)
normalize("normalize_p3_dimlast", (3, 4, 5), 3.0, -1)
normalize("normalize_p2_dim2", (2, 3, 4), 2.0, 2)
normalize("normalize_p1_dim1_eps", (4, 3), 1.0, 1, eps=0.9)
normalize("normalize_p2_zero_row", (3, 4), 2.0, 0, zero_slice=True)
normalize("normalize_p3_zero_row", (3, 4), 3.0, 1, zero_slice=True)
normalize("normalize_pinf_dim1", (2, 5, 3), float("inf"), 1)


# ------------------------------------------------------------------ running statistics over several steps

def stats_case(name, m, shapes, eval_shape, setup=random_affine):
    new_case(name, "stats")
    m = m.double()
    if setup is not None and m.affine:
        with torch.no_grad():
            setup(m)
    for k, v in m.state_dict().items():
        put(name, "state." + k, v)
    m.train()
    for s, shape in enumerate(shapes):
        x = randn(*shape) * 2 + 0.5
        put(name, f"step{s}.x", x)
        put(name, f"step{s}.out", m(x))
    for k, v in m.state_dict().items():
        put(name, "after." + k, v)
    m.eval()
    x = randn(*eval_shape).requires_grad_()
    put(name, "x", x)
    y = m(x)
    put(name, "out", y)
    gout = grad_out(y.shape)
    y.backward(gout)
    put(name, "grad_x", x.grad)
    for k, p in m.named_parameters():
        put(name, "grad." + k, p.grad)


stats_case("bn2d_momentum_3steps", nn.BatchNorm2d(2), [(2, 2, 3, 3), (3, 2, 2, 2), (2, 2, 2, 3)], (1, 2, 3, 3))
stats_case("bn2d_cumulative_3steps", nn.BatchNorm2d(2, momentum=None), [(2, 2, 3, 3), (3, 2, 2, 2), (2, 2, 2, 3)],
           (1, 2, 3, 3))
stats_case("bn1d_3steps_mixed_shapes", nn.BatchNorm1d(4, eps=1e-3, momentum=0.3), [(5, 4), (3, 4, 2), (6, 4)],
           (2, 4, 3))
stats_case("bn3d_cumulative_noaffine", nn.BatchNorm3d(2, momentum=None, affine=False),
           [(2, 2, 2, 2, 2), (1, 2, 3, 2, 2), (3, 2, 2, 1, 2)], (1, 2, 2, 2, 2))
stats_case("in2d_track_2steps", nn.InstanceNorm2d(3, affine=True, track_running_stats=True),
           [(2, 3, 2, 4), (1, 3, 3, 3)], (1, 3, 2, 3))
stats_case("in1d_track_2steps_unbatched", nn.InstanceNorm1d(2, momentum=0.2, track_running_stats=True),
           [(4, 2, 5), (2, 6)], (2, 7))


# ------------------------------------------------------------------ F.pad

def pad_case(name, shape, pad, mode, value=None):
    kw = {} if value is None else {"value": value}
    functional(name, lambda x: F.pad(x, pad, mode=mode, **kw), [randn(*shape)], group="pad")
    META[name + ".pad"] = ",".join(str(p) for p in pad)
    META[name + ".mode"] = mode
    if value is not None:
        META[name + ".value"] = repr(value)


pad_case("pad_constant1d_neg", (1, 2, 5), (2, -1), "constant", 1.5)
pad_case("pad_constant2d_neg", (1, 1, 4, 5), (1, -2, -1, 2), "constant", -0.5)
pad_case("pad_constant3d_neg", (1, 1, 3, 4, 3), (1, 0, -1, 2, 0, 1), "constant", 2.0)
pad_case("pad_constant_all_dims", (3, 4), (1, -1, 2, 0), "constant", 1.5)
pad_case("pad_constant_channels", (1, 2, 3, 2), (1, 1, 0, 1, 2, 1), "constant", -2.0)
pad_case("pad_constant_default", (2, 3), (2, 1), "constant")
pad_case("pad_reflect1d", (1, 2, 5), (3, 4), "reflect")
pad_case("pad_reflect1d_unbatched", (2, 5), (2, 1), "reflect")
pad_case("pad_reflect1d_neg", (1, 2, 5), (-1, 2), "reflect")
pad_case("pad_reflect2d", (1, 1, 4, 5), (1, 3, 2, 3), "reflect")
pad_case("pad_reflect2d_unbatched", (1, 4, 5), (0, 4, 3, 1), "reflect")
pad_case("pad_reflect2d_neg", (1, 1, 4, 5), (-1, 2, 1, -2), "reflect")
pad_case("pad_reflect3d", (1, 1, 3, 3, 3), (1, 2, 0, 2, 2, 0), "reflect")
pad_case("pad_reflect3d_unbatched", (1, 3, 3, 3), (2, 0, 1, 1, 1, 2), "reflect")
pad_case("pad_replicate1d", (1, 2, 4), (5, 2), "replicate")
pad_case("pad_replicate1d_neg", (1, 2, 5), (-2, 3), "replicate")
pad_case("pad_replicate2d", (1, 1, 3, 3), (2, 0, 4, 1), "replicate")
pad_case("pad_replicate2d_unbatched", (1, 3, 3), (1, 3, 0, 2), "replicate")
pad_case("pad_replicate3d", (1, 1, 2, 3, 3), (1, 1, 2, 1, 2, 1), "replicate")
pad_case("pad_circular1d", (1, 2, 4), (2, 4), "circular")
pad_case("pad_circular1d_neg", (1, 2, 5), (-1, 2), "circular")
pad_case("pad_circular1d_neg_both", (1, 2, 5), (-1, -2), "circular")
pad_case("pad_circular2d", (1, 1, 3, 4), (1, 2, 3, 0), "circular")
pad_case("pad_circular2d_neg", (1, 1, 4, 5), (2, -1, -1, 3), "circular")
pad_case("pad_circular3d", (1, 1, 2, 3, 3), (1, 1, 2, 0, 1, 2), "circular")
pad_case("pad_circular3d_neg", (1, 1, 3, 4, 3), (2, -1, -1, 2, 1, -1), "circular")


# ------------------------------------------------------------------ float16 / bfloat16

def lowp_case(name, m, shape, dtype, setup=None, lo=None):
    """m in dtype on a dtype input: state and x in dtype; ref = PyTorch's float32 result on the same values."""
    new_case(name, "lowp")
    m = m.double()
    if setup is not None:
        with torch.no_grad():
            setup(m)
    m.eval()
    m = m.to(dtype)
    for k, v in m.state_dict().items():
        put(name, "state." + k, v)
    x = randn(*shape).to(dtype)
    put(name, "x", x)
    ref = m.float()
    with torch.no_grad():
        r = ref(x.float())
    if isinstance(r, tuple):
        r, idx = r
        put(name, "indices", idx)
    put(name, "ref", r)
    m = m.to(dtype)
    try:
        with torch.no_grad():
            native = m(x)
    except RuntimeError:
        native = None  # PyTorch 1.13 lacks the CPU kernel in this dtype
    if native is not None:
        if isinstance(native, tuple):
            native = native[0]
        assert native.dtype == dtype
        put(name, "native", native)


lowp_case("conv2d_float16", nn.Conv2d(3, 4, 3, padding=1), (1, 3, 5, 6), torch.float16)
lowp_case("conv2d_bfloat16", nn.Conv2d(3, 4, 3, padding=1), (1, 3, 5, 6), torch.bfloat16)
lowp_case("batchnorm2d_eval_float16", nn.BatchNorm2d(3), (2, 3, 4, 4), torch.float16, setup=random_bn)
lowp_case("batchnorm2d_eval_bfloat16", nn.BatchNorm2d(3), (2, 3, 4, 4), torch.bfloat16, setup=random_bn)
lowp_case("maxpool2d_float16", nn.MaxPool2d(3, stride=2, padding=1, return_indices=True), (1, 3, 7, 8),
          torch.float16)
lowp_case("maxpool2d_bfloat16", nn.MaxPool2d(3, stride=2, padding=1, return_indices=True), (1, 3, 7, 8),
          torch.bfloat16)


# ------------------------------------------------------------------ a small CNN trained 3 SGD steps

def cnn():
    return nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                         nn.Linear(4 * 3 * 3, 3))


def train_case(name):
    new_case(name, "train")
    torch.manual_seed(42)
    m = cnn().double()
    for k, v in m.state_dict().items():
        put(name, "state." + k, v)
    opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-3)
    losses = []
    for s in range(3):
        x = randn(4, 1, 6, 6)
        y = torch.randint(0, 3, (4,))
        put(name, f"step{s}.x", x)
        put(name, f"step{s}.y", y)
        opt.zero_grad()
        loss = F.cross_entropy(m(x), y)
        loss.backward()
        opt.step()
        losses.append(loss.detach())
    put(name, "losses", torch.stack(losses))
    for k, v in m.state_dict().items():
        put(name, "after." + k, v)
    m.eval()
    with torch.no_grad():
        put(name, "eval.out", m(part(name, "step0.x")))


train_case("cnn_sgd_3steps")


DTYPES = {torch.float64: "f64", torch.int64: "i64", torch.float32: "f32", torch.float16: "f16",
          torch.bfloat16: "bf16"}


def main():
    """One flat tensor per dtype (f64, i64, f32, f16, bf16: a small header) holding every part of every case;
    "case.NAME" becomes GROUP|PARTS, PARTS listing the case's parts as KEY[:DTYPE]@OFFSET=SHAPE separated by ';'
    (DTYPE f64 when absent, OFFSET in elements of that flat tensor, SHAPE empty for a scalar)."""
    flat = {d: [] for d in DTYPES.values()}
    used = {d: 0 for d in DTYPES.values()}
    for name, parts in PARTS.items():
        assert "case." + name in META, name
        spec = []
        for key, t in parts.items():
            d = DTYPES[t.dtype]
            spec.append(f"{key}{'' if d == 'f64' else ':' + d}@{used[d]}=" + ",".join(str(v) for v in t.shape))
            flat[d].append(t.reshape(-1))
            used[d] += t.numel()
        META["case." + name] += "|" + ";".join(spec)
    n = len([k for k in META if k.startswith("case.")])
    assert n == len(PARTS)
    META["cases"] = str(n)
    tensors = {d: torch.cat(ts).contiguous() for d, ts in flat.items() if ts}
    path = os.path.join(OUT, "layer_extras.safetensors")
    save_file(tensors, path, metadata=META)
    print(f"layer extras: {n} cases, {sum(len(p) for p in PARTS.values())} parts, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()

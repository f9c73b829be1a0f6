"""The convolution, pooling, padding, normalization, sparse, distance, vision, attention and transformer cases of the nn module
registry (imported by gen_nn_goldens.py; mirrored by ModuleCases.java).

Each case: (constructor, [input spec], train mode, setup). An input spec is a shape (float64 randn that
requires grad) or (maker, requires grad). setup(m) runs on the float64 module before the state is recorded
(e.g. random running statistics for eval-mode batch norm). Cases whose name ends in _train run in training
mode after torch.manual_seed(11) (random draws, or batch statistics); their buffers after the one forward are
recorded as <name>.after.<key>.

Modules that PyTorch 1.13 lacks (RMSNorm, CircularPad1d/2d/3d, ZeroPad1d/3d) are defined here by their
formula or functional equivalent, with current PyTorch's repr; ZeroPad2d too, for the current repr.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F


class RMSNorm(nn.Module):
    """PyTorch 2.4's RMSNorm by its formula: x * rsqrt(mean(x^2) + eps) * weight, eps None = finfo.eps."""

    def __init__(self, normalized_shape, eps=None, elementwise_affine=True):
        super().__init__()
        self.normalized_shape = tuple(normalized_shape) if isinstance(normalized_shape, (tuple, list)) \
            else (normalized_shape,)
        self.eps = eps
        self.elementwise_affine = elementwise_affine
        self.weight = nn.Parameter(torch.ones(self.normalized_shape)) if elementwise_affine else None

    def forward(self, x):
        dims = tuple(range(-len(self.normalized_shape), 0))
        eps = self.eps if self.eps is not None else torch.finfo(x.dtype).eps
        y = x * torch.rsqrt(x.pow(2).mean(dims, keepdim=True) + eps)
        return y * self.weight if self.weight is not None else y

    def extra_repr(self):
        return "{normalized_shape}, eps={eps}, elementwise_affine={elementwise_affine}".format(**self.__dict__)


class _PadModule(nn.Module):
    """The padding modules of PyTorch 2.x that 1.13 lacks, by F.pad, with the 2.x repr f'{self.padding}'."""
    nd = 1
    mode = "constant"

    def __init__(self, padding):
        super().__init__()
        self.padding = (padding,) * (2 * self.nd) if isinstance(padding, int) else tuple(padding)

    def forward(self, x):
        return F.pad(x, self.padding, self.mode)

    def extra_repr(self):
        return f"{self.padding}"


def _pad_class(name, nd, mode):
    return type(name, (_PadModule,), {"nd": nd, "mode": mode})


CircularPad1d = _pad_class("CircularPad1d", 1, "circular")
CircularPad2d = _pad_class("CircularPad2d", 2, "circular")
CircularPad3d = _pad_class("CircularPad3d", 3, "circular")
ZeroPad1d = _pad_class("ZeroPad1d", 1, "constant")
ZeroPad2d = _pad_class("ZeroPad2d", 2, "constant")
ZeroPad3d = _pad_class("ZeroPad3d", 3, "constant")


def nobias(m):
    m.bias = None
    return m


def rn(*shape):
    return lambda: torch.randn(*shape, dtype=torch.float64)


def pos(*shape):
    return lambda: torch.rand(*shape, dtype=torch.float64) + 0.1


def const(t):
    return lambda: t


def pooled_indices(*shape, nd):
    fn = {1: F.max_pool1d, 2: F.max_pool2d, 3: F.max_pool3d}[nd]
    return lambda: fn(torch.randn(*shape, dtype=torch.float64), 2, return_indices=True)[1]


def running_stats(m):
    with torch.no_grad():
        m.running_mean.uniform_(-1, 1)
        m.running_var.uniform_(0.5, 2)


G = True  # requires grad
LAYERS = {
    # convolution
    "Conv1d": (lambda: nn.Conv1d(3, 4, 3, stride=2, padding=1), [(2, 3, 9)], False, None),
    "Conv1d_unbatched_same": (lambda: nn.Conv1d(3, 2, 4, padding="same"), [(3, 7)], False, None),
    "Conv2d": (lambda: nn.Conv2d(3, 4, 3, padding=1), [(2, 3, 5, 6)], False, None),
    "Conv2d_groups_strided": (lambda: nn.Conv2d(4, 6, (3, 2), stride=(2, 1), padding=(1, 0), dilation=(1, 2), groups=2,
                                                bias=False), [(2, 4, 7, 8)], False, None),
    "Conv2d_depthwise": (lambda: nn.Conv2d(3, 6, 3, padding=1, groups=3), [(1, 3, 6, 5)], False, None),
    "Conv2d_reflect": (lambda: nn.Conv2d(2, 3, 3, padding=1, padding_mode="reflect"), [(1, 2, 5, 5)], False, None),
    "Conv2d_replicate_same": (lambda: nn.Conv2d(2, 3, (2, 3), padding="same", padding_mode="replicate"),
                              [(2, 2, 4, 5)], False, None),
    "Conv2d_circular": (lambda: nn.Conv2d(2, 2, 3, padding=(1, 2), padding_mode="circular"), [(1, 2, 4, 6)], False,
                        None),
    "Conv2d_valid_pointwise": (lambda: nn.Conv2d(5, 3, 1, padding="valid"), [(2, 5, 3, 4)], False, None),
    "Conv3d": (lambda: nn.Conv3d(2, 3, (2, 3, 2), stride=(1, 2, 1), padding=(1, 0, 1)), [(1, 2, 4, 5, 4)], False, None),
    "ConvTranspose1d": (lambda: nn.ConvTranspose1d(3, 2, 3, stride=2, padding=1, output_padding=1), [(2, 3, 5)], False,
                        None),
    "ConvTranspose2d": (lambda: nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2),
                        [(1, 4, 3, 4)], False, None),
    "ConvTranspose2d_dilated": (lambda: nn.ConvTranspose2d(2, 3, (3, 2), dilation=2, output_padding=1, bias=False),
                                [(2, 2, 3, 3)], False, None),
    "ConvTranspose3d": (lambda: nn.ConvTranspose3d(2, 2, 2, stride=2), [(1, 2, 2, 3, 2)], False, None),
    "Unfold": (lambda: nn.Unfold((2, 3), dilation=(1, 2), padding=1, stride=(2, 1)), [(2, 3, 5, 6)], False, None),
    "Fold": (lambda: nn.Fold((5, 6), 2), [(2, 12, 20)], False, None),
    # pooling
    "MaxPool1d": (lambda: nn.MaxPool1d(3, stride=2, padding=1, dilation=2, ceil_mode=True), [(2, 3, 11)], False, None),
    "MaxPool2d": (lambda: nn.MaxPool2d(3, stride=2, padding=1), [(2, 3, 7, 8)], False, None),
    "MaxPool2d_unbatched_ceil": (lambda: nn.MaxPool2d((2, 3), stride=(2, 2), ceil_mode=True), [(3, 7, 8)], False, None),
    "MaxPool3d": (lambda: nn.MaxPool3d(2, stride=(1, 2, 2), padding=(1, 0, 1), dilation=(1, 1, 2)), [(1, 2, 4, 5, 6)],
                  False, None),
    "AvgPool1d": (lambda: nn.AvgPool1d(3, stride=2, padding=1, count_include_pad=False), [(2, 3, 9)], False, None),
    "AvgPool2d": (lambda: nn.AvgPool2d(3, stride=2, padding=1, ceil_mode=True), [(2, 3, 7, 8)], False, None),
    "AvgPool2d_divisor": (lambda: nn.AvgPool2d((2, 3), divisor_override=4), [(1, 2, 6, 6)], False, None),
    "AvgPool3d": (lambda: nn.AvgPool3d((2, 3, 2), stride=2, padding=1, count_include_pad=False), [(1, 2, 5, 6, 5)],
                  False, None),
    "LPPool1d": (lambda: nn.LPPool1d(2.0, 3, stride=2), [(2, 3, 9)], False, None),
    "LPPool2d": (lambda: nn.LPPool2d(1.5, (2, 3), stride=1), [(pos(1, 2, 4, 5), G)], False, None),
    "AdaptiveAvgPool1d": (lambda: nn.AdaptiveAvgPool1d(4), [(2, 3, 10)], False, None),
    "AdaptiveAvgPool2d": (lambda: nn.AdaptiveAvgPool2d((3, None)), [(2, 3, 7, 5)], False, None),
    "AdaptiveAvgPool3d": (lambda: nn.AdaptiveAvgPool3d((2, 3, 4)), [(1, 2, 5, 4, 6)], False, None),
    "AdaptiveMaxPool1d": (lambda: nn.AdaptiveMaxPool1d(4), [(2, 3, 10)], False, None),
    "AdaptiveMaxPool2d": (lambda: nn.AdaptiveMaxPool2d((None, 4)), [(2, 3, 7, 9)], False, None),
    "AdaptiveMaxPool3d": (lambda: nn.AdaptiveMaxPool3d(2), [(1, 2, 5, 4, 6)], False, None),
    "FractionalMaxPool2d_train": (lambda: nn.FractionalMaxPool2d(2, output_size=(4, 3)), [(2, 3, 9, 8)], True, None),
    "FractionalMaxPool2d_ratio_train": (lambda: nn.FractionalMaxPool2d((3, 2), output_ratio=(0.5, 0.6)),
                                        [(1, 2, 9, 8)], True, None),
    "FractionalMaxPool3d_train": (lambda: nn.FractionalMaxPool3d(2, output_size=(3, 4, 3)), [(1, 2, 7, 6, 8)], True,
                                  None),
    "MaxUnpool1d": (lambda: nn.MaxUnpool1d(2), [(rn(2, 3, 4), G), (pooled_indices(2, 3, 8, nd=1), False)], False, None),
    "MaxUnpool2d": (lambda: nn.MaxUnpool2d(2, stride=2), [(rn(1, 2, 3, 2), G), (pooled_indices(1, 2, 6, 4, nd=2), False)],
                    False, None),
    "MaxUnpool3d": (lambda: nn.MaxUnpool3d(2), [(rn(1, 1, 2, 2, 3), G), (pooled_indices(1, 1, 4, 4, 6, nd=3), False)],
                    False, None),
    # padding
    "ReflectionPad1d": (lambda: nn.ReflectionPad1d(2), [(2, 3, 5)], False, None),
    "ReflectionPad2d": (lambda: nn.ReflectionPad2d((1, 2, 3, 0)), [(1, 2, 4, 5)], False, None),
    "ReflectionPad3d": (lambda: nn.ReflectionPad3d(1), [(1, 1, 3, 3, 3)], False, None),
    "ReplicationPad1d": (lambda: nn.ReplicationPad1d((3, 1)), [(2, 3, 4)], False, None),
    "ReplicationPad2d": (lambda: nn.ReplicationPad2d(2), [(1, 2, 3, 3)], False, None),
    "ReplicationPad3d": (lambda: nn.ReplicationPad3d((1, 1, 2, 2, 0, 1)), [(1, 1, 2, 3, 3)], False, None),
    "ZeroPad1d": (lambda: ZeroPad1d((2, 1)), [(2, 3, 4)], False, None),
    "ZeroPad2d": (lambda: ZeroPad2d((1, 1, 2, 0)), [(1, 2, 3, 3)], False, None),
    "ZeroPad3d": (lambda: ZeroPad3d(1), [(1, 1, 2, 2, 2)], False, None),
    "ConstantPad1d": (lambda: nn.ConstantPad1d(2, 3.5), [(2, 3, 4)], False, None),
    "ConstantPad2d": (lambda: nn.ConstantPad2d((1, 0, 2, 1), -1.5), [(1, 2, 3, 3)], False, None),
    "ConstantPad3d": (lambda: nn.ConstantPad3d(1, 0.5), [(1, 1, 2, 2, 2)], False, None),
    "CircularPad1d": (lambda: CircularPad1d((2, 1)), [(2, 3, 4)], False, None),
    "CircularPad2d": (lambda: CircularPad2d((1, 1, 2, 0)), [(1, 2, 3, 3)], False, None),
    "CircularPad3d": (lambda: CircularPad3d(1), [(1, 1, 2, 2, 2)], False, None),
    # normalization
    "BatchNorm1d_train": (lambda: nn.BatchNorm1d(4), [(5, 4)], True, None),
    "BatchNorm1d_cumulative_train": (lambda: nn.BatchNorm1d(3, momentum=None), [(4, 3, 5)], True, None),
    "BatchNorm2d_train": (lambda: nn.BatchNorm2d(3, eps=1e-3, momentum=0.3), [(2, 3, 4, 5)], True, None),
    "BatchNorm2d": (lambda: nn.BatchNorm2d(3), [(2, 3, 4, 4)], False, running_stats),
    "BatchNorm2d_noaffine_notrack_train": (lambda: nn.BatchNorm2d(3, affine=False, track_running_stats=False),
                                           [(2, 3, 3, 3)], True, None),
    "BatchNorm2d_notrack": (lambda: nn.BatchNorm2d(3, track_running_stats=False), [(2, 3, 3, 3)], False, None),
    "BatchNorm3d_train": (lambda: nn.BatchNorm3d(2), [(2, 2, 3, 3, 2)], True, None),
    "InstanceNorm1d": (lambda: nn.InstanceNorm1d(3), [(2, 3, 6)], False, None),
    "InstanceNorm2d_affine_track_train": (lambda: nn.InstanceNorm2d(3, affine=True, track_running_stats=True),
                                          [(2, 3, 4, 5)], True, None),
    "InstanceNorm2d_track": (lambda: nn.InstanceNorm2d(3, track_running_stats=True), [(2, 3, 4, 4)], False,
                             running_stats),
    "InstanceNorm3d_unbatched": (lambda: nn.InstanceNorm3d(2), [(2, 3, 4, 3)], False, None),
    "GroupNorm": (lambda: nn.GroupNorm(2, 4), [(3, 4, 5)], False, None),
    "GroupNorm_noaffine": (lambda: nn.GroupNorm(3, 6, eps=1e-3, affine=False), [(2, 6, 2, 3)], False, None),
    "LayerNorm": (lambda: nn.LayerNorm(5), [(3, 4, 5)], False, None),
    "LayerNorm_2d_noaffine": (lambda: nn.LayerNorm((4, 5), eps=1e-6, elementwise_affine=False), [(3, 4, 5)], False,
                              None),
    "LayerNorm_nobias": (lambda: nobias(nn.LayerNorm(5)), [(2, 5)], False, None),
    "RMSNorm": (lambda: RMSNorm(5), [(3, 5)], False, None),
    "RMSNorm_eps_noaffine": (lambda: RMSNorm((4, 5), eps=1e-5, elementwise_affine=False), [(2, 4, 5)], False, None),
    "LocalResponseNorm": (lambda: nn.LocalResponseNorm(3), [(2, 5, 4)], False, None),
    "LocalResponseNorm_4d": (lambda: nn.LocalResponseNorm(2, alpha=1e-2, beta=0.6, k=2.0), [(2, 4, 3, 3)], False, None),
    # sparse and distance
    "Embedding": (lambda: nn.Embedding(7, 3), [(const(torch.tensor([[1, 4, 4, 0], [6, 2, 1, 4]])), False)], False,
                  None),
    "Embedding_padding_scale": (lambda: nn.Embedding(7, 3, padding_idx=2, scale_grad_by_freq=True),
                                [(const(torch.tensor([2, 5, 5, 1, 2, 5])), False)], False, None),
    "Embedding_maxnorm": (lambda: nn.Embedding(6, 4, max_norm=1.0), [(const(torch.tensor([0, 3, 3, 5, 1])), False)],
                          False, None),
    "EmbeddingBag": (lambda: nn.EmbeddingBag(7, 3), [(const(torch.tensor([1, 4, 4, 0, 6, 2, 1, 4])), False),
                                                     (const(torch.tensor([0, 3, 3, 6])), False)], False, None),
    "EmbeddingBag_sum_psw": (lambda: nn.EmbeddingBag(7, 3, mode="sum", padding_idx=1),
                             [(const(torch.tensor([1, 4, 4, 0, 6, 2, 1])), False),
                              (const(torch.tensor([0, 2, 5])), False), (rn(7), G)], False, None),
    "EmbeddingBag_max_2d": (lambda: nn.EmbeddingBag(7, 3, mode="max"),
                            [(const(torch.tensor([[1, 4, 2, 0], [6, 2, 1, 3], [5, 5, 0, 4]])), False)], False, None),
    "EmbeddingBag_last_scale": (lambda: nn.EmbeddingBag(7, 3, include_last_offset=True, scale_grad_by_freq=True),
                                [(const(torch.tensor([1, 4, 4, 0, 6, 2, 1, 4])), False),
                                 (const(torch.tensor([0, 3, 5, 8])), False)], False, None),
    # vision
    "PixelShuffle": (lambda: nn.PixelShuffle(2), [(1, 8, 2, 3)], False, None),
    "PixelUnshuffle": (lambda: nn.PixelUnshuffle(2), [(2, 2, 4, 6)], False, None),
    "ChannelShuffle": (lambda: nn.ChannelShuffle(2), [(1, 4, 2, 3)], False, None),
    "Upsample": (lambda: nn.Upsample(scale_factor=2), [(1, 2, 3, 3)], False, None),
    "Upsample_bilinear_align": (lambda: nn.Upsample(size=(5, 7), mode="bilinear", align_corners=True),
                                [(2, 2, 3, 4)], False, None),
    "Upsample_bicubic": (lambda: nn.Upsample(scale_factor=1.7, mode="bicubic"), [(1, 1, 4, 5)], False, None),
    "Upsample_linear_recompute": (lambda: nn.Upsample(scale_factor=0.6, mode="linear", recompute_scale_factor=True),
                                  [(2, 3, 9)], False, None),
    "Upsample_trilinear": (lambda: nn.Upsample(scale_factor=(1.5, 2, 0.8), mode="trilinear"), [(1, 1, 3, 4, 5)],
                           False, None),
    "Upsample_nearest_exact": (lambda: nn.Upsample(size=5, mode="nearest-exact"), [(1, 2, 7)], False, None),
    "UpsamplingNearest2d": (lambda: nn.UpsamplingNearest2d(size=(4, 5)), [(1, 2, 3, 3)], False, None),
    "UpsamplingBilinear2d": (lambda: nn.UpsamplingBilinear2d(scale_factor=1.5), [(1, 2, 3, 4)], False, None),
    "CosineSimilarity": (lambda: nn.CosineSimilarity(), [(4, 5), (4, 5)], False, None),
    "CosineSimilarity_dim0": (lambda: nn.CosineSimilarity(0, 1e-6), [(3, 4), (1, 4)], False, None),
    # attention: m(query, key, value)[0] (the weights are checked by gen_attention_goldens.py)
    "MultiheadAttention": (lambda: nn.MultiheadAttention(4, 2), [(3, 2, 4), (5, 2, 4), (5, 2, 4)], False, None),
    "MultiheadAttention_kdim_bias_kv_train": (
        lambda: nn.MultiheadAttention(4, 2, dropout=0.3, add_bias_kv=True, add_zero_attn=True, kdim=3, vdim=5),
        [(3, 2, 4), (5, 2, 3), (5, 2, 5)], True, None),
    # transformer: layer(src), layer(tgt, memory), model(src, tgt) (masks: gen_transformer_goldens.py)
    "TransformerEncoderLayer": (lambda: nn.TransformerEncoderLayer(4, 2, 8), [(3, 2, 4)], False, None),
    "TransformerEncoderLayer_norm_first_gelu_train": (
        lambda: nn.TransformerEncoderLayer(4, 2, 6, dropout=0.2, activation="gelu", batch_first=True,
                                           norm_first=True), [(2, 3, 4)], True, None),
    "TransformerDecoderLayer": (lambda: nn.TransformerDecoderLayer(4, 2, 8, batch_first=True), [(2, 3, 4), (2, 5, 4)],
                                False, None),
    "TransformerEncoder": (lambda: nn.TransformerEncoder(nn.TransformerEncoderLayer(4, 2, 8), 2, nn.LayerNorm(4)),
                           [(3, 2, 4)], False, None),
    "TransformerDecoder_train": (lambda: nn.TransformerDecoder(nn.TransformerDecoderLayer(4, 2, 6), 2),
                                 [(3, 2, 4), (5, 2, 4)], True, None),
    "Transformer": (lambda: nn.Transformer(4, 2, 1, 1, 8), [(5, 2, 4), (3, 2, 4)], False, None),
}

def bag_mean_freq_reference(m, idx, offsets):
    """EmbeddingBag(mode='mean', include_last_offset=True, scale_grad_by_freq=True) by its definition: the mean of
    each bag's F.embedding rows, F.embedding dividing each row's gradient by its index's count. PyTorch 1.13's CPU
    embedding_bag divides by another index's count (pytorch/pytorch#190063, fixed by #190264 in 2026); jtorch
    follows the fix, so this case's goldens come from the definition."""
    rows = F.embedding(idx, m.weight, scale_grad_by_freq=True)
    o = offsets.tolist()
    return torch.stack([rows[o[b]:o[b + 1]].mean(0) for b in range(len(o) - 1)])


# cases whose forward and backward come from a reference definition instead of the 1.13 module (a 1.13 bug)
def channel_shuffle_reference(m, x):
    """PyTorch 1.13 has no derivative for channel_shuffle; the same permutation by reshape and transpose has."""
    n, c = x.shape[:2]
    return x.reshape(n, m.groups, c // m.groups, *x.shape[2:]).transpose(1, 2).reshape(x.shape)


REFERENCE = {"EmbeddingBag_last_scale": bag_mean_freq_reference, "ChannelShuffle": channel_shuffle_reference}

# cases whose gradient is not the derivative on purpose (PyTorch's padding_idx and frequency scaling), or
# whose forward writes its weight (max_norm's in-place renormalisation): no gradcheck
NO_GRADCHECK = ["Embedding_padding_scale", "Embedding_maxnorm", "EmbeddingBag_last_scale"]


def run_layer(name, ctor, specs, train, setup, tensors, meta):
    torch.manual_seed(100)
    m = ctor()
    for k, v in m.state_dict().items():
        tensors[f"{name}.init.{k}"] = v.clone()
    meta[f"{name}.repr"] = repr(m)
    m = m.double()
    if setup is not None:
        torch.manual_seed(3)
        setup(m)
    m.train(train)
    torch.manual_seed(7)
    xs = []
    for spec in specs:
        if isinstance(spec[0], int):
            xs.append(torch.randn(*spec, dtype=torch.float64).requires_grad_())
        else:
            maker, grad = spec
            t = maker().detach().clone()
            xs.append(t.requires_grad_() if grad else t)
    for i, x in enumerate(xs):
        tensors[f"{name}.in{i}"] = x.detach().clone()
    for k, v in m.state_dict().items():
        tensors[f"{name}.state.{k}"] = v.clone()
    torch.manual_seed(11)
    y = REFERENCE[name](m, *xs) if name in REFERENCE else m(*xs)
    if isinstance(y, tuple):
        y = y[0]
    tensors[f"{name}.out"] = y.detach().clone()
    if train:
        for k, v in m.named_buffers():
            tensors[f"{name}.after.{k}"] = v.clone()
    gout = torch.randn(y.shape, dtype=torch.float64)
    tensors[f"{name}.gout"] = gout
    (y * gout).sum().backward()
    for i, x in enumerate(xs):
        if x.requires_grad:
            tensors[f"{name}.grad_in{i}"] = x.grad.clone()
    for k, p in m.named_parameters():
        tensors[f"{name}.grad.{k}"] = p.grad.clone()


def _x4():
    return torch.randn(2, 3, 8, 8)


# bad inputs: PyTorch's message for each (mirrored by LayerBadInputTest.java, which checks the jtorch message
# contains it)
ERRORS = {
    "conv_channels": lambda: nn.Conv2d(4, 5, 3)(_x4()),
    "conv_input_rank": lambda: nn.Conv2d(3, 5, 3)(torch.randn(5)),
    "conv1d_input_rank": lambda: nn.Conv1d(3, 5, 3)(torch.randn(2, 3, 4, 5)),
    "conv_kernel_too_big": lambda: nn.Conv2d(3, 5, 9)(_x4()),
    "conv_groups_in": lambda: nn.Conv2d(3, 6, 3, groups=2),
    "conv_groups_out": lambda: nn.Conv2d(4, 6, 3, groups=4),
    "conv_groups_zero": lambda: nn.Conv2d(4, 6, 3, groups=0),
    "conv_same_strided": lambda: nn.Conv2d(3, 6, 3, padding="same", stride=2),
    "F_conv_stride0": lambda: F.conv2d(_x4(), torch.randn(5, 3, 3, 3), stride=0),
    "F_conv_negative_padding": lambda: F.conv2d(_x4(), torch.randn(5, 3, 3, 3), padding=-1),
    "F_conv_dilation0": lambda: F.conv2d(_x4(), torch.randn(5, 3, 3, 3), dilation=0),
    "F_conv_bias": lambda: F.conv2d(_x4(), torch.randn(5, 3, 3, 3), torch.randn(4)),
    "F_conv_dtype": lambda: F.conv2d(_x4().double(), torch.randn(5, 3, 3, 3)),
    "convT_channels": lambda: nn.ConvTranspose2d(4, 5, 3)(_x4()),
    "convT_output_padding": lambda: nn.ConvTranspose2d(3, 5, 3, stride=2, output_padding=2)(_x4()),
    "convT_output_size": lambda: nn.ConvTranspose2d(3, 5, 3, stride=2)(_x4(), output_size=(30, 30)),
    "convT_padding_mode": lambda: nn.ConvTranspose2d(3, 5, 3, padding_mode="reflect"),
    "maxpool_padding": lambda: nn.MaxPool2d(3, padding=2)(_x4()),
    "maxpool_too_small": lambda: nn.MaxPool2d(9)(_x4()),
    "maxpool_rank": lambda: nn.MaxPool2d(2)(torch.randn(3, 4)),
    "maxpool3d_rank": lambda: nn.MaxPool3d(2)(torch.randn(2, 3, 4)),
    "maxpool1d_kernel0": lambda: F.max_pool1d(torch.randn(2, 3, 8), 0),
    "maxpool1d_padding": lambda: F.max_pool1d(torch.randn(2, 3, 8), 3, 1, 2),
    "maxpool2d_kernel0": lambda: F.max_pool2d(_x4(), 0, 1),
    "maxpool3d_kernel0": lambda: F.max_pool3d(torch.randn(2, 3, 8, 8, 8), 0, 1),
    "maxpool_long": lambda: F.max_pool2d(_x4().long(), 2),
    "avgpool_padding": lambda: nn.AvgPool2d(3, padding=2)(_x4()),
    "avgpool_too_small": lambda: nn.AvgPool2d(9)(_x4()),
    "avgpool_divisor0": lambda: nn.AvgPool2d(2, divisor_override=0)(_x4()),
    "avgpool1d_rank": lambda: F.avg_pool1d(torch.randn(8), 2),
    "adaptive_avg_rank": lambda: nn.AdaptiveAvgPool2d(2)(torch.randn(3, 4)),
    "adaptive_max_rank": lambda: nn.AdaptiveMaxPool2d(2)(torch.randn(3, 4)),
    "adaptive_avg3d_rank": lambda: F.adaptive_avg_pool3d(torch.randn(8, 8), 2),
    "unpool_output_size": lambda: nn.MaxUnpool2d(2)(torch.randn(1, 1, 2, 2), torch.zeros(1, 1, 2, 2, dtype=torch.long),
                                                     output_size=(9, 9)),
    "unpool_index": lambda: nn.MaxUnpool2d(2)(torch.randn(1, 1, 2, 2), torch.full((1, 1, 2, 2), 99, dtype=torch.long)),
    "unpool_shapes": lambda: F.max_unpool2d(torch.randn(1, 1, 2, 2), torch.zeros(1, 1, 2, 3, dtype=torch.long), 2),
    "unpool_rank": lambda: F.max_unpool2d(torch.randn(4, 4), torch.zeros(4, 4, dtype=torch.long), 2),
    "unpool_index_dtype": lambda: F.max_unpool2d(torch.randn(1, 1, 2, 2), torch.zeros(1, 1, 2, 2), 2),
    "frac_no_size": lambda: nn.FractionalMaxPool2d(2),
    "frac_both": lambda: nn.FractionalMaxPool2d(2, output_size=3, output_ratio=0.5),
    "frac_ratio": lambda: nn.FractionalMaxPool2d(2, output_ratio=1.5),
    "frac_too_large": lambda: nn.FractionalMaxPool2d(2, output_size=(9, 9))(_x4()),
    "bn_channels": lambda: nn.BatchNorm2d(4)(_x4()),
    "bn_rank": lambda: nn.BatchNorm2d(3)(torch.randn(3, 4)),
    "bn1d_rank": lambda: nn.BatchNorm1d(3)(torch.randn(3, 4, 5, 6)),
    "bn3d_rank": lambda: nn.BatchNorm3d(3)(torch.randn(3, 4)),
    "bn_one_value": lambda: nn.BatchNorm1d(3)(torch.randn(1, 3)),
    "bn_eval_notrack_weight": lambda: nn.BatchNorm2d(4, track_running_stats=False).eval()(_x4()),
    "ln_shape": lambda: nn.LayerNorm(5)(_x4()),
    "ln_weight": lambda: F.layer_norm(_x4(), (8,), torch.ones(7)),
    "gn_groups": lambda: nn.GroupNorm(2, 3),
    "gn_channels": lambda: nn.GroupNorm(2, 4)(_x4()),
    "in_rank": lambda: nn.InstanceNorm2d(3)(torch.randn(3, 4)),
    "in1d_rank": lambda: nn.InstanceNorm1d(3)(torch.randn(3)),
    "in_one_spatial": lambda: nn.InstanceNorm1d(3)(torch.randn(2, 3, 1)),
    "lrn_rank": lambda: nn.LocalResponseNorm(2)(torch.randn(3, 4)),
    "emb_index": lambda: nn.Embedding(5, 3)(torch.tensor([7])),
    "emb_negative_index": lambda: nn.Embedding(5, 3)(torch.tensor([-1])),
    "emb_float_index": lambda: nn.Embedding(5, 3)(torch.tensor([1.0])),
    "emb_padding": lambda: nn.Embedding(5, 3, padding_idx=7),
    "bag_offset0": lambda: nn.EmbeddingBag(5, 3)(torch.tensor([1, 2]), torch.tensor([1])),
    "bag_2d_offsets": lambda: nn.EmbeddingBag(5, 3)(torch.tensor([[1, 2]]), torch.tensor([0])),
    "bag_psw_mode": lambda: nn.EmbeddingBag(5, 3, mode="max")(torch.tensor([1, 2]), torch.tensor([0]),
                                                              torch.tensor([1., 2.])),
    "bag_no_offsets": lambda: nn.EmbeddingBag(5, 3)(torch.tensor([1, 2])),
    "bag_offsets_past_end": lambda: nn.EmbeddingBag(5, 3)(torch.tensor([1, 2, 3]), torch.tensor([0, 5])),
    "bag_psw_shape": lambda: nn.EmbeddingBag(5, 3, mode="sum")(torch.tensor([1, 2, 3]), torch.tensor([0]),
                                                               torch.ones(2)),
    "bag_3d": lambda: nn.EmbeddingBag(5, 3)(torch.zeros(1, 1, 1, dtype=torch.long)),
    "bag_max_scale": lambda: F.embedding_bag(torch.tensor([1, 2]), torch.randn(5, 3), torch.tensor([0]), mode="max",
                                             scale_grad_by_freq=True),
    "pad_reflect_too_large": lambda: F.pad(torch.randn(1, 2, 3), (3, 3), mode="reflect"),
    "pad_odd_length": lambda: F.pad(torch.randn(1, 2, 3), (1,)),
    "pad_too_long": lambda: F.pad(torch.randn(2, 3), (1, 1, 1, 1, 1, 1)),
    "pad_circular_twice": lambda: F.pad(torch.randn(1, 2, 3), (4, 4), mode="circular"),
    "pad_value_reflect": lambda: F.pad(torch.randn(1, 2, 3), (1, 1), mode="reflect", value=2.0),
    "pad_replicate_rank": lambda: F.pad(torch.randn(3), (1, 1), mode="replicate"),
    "one_hot_small": lambda: F.one_hot(torch.tensor([3]), 2),
    "one_hot_negative": lambda: F.one_hot(torch.tensor([-1]), 2),
    "one_hot_float": lambda: F.one_hot(torch.tensor([1.0]), 2),
    "fold_blocks": lambda: F.fold(torch.randn(1, 12, 10), (4, 5), 2),
    "fold_channels": lambda: F.fold(torch.randn(1, 13, 12), (4, 5), 2),
    "fold_rank": lambda: F.fold(torch.randn(12), (4, 5), 2),
    "unfold_kernel": lambda: F.unfold(_x4(), 9),
    "cos_sizes": lambda: F.cosine_similarity(torch.randn(2, 3), torch.randn(2, 4)),
}


def errors():
    msgs = {}
    torch.manual_seed(0)
    for name, fn in ERRORS.items():
        try:
            fn()
        except Exception as e:
            msgs["err." + name] = str(e).split("\n")[0]
            continue
        raise AssertionError(f"error case {name} raised nothing")
    return msgs

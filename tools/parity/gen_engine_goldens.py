#!/usr/bin/env python3
"""Writes the engine's PyTorch goldens (values and gradients of every op) as safetensors.

Run through tools/parity/run.sh. Every case: inputs drawn from a fixed seed, the op applied (views,
broadcasts and non-contiguous layouts happen inside the op, identically in the Java test), the output,
a random output gradient `gout`, and the input gradients of sum(out * gout). The metadata records
PyTorch's grad_fn name per case and repr() strings for the formatter test.

Files: ops_f64.safetensors (float64, compared at ~1e-10), ops_f32.safetensors (float32 fast paths),
interchange.safetensors (every dtype, read by InterchangeTest), repr.safetensors.
"""
import math
import os
import sys

import torch
from safetensors.torch import save_file

torch.set_printoptions(profile="default")
OUT = sys.argv[1] if len(sys.argv) > 1 else "engine/src/test/resources/goldens"
os.makedirs(OUT, exist_ok=True)


def rnd(*shape):
    return torch.randn(*shape, dtype=torch.float64)


def pos(*shape):
    return torch.rand(*shape, dtype=torch.float64) * 2 + 0.1


def idx(high, *shape):
    return torch.randint(0, high, shape, dtype=torch.int64)


def nodup(x, *shape):
    # values spread apart so max/min and ties are unambiguous for finite differences
    return (torch.randperm(math.prod(shape)).to(torch.float64).reshape(shape) * 0.37 + rnd(*shape) * 0.01)


# name -> (input makers, op). Inputs are contiguous; the op makes any view.
CASES = {
    # unary
    "neg": ([lambda: rnd(3, 4)], lambda x: -x),
    "abs": ([lambda: rnd(3, 4)], lambda x: x.abs()),
    "sign": ([lambda: rnd(3, 4)], lambda x: x.sign()),
    "exp": ([lambda: rnd(3, 4)], lambda x: x.exp()),
    "expm1": ([lambda: rnd(3, 4)], lambda x: x.expm1()),
    "log": ([lambda: pos(3, 4)], lambda x: x.log()),
    "log1p": ([lambda: pos(3, 4)], lambda x: x.log1p()),
    "sqrt": ([lambda: pos(3, 4)], lambda x: x.sqrt()),
    "rsqrt": ([lambda: pos(3, 4)], lambda x: x.rsqrt()),
    "reciprocal": ([lambda: pos(3, 4)], lambda x: x.reciprocal()),
    "sin": ([lambda: rnd(3, 4)], lambda x: x.sin()),
    "cos": ([lambda: rnd(3, 4)], lambda x: x.cos()),
    "tanh": ([lambda: rnd(3, 4)], lambda x: x.tanh()),
    "sigmoid": ([lambda: rnd(3, 4)], lambda x: x.sigmoid()),
    "relu": ([lambda: rnd(3, 4)], lambda x: x.relu()),
    "leaky_relu": ([lambda: rnd(3, 4)], lambda x: torch.nn.functional.leaky_relu(x, 0.1)),
    "erf": ([lambda: rnd(3, 4)], lambda x: x.erf()),
    "gelu": ([lambda: rnd(3, 4)], lambda x: torch.nn.functional.gelu(x)),
    "gelu_tanh": ([lambda: rnd(3, 4)], lambda x: torch.nn.functional.gelu(x, approximate="tanh")),
    "softplus": ([lambda: rnd(3, 4) * 2], lambda x: torch.nn.functional.softplus(x, beta=2, threshold=3)),
    "floor": ([lambda: rnd(3, 4) * 3], lambda x: x.floor()),
    "ceil": ([lambda: rnd(3, 4) * 3], lambda x: x.ceil()),
    "round": ([lambda: rnd(3, 4) * 3], lambda x: x.round()),
    "trunc": ([lambda: rnd(3, 4) * 3], lambda x: x.trunc()),
    "pow_scalar": ([lambda: pos(3, 4)], lambda x: x.pow(2.5)),
    "pow_int": ([lambda: rnd(3, 4)], lambda x: x.pow(3)),
    "clamp": ([lambda: rnd(3, 4)], lambda x: x.clamp(-0.5, 0.5)),
    "clamp_min": ([lambda: rnd(3, 4)], lambda x: x.clamp(min=-0.2)),
    "clamp_max": ([lambda: rnd(3, 4)], lambda x: x.clamp(max=0.3)),
    "square": ([lambda: rnd(3, 4)], lambda x: x.square()),
    "exp_transposed": ([lambda: rnd(4, 3)], lambda x: x.t().exp()),
    "exp_narrowed": ([lambda: rnd(4, 37)], lambda x: x.narrow(1, 2, 33).exp()),
    "sigmoid_narrowed": ([lambda: rnd(3, 40)], lambda x: x[:, 1:38].sigmoid()),
    "tanh_sliced": ([lambda: rnd(5, 6)], lambda x: x[::2, 1::2].tanh()),
    # binary
    "add": ([lambda: rnd(3, 4), lambda: rnd(3, 4)], lambda a, b: a + b),
    "add_alpha": ([lambda: rnd(3, 4), lambda: rnd(3, 4)], lambda a, b: torch.add(a, b, alpha=-2.5)),
    "sub": ([lambda: rnd(3, 4), lambda: rnd(3, 4)], lambda a, b: a - b),
    "mul": ([lambda: rnd(3, 4), lambda: rnd(3, 4)], lambda a, b: a * b),
    "div": ([lambda: rnd(3, 4), lambda: pos(3, 4)], lambda a, b: a / b),
    "pow": ([lambda: pos(3, 4), lambda: rnd(3, 4)], lambda a, b: a.pow(b)),
    "maximum": ([lambda: rnd(3, 4), lambda: rnd(3, 4)], lambda a, b: torch.maximum(a, b)),
    "minimum": ([lambda: rnd(3, 4), lambda: rnd(3, 4)], lambda a, b: torch.minimum(a, b)),
    "add_broadcast": ([lambda: rnd(3, 1, 4), lambda: rnd(2, 4)], lambda a, b: a + b),
    "mul_broadcast": ([lambda: rnd(2, 3, 4), lambda: rnd(3, 1)], lambda a, b: a * b),
    "div_broadcast": ([lambda: rnd(4), lambda: pos(3, 1)], lambda a, b: a / b),
    "sub_transposed": ([lambda: rnd(3, 4), lambda: rnd(4, 3)], lambda a, b: a - b.t()),
    "mul_sliced": ([lambda: rnd(6, 4), lambda: rnd(3, 4)], lambda a, b: a[::2] * b),
    "add_bias": ([lambda: rnd(5, 37), lambda: rnd(37)], lambda a, b: a + b),
    "mul_rows_narrowed": ([lambda: rnd(4, 40), lambda: rnd(4, 33)], lambda a, b: a[:, 3:36] * b),
    "div_row_scalar": ([lambda: rnd(4, 35), lambda: pos(4, 1)], lambda a, b: a / b),
    "add_scalar": ([lambda: rnd(3, 4)], lambda x: x + 1.5),
    "mul_scalar": ([lambda: rnd(3, 4)], lambda x: x * -0.75),
    "div_scalar": ([lambda: rnd(3, 4)], lambda x: x / 3.0),
    "rsub_scalar": ([lambda: rnd(3, 4)], lambda x: 2.0 - x),
    "where": ([lambda: rnd(3, 4), lambda: rnd(3, 4)], lambda a, b: torch.where(a > 0, a, b)),
    "where_broadcast": ([lambda: rnd(3, 4), lambda: rnd(4)], lambda a, b: torch.where(a > 0, a * 2, b)),
    "masked_fill": ([lambda: rnd(3, 4)], lambda x: x.masked_fill(x < 0, -7.0)),
    # reductions
    "sum": ([lambda: rnd(3, 4)], lambda x: x.sum()),
    "sum_dim": ([lambda: rnd(2, 3, 4)], lambda x: x.sum(1, keepdim=True)),
    "sum_dims": ([lambda: rnd(2, 3, 4)], lambda x: x.sum((0, 2))),
    "sum_dim0": ([lambda: rnd(5, 7)], lambda x: x.sum(0)),
    "mean": ([lambda: rnd(3, 4)], lambda x: x.mean()),
    "mean_dim": ([lambda: rnd(2, 3, 4)], lambda x: x.mean(-1)),
    "var": ([lambda: rnd(3, 4)], lambda x: x.var()),
    "var_dim": ([lambda: rnd(3, 4)], lambda x: x.var(1, correction=0, keepdim=True)),
    "std": ([lambda: rnd(3, 4)], lambda x: x.std()),
    "std_dim": ([lambda: rnd(3, 5)], lambda x: x.std(0)),
    "prod": ([lambda: rnd(2, 3)], lambda x: x.prod()),
    "prod_dim": ([lambda: rnd(3, 4)], lambda x: x.prod(1)),
    "max": ([lambda: nodup(None, 3, 4)], lambda x: x.max()),
    "min": ([lambda: nodup(None, 3, 4)], lambda x: x.min()),
    "max_dim": ([lambda: nodup(None, 3, 4)], lambda x: x.max(1).values),
    "min_dim": ([lambda: nodup(None, 3, 4)], lambda x: x.min(0, keepdim=True).values),
    "amax": ([lambda: nodup(None, 2, 3, 4)], lambda x: x.amax((0, 2))),
    "logsumexp": ([lambda: rnd(3, 4)], lambda x: x.logsumexp(1)),
    "norm": ([lambda: rnd(3, 4)], lambda x: x.norm()),
    "norm_1": ([lambda: rnd(3, 4)], lambda x: torch.norm(x, p=1, dim=1)),
    "norm_inf": ([lambda: nodup(None, 3, 4)], lambda x: torch.norm(x, p=float("inf"), dim=0)),
    "norm_3": ([lambda: rnd(3, 4)], lambda x: torch.norm(x, p=3, dim=1, keepdim=True)),
    # views and joins
    "view": ([lambda: rnd(3, 4)], lambda x: x.view(2, 6) * torch.arange(6.0, dtype=torch.float64)),
    "reshape_noncontig": ([lambda: rnd(3, 4)], lambda x: x.t().reshape(12) * torch.arange(12.0, dtype=torch.float64)),
    "transpose": ([lambda: rnd(2, 3, 4)], lambda x: x.transpose(0, 2).contiguous() * torch.arange(24.0, dtype=torch.float64).view(4, 3, 2)),
    "permute": ([lambda: rnd(2, 3, 4)], lambda x: x.permute(2, 0, 1).tanh()),
    "narrow": ([lambda: rnd(5, 4)], lambda x: x.narrow(0, 1, 3).exp()),
    "select": ([lambda: rnd(3, 4)], lambda x: x.select(1, 2).exp()),
    "slice_step": ([lambda: rnd(7, 4)], lambda x: x[1:6:2].sin()),
    "expand": ([lambda: rnd(3, 1)], lambda x: x.expand(3, 4).sin()),
    "squeeze": ([lambda: rnd(3, 1, 4)], lambda x: x.squeeze(1).sin()),
    "unsqueeze": ([lambda: rnd(3, 4)], lambda x: x.unsqueeze(1).sin()),
    "flatten": ([lambda: rnd(2, 3, 4)], lambda x: x.flatten(1).sin()),
    "unflatten": ([lambda: rnd(2, 12)], lambda x: x.unflatten(1, (3, 4)).sin()),
    "cat": ([lambda: rnd(2, 3), lambda: rnd(4, 3)], lambda a, b: torch.cat([a, b], 0).sin()),
    "cat_dim1": ([lambda: rnd(2, 3), lambda: rnd(2, 2)], lambda a, b: torch.cat([a, b.exp()], 1)),
    "stack": ([lambda: rnd(2, 3), lambda: rnd(2, 3)], lambda a, b: torch.stack([a, b], 1).sin()),
    "chunk": ([lambda: rnd(6, 3)], lambda x: x.chunk(3, 0)[1].exp()),
    "split": ([lambda: rnd(7, 3)], lambda x: x.split(3, 0)[2].exp()),
    "repeat": ([lambda: rnd(2, 3)], lambda x: x.repeat(2, 1, 2).sin()),
    "t": ([lambda: rnd(3, 4)], lambda x: x.t().sin()),
    "clone": ([lambda: rnd(3, 4)], lambda x: x.clone().sin()),
    # indexing
    "index_select": ([lambda: rnd(5, 3), lambda: torch.tensor([4, 0, 2, 0])], lambda x, i: x.index_select(0, i)),
    "index_select_dim1": ([lambda: rnd(3, 5), lambda: torch.tensor([1, 3])], lambda x, i: x.index_select(1, i)),
    "gather": ([lambda: rnd(3, 4), lambda: idx(4, 3, 2)], lambda x, i: x.gather(1, i)),
    "scatter": ([lambda: rnd(3, 5), lambda: torch.tensor([[0, 1, 2], [2, 0, 1], [4, 3, 0]]), lambda: rnd(3, 3)],
                lambda x, i, s: x.scatter(1, i, s)),
    "scatter_add": ([lambda: rnd(3, 5), lambda: idx(5, 3, 4), lambda: rnd(3, 4)],
                    lambda x, i, s: x.scatter_add(1, i, s)),
    "index_add": ([lambda: rnd(5, 3), lambda: torch.tensor([0, 4, 0]), lambda: rnd(3, 3)],
                  lambda x, i, s: x.index_add(0, i, s)),
    # linear algebra and softmax
    "matmul": ([lambda: rnd(3, 4), lambda: rnd(4, 5)], lambda a, b: a.matmul(b)),
    "matmul_batched": ([lambda: rnd(2, 1, 3, 4), lambda: rnd(3, 4, 5)], lambda a, b: a.matmul(b)),
    "matmul_3d_2d": ([lambda: rnd(2, 3, 4), lambda: rnd(4, 5)], lambda a, b: a.matmul(b)),
    "matmul_vec_mat": ([lambda: rnd(4), lambda: rnd(4, 5)], lambda a, b: a.matmul(b)),
    "mv": ([lambda: rnd(3, 4), lambda: rnd(4)], lambda a, b: a.mv(b)),
    "dot": ([lambda: rnd(5), lambda: rnd(5)], lambda a, b: a.dot(b)),
    "mm_transposed": ([lambda: rnd(4, 3), lambda: rnd(5, 4)], lambda a, b: a.t().mm(b.t())),
    "bmm": ([lambda: rnd(2, 3, 4), lambda: rnd(2, 4, 5)], lambda a, b: a.bmm(b)),
    "addmm": ([lambda: rnd(5), lambda: rnd(3, 4), lambda: rnd(4, 5)], lambda c, a, b: torch.addmm(c, a, b)),
    "addmm_scaled": ([lambda: rnd(3, 5), lambda: rnd(3, 4), lambda: rnd(4, 5)],
                     lambda c, a, b: torch.addmm(c, a, b, beta=0.5, alpha=2.0)),
    "softmax": ([lambda: rnd(3, 4)], lambda x: x.softmax(1)),
    "softmax_dim0": ([lambda: rnd(3, 4)], lambda x: x.softmax(0)),
    "log_softmax": ([lambda: rnd(3, 4)], lambda x: x.log_softmax(1)),
    "log_softmax_3d": ([lambda: rnd(2, 3, 4)], lambda x: x.log_softmax(1)),
    # comparisons, logical ops, indices and integer arithmetic (values only: no gradients)
    "eq": ([lambda: (rnd(3, 4) * 2).round(), lambda: (rnd(3, 4) * 2).round()], lambda a, b: a == b),
    "ne": ([lambda: (rnd(3, 4) * 2).round(), lambda: (rnd(3, 4) * 2).round()], lambda a, b: a != b),
    "lt": ([lambda: (rnd(3, 4) * 2).round(), lambda: (rnd(3, 4) * 2).round()], lambda a, b: a < b),
    "le": ([lambda: (rnd(3, 4) * 2).round(), lambda: (rnd(4) * 2).round()], lambda a, b: a <= b),
    "gt": ([lambda: rnd(3, 4)], lambda x: x > 0.25),
    "ge": ([lambda: (rnd(3, 4) * 2).round()], lambda x: x >= 1.0),
    "logical_and": ([lambda: rnd(3, 4), lambda: rnd(3, 4)], lambda a, b: torch.logical_and(a > 0, b > 0)),
    "logical_or": ([lambda: rnd(3, 4), lambda: rnd(3, 4)], lambda a, b: torch.logical_or(a > 0, b > 0)),
    "logical_xor": ([lambda: rnd(3, 4), lambda: rnd(3, 4)], lambda a, b: torch.logical_xor(a > 0, b > 0)),
    "logical_not": ([lambda: rnd(3, 4)], lambda x: torch.logical_not(x > 0)),
    "isnan": ([lambda: rnd(3, 4)], lambda x: x.log().isnan()),
    "argmax_all": ([lambda: nodup(None, 3, 4)], lambda x: x.argmax()),
    "argmax_dim": ([lambda: nodup(None, 3, 4)], lambda x: x.argmax(1)),
    "argmin_dim": ([lambda: nodup(None, 3, 4)], lambda x: x.argmin(0, keepdim=True)),
    "max_indices": ([lambda: nodup(None, 3, 4)], lambda x: x.max(1).indices),
    "any_dim": ([lambda: rnd(3, 4)], lambda x: (x > 1).any(1)),
    "all_dim": ([lambda: rnd(3, 4)], lambda x: (x > -1).all(0)),
    "bool_sum": ([lambda: rnd(3, 4)], lambda x: (x > 0).sum(1)),
    "int_arith": ([lambda: idx(100, 3, 4), lambda: idx(100, 3, 4)], lambda a, b: a + b * 3 - 1),
    "int_true_div": ([lambda: idx(100, 3, 4), lambda: idx(9, 3, 4) + 1], lambda a, b: a / b),
    "int_sum_prod": ([lambda: idx(5, 3, 4) + 1], lambda x: x.prod(1) + x.sum(1)),
    "int_clamp_abs": ([lambda: idx(20, 3, 4) - 10], lambda x: x.clamp(-3, 4) * x.abs()),
    "int_pow": ([lambda: idx(10, 3, 4)], lambda x: x.pow(2)),
    "int_max": ([lambda: idx(1000, 3, 4)], lambda x: x.amax(1)),
    "to_int64": ([lambda: rnd(3, 4) * 5], lambda x: x.long()),
    "where_scalar": ([lambda: rnd(3, 4)], lambda x: torch.where(x > 0, x, 0.0)),
    # dtype conversion inside the graph
    "to_float32": ([lambda: rnd(3, 4)], lambda x: x.float().double() * 2),
}

F = torch.nn.functional


def pool_idx(x, k):
    return F.max_pool2d(x, k, return_indices=True)[1]


# the nn primitives (NnOps): convolution, unfold/fold, pooling, normalization, embeddings
CASES.update({
    "conv1d": ([lambda: rnd(2, 3, 9), lambda: rnd(4, 3, 3), lambda: rnd(4)],
               lambda x, w, b: F.conv1d(x, w, b, stride=2, padding=1)),
    "conv2d": ([lambda: rnd(2, 3, 6, 7), lambda: rnd(4, 3, 3, 2), lambda: rnd(4)],
               lambda x, w, b: F.conv2d(x, w, b, stride=(1, 2), padding=(1, 0), dilation=(2, 1))),
    "conv2d_groups": ([lambda: rnd(2, 4, 5, 5), lambda: rnd(6, 2, 3, 3)],
                      lambda x, w: F.conv2d(x, w, None, padding=1, groups=2)),
    "conv2d_depthwise": ([lambda: rnd(1, 3, 6, 6), lambda: rnd(6, 1, 3, 3), lambda: rnd(6)],
                         lambda x, w, b: F.conv2d(x, w, b, stride=2, padding=1, groups=3)),
    "conv2d_pointwise": ([lambda: rnd(2, 5, 3, 4), lambda: rnd(3, 5, 1, 1), lambda: rnd(3)],
                         lambda x, w, b: F.conv2d(x, w, b)),
    "conv3d": ([lambda: rnd(1, 2, 4, 5, 5), lambda: rnd(3, 2, 2, 3, 2), lambda: rnd(3)],
               lambda x, w, b: F.conv3d(x, w, b, stride=(1, 2, 1), padding=(1, 0, 1))),
    "conv_transpose1d": ([lambda: rnd(1, 4, 6), lambda: rnd(4, 3, 3)],
                         lambda x, w: F.conv_transpose1d(x, w, None, output_padding=1, groups=2, dilation=2)),
    "conv_transpose2d": ([lambda: rnd(2, 3, 4, 5), lambda: rnd(3, 2, 3, 3), lambda: rnd(2)],
                         lambda x, w, b: F.conv_transpose2d(x, w, b, stride=2, padding=1, output_padding=1)),
    "conv_transpose3d": ([lambda: rnd(1, 2, 3, 3, 3), lambda: rnd(2, 2, 2, 2, 2), lambda: rnd(2)],
                         lambda x, w, b: F.conv_transpose3d(x, w, b, stride=2)),
    "unfold": ([lambda: rnd(2, 3, 5, 6)],
               lambda x: F.unfold(x, (2, 3), dilation=(1, 2), padding=1, stride=(2, 1))),
    "fold": ([lambda: rnd(2, 12, 20)], lambda x: F.fold(x, (5, 6), 2)),
    "max_pool1d": ([lambda: nodup(None, 2, 3, 9)], lambda x: F.max_pool1d(x, 3, 2)),
    "max_pool2d": ([lambda: nodup(None, 2, 3, 7, 7)], lambda x: F.max_pool2d(x, 3, 2, 1, ceil_mode=True)),
    "max_pool2d_dilated": ([lambda: nodup(None, 1, 2, 8, 9)], lambda x: F.max_pool2d(x, (2, 3), 1, 0, 2)),
    "max_pool3d": ([lambda: nodup(None, 1, 2, 5, 6, 5)], lambda x: F.max_pool3d(x, 2, 2, ceil_mode=True)),
    "avg_pool1d": ([lambda: rnd(2, 3, 9)], lambda x: F.avg_pool1d(x, 3, 2, 1)),
    "avg_pool2d": ([lambda: rnd(2, 3, 7, 7)],
                   lambda x: F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False)),
    "avg_pool2d_divisor": ([lambda: rnd(1, 2, 6, 5)], lambda x: F.avg_pool2d(x, 2, divisor_override=3)),
    "avg_pool3d": ([lambda: rnd(1, 2, 5, 6, 5)], lambda x: F.avg_pool3d(x, (2, 3, 2), 2, 1)),
    "adaptive_avg_pool1d": ([lambda: rnd(2, 3, 10)], lambda x: F.adaptive_avg_pool1d(x, 4)),
    "adaptive_avg_pool2d": ([lambda: rnd(2, 3, 7, 9)], lambda x: F.adaptive_avg_pool2d(x, (3, 4))),
    "adaptive_avg_pool3d": ([lambda: rnd(1, 2, 5, 4, 6)], lambda x: F.adaptive_avg_pool3d(x, (2, 3, 4))),
    "adaptive_max_pool1d": ([lambda: nodup(None, 2, 3, 10)], lambda x: F.adaptive_max_pool1d(x, 4)),
    "adaptive_max_pool2d": ([lambda: nodup(None, 2, 3, 7, 9)], lambda x: F.adaptive_max_pool2d(x, (3, 4))),
    "adaptive_max_pool3d": ([lambda: nodup(None, 1, 2, 5, 4, 6)], lambda x: F.adaptive_max_pool3d(x, (2, 3, 4))),
    "fractional_max_pool2d": ([lambda: nodup(None, 2, 3, 9, 9), lambda: idx(1000, 2, 3, 2)],
                              lambda x, u: F.fractional_max_pool2d(x, 2, output_size=4,
                                                                   _random_samples=u.double() / 1000)),
    "fractional_max_pool3d": ([lambda: nodup(None, 1, 2, 7, 6, 8), lambda: idx(1000, 1, 2, 3)],
                              lambda x, u: F.fractional_max_pool3d(x, (2, 2, 3), output_size=(3, 4, 3),
                                                                   _random_samples=u.double() / 1000)),
    "max_unpool2d": ([lambda: rnd(1, 2, 3, 3), lambda: pool_idx(nodup(None, 1, 2, 6, 6), 2)],
                     lambda x, i: F.max_unpool2d(x, i, 2)),
    "batch_norm_train": ([lambda: rnd(4, 3, 5), lambda: rnd(3), lambda: rnd(3)],
                         lambda x, w, b: F.batch_norm(x, torch.linspace(-1, 1, 3, dtype=x.dtype),
                                                      torch.linspace(0.5, 2, 3, dtype=x.dtype), w, b, True, 0.1, 1e-5)),
    "batch_norm_eval": ([lambda: rnd(4, 3, 2, 2), lambda: rnd(3), lambda: rnd(3)],
                        lambda x, w, b: F.batch_norm(x, torch.linspace(-1, 1, 3, dtype=x.dtype),
                                                     torch.linspace(0.5, 2, 3, dtype=x.dtype), w, b, False, 0.1, 1e-3)),
    "batch_norm_noaffine": ([lambda: rnd(5, 4)], lambda x: F.batch_norm(x, None, None, None, None, True, 0.1, 1e-5)),
    "layer_norm": ([lambda: rnd(3, 4, 5), lambda: rnd(4, 5), lambda: rnd(4, 5)],
                   lambda x, w, b: F.layer_norm(x, (4, 5), w, b, 1e-5)),
    "layer_norm_noaffine": ([lambda: rnd(6, 7)], lambda x: F.layer_norm(x, (7,), None, None, 1e-3)),
    "group_norm": ([lambda: rnd(2, 6, 3, 2), lambda: rnd(6), lambda: rnd(6)],
                   lambda x, w, b: F.group_norm(x, 3, w, b, 1e-5)),
    "group_norm_noaffine": ([lambda: rnd(3, 4, 5)], lambda x: F.group_norm(x, 2, None, None, 1e-4)),
    "embedding": ([lambda: rnd(6, 4), lambda: torch.tensor([[1, 2, 5], [2, 0, 2]])],
                  lambda w, i: F.embedding(i, w, padding_idx=5, scale_grad_by_freq=True)),
    "embedding_plain": ([lambda: rnd(5, 3), lambda: torch.tensor([4, 0, 4, 2])], lambda w, i: F.embedding(i, w)),
    "embedding_bag_sum": ([lambda: rnd(7, 3), lambda: torch.tensor([1, 2, 4, 4, 3, 6, 0]),
                           lambda: torch.tensor([0, 2, 2, 5]), lambda: rnd(7)],
                          lambda w, i, o, p: F.embedding_bag(i, w, o, mode="sum", per_sample_weights=p, padding_idx=3)),
    "embedding_bag_mean": ([lambda: rnd(7, 3), lambda: torch.tensor([1, 2, 4, 4, 3, 6, 0]),
                            lambda: torch.tensor([0, 2, 2, 5, 7])],
                           lambda w, i, o: F.embedding_bag(i, w, o, mode="mean", include_last_offset=True,
                                                           padding_idx=4)),
    "embedding_bag_max": ([lambda: nodup(None, 7, 3), lambda: torch.tensor([[1, 2, 6], [4, 3, 1]])],
                          lambda w, i: F.embedding_bag(i, w, mode="max")),
})



def ties(*shape):
    # few distinct values (-0.0 among them): many ties, which a stable sort keeps in input order
    return (rnd(*shape) * 1.5).round()


def nan_at(x, *flat):
    # NaN at fixed flat positions
    x = x.clone()
    x.view(-1)[list(flat)] = float("nan")
    return x


def zeros_at(x, *flat):
    # zeros at fixed flat positions (cumprod's backward has a case for the first zero of a line and after it)
    x = x.clone()
    x.view(-1)[list(flat)] = 0.0
    return x


def not_nan(v):
    # NaN replaced by 0, so that gradcheck's finite differences stay finite (the indices cases place the NaN)
    return torch.where(v.isnan().logical_not(), v, 0.0)


# sorting, selection, scans and triangles (SortOps, ScanOps; appended so earlier cases keep their draws)
CASES.update({
    "sort": ([lambda: rnd(3, 7)], lambda x: x.sort(1).values),
    "sort_descending_dim0": ([lambda: nodup(None, 5, 3)], lambda x: x.sort(0, descending=True).values),
    "sort_stable": ([lambda: nodup(None, 3, 6)], lambda x: torch.sort(x, stable=True, dim=-1).values),
    "sort_indices": ([lambda: nodup(None, 3, 7)], lambda x: x.sort().indices),
    "sort_ties_indices": ([lambda: ties(4, 9)], lambda x: torch.sort(x, stable=True).indices),
    "sort_ties_desc_indices": ([lambda: ties(4, 9)], lambda x: torch.sort(x, stable=True, dim=1, descending=True).indices),
    "sort_ties_dim0_indices": ([lambda: ties(9, 4)], lambda x: torch.sort(x, stable=True, dim=0).indices),
    "sort_nan_indices": ([lambda: nan_at(ties(3, 8), 1, 5, 9, 10, 12, 23)],
                         lambda x: torch.sort(x, stable=True).indices),
    "sort_nan_desc_indices": ([lambda: nan_at(ties(3, 8), 1, 5, 9, 10, 12, 23)],
                              lambda x: torch.sort(x, stable=True, descending=True).indices),
    "sort_nan_values": ([lambda: nan_at(nodup(None, 3, 8), 2, 8, 15, 22)],
                        lambda x: not_nan(x.sort(descending=True).values)),
    "sort_noncontig": ([lambda: nodup(None, 6, 5)], lambda x: x.t()[:, ::2].sort(1).values),
    "sort_3d": ([lambda: nodup(None, 2, 5, 3)], lambda x: x.sort(1, descending=True).values),
    "sort_int64": ([lambda: idx(10, 3, 7)], lambda x: torch.sort(x, stable=True, descending=True).values),
    "sort_int64_indices": ([lambda: idx(10, 3, 7)], lambda x: torch.sort(x, stable=True).indices),
    "argsort": ([lambda: nodup(None, 4, 5)], lambda x: x.argsort(0, descending=True)),
    "argsort_stable": ([lambda: ties(3, 9)], lambda x: torch.argsort(x, dim=1, stable=True)),
    "topk": ([lambda: nodup(None, 3, 7)], lambda x: x.topk(3).values),
    "topk_smallest_dim0": ([lambda: nodup(None, 6, 4)], lambda x: x.topk(2, 0, largest=False).values),
    "topk_indices": ([lambda: nodup(None, 4, 6)], lambda x: x.topk(4, 1).indices),
    "topk_unsorted": ([lambda: nodup(None, 3, 7)], lambda x: x.topk(3, sorted=False).values.sort().values),
    "topk_noncontig": ([lambda: nodup(None, 7, 4)], lambda x: x.t().topk(2).values),
    "topk_nan_indices": ([lambda: nan_at(nodup(None, 3, 8), 1, 12, 22)], lambda x: x.topk(3).indices),
    "kthvalue": ([lambda: nodup(None, 3, 7)], lambda x: x.kthvalue(3).values),
    "kthvalue_keepdim_dim0": ([lambda: nodup(None, 5, 4)], lambda x: x.kthvalue(2, 0, keepdim=True).values),
    "kthvalue_indices": ([lambda: nodup(None, 4, 6)], lambda x: x.kthvalue(5, 1).indices),
    "kthvalue_nan_indices": ([lambda: nan_at(nodup(None, 3, 8), 1, 12, 22)], lambda x: x.kthvalue(8).indices),
    "cumsum": ([lambda: rnd(3, 5)], lambda x: x.cumsum(1)),
    "cumsum_noncontig": ([lambda: rnd(4, 6)], lambda x: x.t().cumsum(0)),
    "cumsum_3d": ([lambda: rnd(2, 3, 4)], lambda x: x.cumsum(-2)),
    "cumsum_int64": ([lambda: idx(100, 3, 5)], lambda x: x.cumsum(1)),
    "cumsum_bool": ([lambda: rnd(3, 6)], lambda x: (x > 0).cumsum(1)),
    "cumsum_int_dtype": ([lambda: idx(10, 3, 5)], lambda x: x.cumsum(0, dtype=torch.float64)),
    "cumprod": ([lambda: rnd(3, 5)], lambda x: x.cumprod(1)),
    "cumprod_zeros": ([lambda: zeros_at(rnd(4, 6), 2, 6, 9, 13, 14, 23)], lambda x: x.cumprod(1)),
    "cumprod_zeros_noncontig": ([lambda: zeros_at(rnd(4, 6), 0, 7, 9, 14, 20, 21)], lambda x: x.t().cumprod(0)),
    "cumprod_int64": ([lambda: idx(5, 3, 5) - 2], lambda x: x.cumprod(1)),
    "tril": ([lambda: rnd(4, 5)], lambda x: x.tril()),
    "tril_batched": ([lambda: rnd(2, 3, 5)], lambda x: x.tril(-1)),
    "tril_wide_diagonal": ([lambda: rnd(3, 4)], lambda x: x.tril(2)),
    "triu": ([lambda: rnd(5, 4)], lambda x: x.triu(1)),
    "triu_batched": ([lambda: rnd(2, 4, 4)], lambda x: x.triu(-2)),
    "triu_noncontig": ([lambda: rnd(4, 3)], lambda x: x.t().triu()),
    "tril_int64": ([lambda: idx(100, 4, 4)], lambda x: x.tril(1)),
    "triu_bool": ([lambda: rnd(4, 4)], lambda x: (x > 0).triu()),
})

# float32 fast paths: same op definitions, float32 inputs
F32_CASES = ["exp", "log", "tanh", "sigmoid", "relu", "gelu", "gelu_tanh", "softplus", "add", "sub", "mul", "div",
             "add_broadcast", "add_scalar", "mul_scalar", "sum", "sum_dim", "sum_dim0", "mean_dim", "matmul",
             "matmul_batched", "mm_transposed", "addmm", "softmax", "softmax_dim0", "log_softmax", "log_softmax_3d",
             "exp_transposed", "tanh_sliced", "index_select", "exp_narrowed", "sigmoid_narrowed", "add_bias",
             "mul_rows_narrowed", "div_row_scalar", "mul_broadcast", "conv2d", "conv2d_depthwise", "conv2d_pointwise",
             "conv_transpose2d", "conv3d", "max_pool2d", "avg_pool2d", "batch_norm_train", "batch_norm_eval",
             "layer_norm", "group_norm", "embedding_bag_sum", "unfold",
             "sort", "sort_noncontig", "topk", "kthvalue", "cumsum", "cumsum_noncontig", "cumprod",
             "cumprod_zeros", "tril", "triu_batched"]

# scaled dot-product attention (NnOps.scaledDotProductAttention): PyTorch 1.13 has no F.scaled_dot_product_attention,
# so its definition (gen_sdpa_goldens.sdpa, PyTorch 2.5+'s semantics) computes the expected values
from gen_sdpa_goldens import sdpa  # noqa: E402

CASES.update({
    "scaled_dot_product_attention": ([lambda: rnd(2, 3, 4, 5), lambda: rnd(2, 3, 6, 5), lambda: rnd(2, 3, 6, 4),
                                      lambda: rnd(4, 6)], lambda q, k, v, m: sdpa(q, k, v, mask=m)),
    "sdpa_causal": ([lambda: rnd(2, 5, 3), lambda: rnd(2, 4, 3), lambda: rnd(2, 4, 2)],
                    lambda q, k, v: sdpa(q, k, v, causal=True, scale=0.8)),
})
F32_CASES += ["scaled_dot_product_attention", "sdpa_causal"]


def run_case(name, makers, fn, dtype, tensors, meta):
    ins = [m() for m in makers]
    ins = [t.to(dtype) if t.is_floating_point() else t for t in ins]
    leaves = [t.clone().requires_grad_(t.is_floating_point()) for t in ins]
    out = fn(*leaves)
    for i, t in enumerate(ins):
        tensors[f"{name}.in{i}"] = t.contiguous()
    tensors[f"{name}.out"] = out.detach().contiguous()
    if out.requires_grad:
        meta[f"{name}.grad_fn"] = type(out.grad_fn).__name__
        gout = torch.randn(out.shape, dtype=torch.float64).to(out.dtype)
        tensors[f"{name}.gout"] = gout
        (out * gout).sum().backward()
        for i, l in enumerate(leaves):
            if l.requires_grad:
                g = l.grad if l.grad is not None else torch.zeros_like(l)
                tensors[f"{name}.grad{i}"] = g.contiguous()


def main():
    torch.manual_seed(1234)
    tensors, meta = {}, {"torch": torch.__version__}
    for name, (makers, fn) in CASES.items():
        run_case(name, makers, fn, torch.float64, tensors, meta)
    save_file(tensors, os.path.join(OUT, "ops_f64.safetensors"), metadata=meta)

    torch.manual_seed(5678)
    tensors, meta = {}, {"torch": torch.__version__}
    for name in F32_CASES:
        makers, fn = CASES[name]
        run_case(name, makers, fn, torch.float32, tensors, meta)
    save_file(tensors, os.path.join(OUT, "ops_f32.safetensors"), metadata=meta)

    # interchange: every dtype, with companions that say what the values are
    torch.manual_seed(42)
    f = torch.randn(3, 4)
    big = torch.tensor([2 ** 62 + 1, -(2 ** 53) - 3, 7, -1, 0], dtype=torch.int64)
    t = {
        "f32": f, "f64": torch.randn(2, 3, dtype=torch.float64),
        "i64": big, "i64_hi": big >> 32, "i64_lo": big & 0xffffffff,
        "bool": torch.tensor([[True, False, True], [False, False, True]]),
        "f16": (f * 100).half(), "f16_as_f32": (f * 100).half().float(),
        "bf16": (f * 100).bfloat16(), "bf16_as_f32": (f * 100).bfloat16().float(),
        "scalar": torch.tensor(3.25), "empty": torch.zeros(0, 5), "nested.name.weight": torch.arange(6.0).view(2, 3),
    }
    save_file(t, os.path.join(OUT, "interchange.safetensors"), metadata={"producer": "pytorch", "note": "dtypes"})

    # repr strings for the formatter
    torch.manual_seed(7)
    reprs = {
        "small": torch.randn(2, 3), "ints_as_float": torch.tensor([[1., 2.], [3., 40.]]),
        "sci": torch.tensor([1e-5, 1.0, 123.0]), "big": torch.tensor([1e9, 2.0]),
        "f64": torch.randn(3, dtype=torch.float64), "i64": torch.tensor([[1, -20], [300, 4]]),
        "bool": torch.tensor([True, False]), "scalar": torch.tensor(2.5),
        "cube": torch.randn(2, 2, 3), "long_row": torch.randn(30), "summarized": torch.randn(40, 40),
        "neg_zero_nan_inf": torch.tensor([0.5, float("nan"), float("inf"), -float("inf")]),
        "empty": torch.zeros(0, 3), "half": torch.tensor([1.5, -2.25]).half(),
    }
    meta = {k: repr(v) for k, v in reprs.items()}
    meta["requires_grad"] = repr(torch.tensor([1.0, 2.0]).requires_grad_())
    save_file({k: v.contiguous() for k, v in reprs.items()}, os.path.join(OUT, "repr.safetensors"), metadata=meta)
    # half types: arithmetic in float32, rounded back (bits compared exactly)
    torch.manual_seed(9)
    h = {}
    for name, dt in (("f16", torch.float16), ("bf16", torch.bfloat16)):
        a, b = torch.randn(4, 5).to(dt), torch.randn(4, 5).to(dt)
        m = torch.randn(5, 3).to(dt)
        h.update({f"{name}.a": a, f"{name}.b": b, f"{name}.m": m, f"{name}.add": a + b, f"{name}.mul": a * b,
                  f"{name}.div": a / b, f"{name}.exp": a.float().exp().to(dt), f"{name}.tanh": a.float().tanh().to(dt), f"{name}.mm": a.float().mm(m.float()).to(dt),
                  f"{name}.sum": a.float().sum(1).to(dt), f"{name}.to_f32": a.float(),
                  f"{name}.from_f32": torch.randn(7).mul(1000).to(dt), f"{name}.from_f32_src": torch.zeros(0)})
        src = torch.tensor([1e-8, 65504.0, 70000.0, -3.14159, 0.1, 1e30, float("nan")])
        h[f"{name}.from_f32_src"] = src
        h[f"{name}.from_f32"] = src.to(dt)
    save_file(h, os.path.join(OUT, "half.safetensors"), metadata={"torch": torch.__version__})

    # dtype promotion: torch.result_type over tensors of each dtype, 0-dim tensors and Python scalars
    dts = {"float32": torch.float32, "float64": torch.float64, "int64": torch.int64, "bool": torch.bool,
           "float16": torch.float16, "bfloat16": torch.bfloat16}
    operands = {}
    for k, d in dts.items():
        operands[k] = torch.ones(2, dtype=d)
        operands[k + "_0d"] = torch.ones((), dtype=d)
    operands["pyfloat"] = 1.5
    operands["pyint"] = 2
    promo = {}
    for ka, a in operands.items():
        if not torch.is_tensor(a):
            continue
        for kb, b in operands.items():
            promo[f"{ka}|{kb}"] = str(torch.result_type(a, b))
    save_file({"dummy": torch.zeros(1)}, os.path.join(OUT, "promotion.safetensors"), metadata=promo)
    # random streams after manual_seed: jtorch's Generator reproduces these
    rng = {}
    torch.manual_seed(0); rng["rand_f32"] = torch.rand(5)
    torch.manual_seed(0); rng["rand_f64"] = torch.rand(5, dtype=torch.float64)
    torch.manual_seed(1); rng["randn_f64_small"] = torch.randn(7, dtype=torch.float64)
    torch.manual_seed(1); rng["randn_f64_large"] = torch.randn(37, dtype=torch.float64)
    torch.manual_seed(2); rng["randn_f32_large"] = torch.randn(37)
    torch.manual_seed(2); rng["randn_f32_small"] = torch.randn(9)
    torch.manual_seed(3); rng["randint"] = torch.randint(0, 10, (50,))
    torch.manual_seed(3); rng["randint_wide"] = torch.randint(-2 ** 40, 2 ** 40, (5,))
    torch.manual_seed(4); rng["uniform_"] = torch.empty(6).uniform_(-2, 2)
    torch.manual_seed(4); rng["uniform_f64"] = torch.empty(50, dtype=torch.float64).uniform_(-2.3, 3.1)
    torch.manual_seed(4); rng["uniform_f32_odd"] = torch.empty(50).uniform_(-0.37, 0.81)
    torch.manual_seed(4); rng["normal_"] = torch.empty(20, dtype=torch.float64).normal_(1, 2)
    torch.manual_seed(5); rng["bernoulli_"] = torch.empty(40).bernoulli_(0.3)
    save_file(rng, os.path.join(OUT, "rng.safetensors"), metadata={"torch": torch.__version__})
    print("wrote goldens to", OUT, "with torch", torch.__version__)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes nn/src/test/resources/goldens/fusion.safetensors: torch.nn.utils.fusion from PyTorch 1.13, mirrored by
nn/src/test/java/dev/jtorch/nn/utils/FusionTest.java. Run through tools/parity/run.sh.

For each case NAME (float64): NAME.layer.KEY and NAME.bn.KEY (the state dicts, running statistics drawn at random
so the fusion is not the identity), NAME.x (an input), NAME.out (bn(layer(x)) in eval mode), NAME.fused.KEY (the
fused layer's state dict from fuse_conv_bn_eval / fuse_linear_bn_eval) and NAME.fused_out (its output on x).
Metadata NAME -> the arguments the Java test types for the layer, checked by the test.
"""
import os
import sys

import torch
from safetensors.torch import save_file
from torch.nn.utils.fusion import fuse_conv_bn_eval, fuse_linear_bn_eval

torch.manual_seed(0)
torch.set_default_dtype(torch.float64)
T = {}
META = {}


def bn_for(n, dims, affine=True):
    bn = {1: torch.nn.BatchNorm1d, 2: torch.nn.BatchNorm2d, 3: torch.nn.BatchNorm3d}[dims](n, affine=affine)
    bn.running_mean.copy_(torch.randn(n))
    bn.running_var.copy_(torch.rand(n) + 0.5)
    if affine:
        bn.weight.data.copy_(torch.randn(n))
        bn.bias.data.copy_(torch.randn(n))
    return bn.eval()


def case(name, layer, bn, x, fuse, args):
    layer.eval()
    for k, v in layer.state_dict().items():
        T[f"{name}.layer.{k}"] = v.clone()
    for k, v in bn.state_dict().items():
        T[f"{name}.bn.{k}"] = v.clone().double() if v.is_floating_point() else v.clone()
    T[f"{name}.x"] = x
    with torch.no_grad():
        T[f"{name}.out"] = bn(layer(x))
        fused = fuse(layer, bn)
        for k, v in fused.state_dict().items():
            T[f"{name}.fused.{k}"] = v.clone()
        T[f"{name}.fused_out"] = fused(x)
    META[name] = args


case("conv2d", torch.nn.Conv2d(3, 4, 3, stride=2, padding=1), bn_for(4, 2), torch.randn(2, 3, 7, 6),
     fuse_conv_bn_eval, "Conv2d(3, 4, 3, stride=2, padding=1)")
case("conv1d_nobias_noaffine", torch.nn.Conv1d(3, 5, 2, bias=False, dilation=2), bn_for(5, 1, affine=False),
     torch.randn(2, 3, 9), fuse_conv_bn_eval, "Conv1d(3, 5, 2, dilation=2, bias=False); BatchNorm1d(affine=False)")
case("conv3d_groups", torch.nn.Conv3d(4, 6, 2, groups=2), bn_for(6, 3), torch.randn(1, 4, 3, 4, 3),
     fuse_conv_bn_eval, "Conv3d(4, 6, 2, groups=2)")
case("convtranspose2d", torch.nn.ConvTranspose2d(3, 4, 3, stride=2, output_padding=1), bn_for(4, 2),
     torch.randn(2, 3, 4, 5), lambda c, b: fuse_conv_bn_eval(c, b, transpose=True),
     "ConvTranspose2d(3, 4, 3, stride=2, output_padding=1); transpose=True")
case("linear", torch.nn.Linear(5, 4), bn_for(4, 1), torch.randn(3, 5), fuse_linear_bn_eval, "Linear(5, 4)")
case("linear_nobias", torch.nn.Linear(5, 4, bias=False), bn_for(4, 1), torch.randn(3, 5), fuse_linear_bn_eval,
     "Linear(5, 4, bias=False)")

out = sys.argv[1] if len(sys.argv) > 1 else "nn/src/test/resources/goldens"
os.makedirs(out, exist_ok=True)
save_file({k: v.contiguous() for k, v in T.items()}, os.path.join(out, "fusion.safetensors"), metadata=META)
print("wrote", len(T), "tensors for", len(META), "cases")

#!/usr/bin/env python3
"""Writes the nn goldens: for every module of the registry, its state dict, an input, the output, the output
gradient and the gradients of the input and of every parameter, its repr, and its freshly initialised
parameters after manual_seed (init parity). Run through tools/parity/run.sh.

Every case runs in float64 (compared at ~1e-10); random layers (dropout, rrelu) draw after a fixed seed,
which jtorch's generator reproduces.
"""
import os
import sys

import torch
import torch.nn as nn
from safetensors.torch import save_file

OUT = sys.argv[1] if len(sys.argv) > 1 else "nn/src/test/resources/goldens"
os.makedirs(OUT, exist_ok=True)

# name -> (constructor, input shapes, train mode, seed before forward)
MODULES = {
    "Identity": (lambda: nn.Identity(), [(3, 4)], False),
    "Linear": (lambda: nn.Linear(5, 3), [(4, 5)], False),
    "Linear_nobias": (lambda: nn.Linear(5, 3, bias=False), [(2, 4, 5)], False),
    "Bilinear": (lambda: nn.Bilinear(3, 4, 2), [(5, 3), (5, 4)], False),
    "Flatten": (lambda: nn.Flatten(), [(2, 3, 4)], False),
    "Unflatten": (lambda: nn.Unflatten(1, (2, 3)), [(4, 6)], False),
    "ReLU": (lambda: nn.ReLU(), [(3, 4)], False),
    "ReLU6": (lambda: nn.ReLU6(), [(3, 4)], False),
    "LeakyReLU": (lambda: nn.LeakyReLU(0.2), [(3, 4)], False),
    "PReLU": (lambda: nn.PReLU(), [(3, 4)], False),
    "PReLU_channels": (lambda: nn.PReLU(3, 0.1), [(2, 3, 4)], False),
    "RReLU": (lambda: nn.RReLU(0.1, 0.3), [(3, 4)], False),
    "RReLU_train": (lambda: nn.RReLU(0.1, 0.3), [(3, 4)], True),
    "ELU": (lambda: nn.ELU(0.7), [(3, 4)], False),
    "CELU": (lambda: nn.CELU(1.3), [(3, 4)], False),
    "SELU": (lambda: nn.SELU(), [(3, 4)], False),
    "GELU": (lambda: nn.GELU(), [(3, 4)], False),
    "GELU_tanh": (lambda: nn.GELU(approximate="tanh"), [(3, 4)], False),
    "SiLU": (lambda: nn.SiLU(), [(3, 4)], False),
    "Mish": (lambda: nn.Mish(), [(3, 4)], False),
    "Sigmoid": (lambda: nn.Sigmoid(), [(3, 4)], False),
    "Tanh": (lambda: nn.Tanh(), [(3, 4)], False),
    "Hardtanh": (lambda: nn.Hardtanh(-0.5, 0.7), [(3, 4)], False),
    "Hardsigmoid": (lambda: nn.Hardsigmoid(), [(3, 4)], False),
    "Hardswish": (lambda: nn.Hardswish(), [(3, 4)], False),
    "Hardshrink": (lambda: nn.Hardshrink(0.3), [(3, 4)], False),
    "Softshrink": (lambda: nn.Softshrink(0.3), [(3, 4)], False),
    "Tanhshrink": (lambda: nn.Tanhshrink(), [(3, 4)], False),
    "Softsign": (lambda: nn.Softsign(), [(3, 4)], False),
    "Softplus": (lambda: nn.Softplus(2, 1.5), [(3, 4)], False),
    "LogSigmoid": (lambda: nn.LogSigmoid(), [(3, 4)], False),
    "Threshold": (lambda: nn.Threshold(0.1, 20.0), [(3, 4)], False),
    "GLU": (lambda: nn.GLU(), [(3, 4)], False),
    "Softmax": (lambda: nn.Softmax(dim=1), [(3, 4)], False),
    "Softmin": (lambda: nn.Softmin(dim=0), [(3, 4)], False),
    "Softmax2d": (lambda: nn.Softmax2d(), [(2, 3, 2, 2)], False),
    "LogSoftmax": (lambda: nn.LogSoftmax(dim=1), [(3, 4)], False),
    "Dropout": (lambda: nn.Dropout(0.3), [(4, 5)], False),
    "Dropout_train": (lambda: nn.Dropout(0.3), [(4, 5)], True),
    "Dropout1d_train": (lambda: nn.Dropout1d(0.4), [(2, 3, 4)], True),
    "Dropout2d_train": (lambda: nn.Dropout2d(0.4), [(2, 3, 2, 2)], True),
    "Dropout3d_train": (lambda: nn.Dropout3d(0.4), [(2, 3, 2, 1, 2)], True),
    "AlphaDropout_train": (lambda: nn.AlphaDropout(0.2), [(4, 5)], True),
    "FeatureAlphaDropout_train": (lambda: nn.FeatureAlphaDropout(0.2), [(2, 3, 4)], True),
    "Sequential": (lambda: nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 2)), [(3, 4)], False),
    "Sequential_named": (lambda: nn.Sequential(__import__("collections").OrderedDict(
        [("fc", nn.Linear(4, 3)), ("act", nn.ReLU()), ("out", nn.Linear(3, 2, bias=False))])), [(3, 4)], False),
}


def main():
    tensors, meta = {}, {"torch": torch.__version__}
    for name, (ctor, shapes, train) in MODULES.items():
        torch.manual_seed(100)
        m = ctor()
        # init parity: the float32 parameters right after construction
        for k, v in m.state_dict().items():
            tensors[f"{name}.init.{k}"] = v.clone()
        meta[f"{name}.repr"] = repr(m)
        m = m.double()
        m.train(train)
        torch.manual_seed(7)
        xs = [torch.randn(*s, dtype=torch.float64).requires_grad_() for s in shapes]
        for i, x in enumerate(xs):
            tensors[f"{name}.in{i}"] = x.detach().clone()
        for k, v in m.state_dict().items():
            tensors[f"{name}.state.{k}"] = v.clone()
        torch.manual_seed(11)
        y = m(*xs)
        tensors[f"{name}.out"] = y.detach().clone()
        gout = torch.randn(y.shape, dtype=torch.float64)
        tensors[f"{name}.gout"] = gout
        (y * gout).sum().backward()
        for i, x in enumerate(xs):
            tensors[f"{name}.grad_in{i}"] = x.grad.clone()
        for k, p in m.named_parameters():
            tensors[f"{name}.grad.{k}"] = p.grad.clone()
    save_file(tensors, os.path.join(OUT, "modules.safetensors"), metadata=meta)
    api()
    print("wrote", len(MODULES), "module cases to", OUT, "with torch", torch.__version__)


class Block(nn.Module):
    """Mirrored by ModuleApiTest.Block: parameters, a persistent and a non-persistent buffer, children."""

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(3))
        self.register_buffer("steps", torch.zeros(1, dtype=torch.int64))
        self.register_buffer("cache", torch.zeros(2), persistent=False)
        self.fc = nn.Linear(3, 3)
        self.acts = nn.ModuleList([nn.ReLU(), nn.Tanh()])


def api():
    meta = {}
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 4), Block(), nn.ModuleDict({"a": nn.ReLU(), "b": nn.Dropout(0.1)}),
                        nn.ParameterList([nn.Parameter(torch.ones(2, 3)), nn.Parameter(torch.ones(4))]),
                        nn.ParameterDict({"w": nn.Parameter(torch.ones(5))}),
                        nn.ParameterList([nn.Parameter(torch.ones(1))]))
    meta["nested.repr"] = repr(net)
    meta["nested.state_keys"] = ",".join(net.state_dict().keys())
    meta["nested.named_parameters"] = ",".join(k for k, _ in net.named_parameters())
    meta["nested.named_buffers"] = ",".join(k for k, _ in net.named_buffers())
    meta["nested.named_modules"] = ",".join(k for k, _ in net.named_modules())
    sd = net.state_dict()
    bad = dict(sd)
    del bad["0.bias"]
    bad["1.extra"] = torch.zeros(1)
    bad["9.weight"] = torch.zeros(1)
    try:
        net.load_state_dict(bad)
    except RuntimeError as e:
        meta["load.strict_error"] = str(e)
    meta["load.nonstrict_result"] = repr(net.load_state_dict(bad, strict=False))
    wrong = dict(sd)
    wrong["1.fc.weight"] = torch.zeros(4, 3)
    try:
        net.load_state_dict(wrong)
    except RuntimeError as e:
        meta["load.size_error"] = str(e)
    save_file({"dummy": torch.zeros(1)}, os.path.join(OUT, "module_api.safetensors"), metadata=meta)


if __name__ == "__main__":
    main()

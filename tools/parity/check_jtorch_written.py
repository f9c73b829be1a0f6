#!/usr/bin/env python3
"""Reads the safetensors file jtorch wrote (InterchangeTest) with PyTorch and checks every tensor.

The expected values are built here with PyTorch itself (same seeds: jtorch's Generator reproduces
torch.rand/randn), so a wrong byte order, dtype code, shape, offset or RNG shows up as a mismatch.
"""
import sys

import torch
from safetensors import safe_open
from safetensors.torch import load_file

path = sys.argv[1]
got = load_file(path)
with safe_open(path, framework="pt") as f:
    meta = f.metadata()
assert meta == {"producer": "jtorch", "format": "pt"}, meta

torch.manual_seed(0)
rand_f32 = torch.rand(3, 4)
torch.manual_seed(1)
randn_f64 = torch.randn(5, dtype=torch.float64)
expected = {
    "rand_f32": rand_f32,
    "randn_f64": randn_f64,
    "arange_i64": torch.tensor([2 ** 62 + 1, -7, 0, 2 ** 63 - 1, -2 ** 63], dtype=torch.int64),
    "mask_bool": torch.arange(6).view(2, 3) > 2,
    "thirds_f16": (torch.arange(8, dtype=torch.float64) / 3).half(),
    "thirds_bf16": (torch.arange(8, dtype=torch.float64) / 3).bfloat16(),
    "scalar_f64": torch.tensor(-2.5, dtype=torch.float64),
    "empty_f32": torch.zeros(0, 4),
    "transposed_f32": torch.arange(6, dtype=torch.float32).view(2, 3).t().contiguous(),
    "layer.0.weight": torch.eye(3),
}
assert set(got) == set(expected), (sorted(got), sorted(expected))
for k, e in expected.items():
    g = got[k]
    assert g.dtype == e.dtype, (k, g.dtype, e.dtype)
    assert g.shape == e.shape, (k, g.shape, e.shape)
    assert torch.equal(g, e), (k, g, e)
print(f"PyTorch {torch.__version__} read {len(got)} tensors from {path}: all dtypes, shapes and values match")

#!/usr/bin/env python3
"""Writes PyTorch 1.13's answers at the edges of sort, argsort, topk, kthvalue, cumsum, cumprod, tril and triu:
0-dim and empty inputs, signed zeros, infinities and NaN, int64 extremes, bool and float16 inputs, long lines,
float32 sums that PyTorch accumulates in double, and the errors (the message and the Python exception type).

Run through tools/parity/run.sh (or: python3 tools/parity/gen_sort_goldens.py engine/src/test/resources/goldens).
File: sort_scan.safetensors, read by the engine's SortScanTest, whose table builds the same op per case name.
Keys: NAME.in0, NAME.in1 ... the inputs; NAME.out (one output) or NAME.values and NAME.indices; when the output
is differentiable NAME.gout (a random output gradient) and NAME.grad0, the input gradient of sum(out * gout).
Metadata: NAME.error = "IndexError: message" or "RuntimeError: message" for the cases PyTorch refuses.
"""
import os
import sys

import torch
from safetensors.torch import save_file

OUT = sys.argv[1] if len(sys.argv) > 1 else "engine/src/test/resources/goldens"
os.makedirs(OUT, exist_ok=True)
torch.manual_seed(1313)
NAN, INF = float("nan"), float("inf")


def rnd(*shape):
    return torch.randn(*shape, dtype=torch.float64)


def t(*v, dtype=torch.float64):
    return torch.tensor(v, dtype=dtype)


def ties(*shape):
    return (rnd(*shape) * 2).round()


# name -> (inputs, op). An op returns a tensor or a (values, indices) named tuple.
CASES = {
    "sort_0d": ([t(2.5).reshape(())], lambda x: x.sort()),
    "sort_0d_dim0": ([t(-1.5).reshape(())], lambda x: x.sort(0, descending=True)),
    "sort_empty_dim": ([torch.zeros(2, 0, dtype=torch.float64)], lambda x: x.sort(-1)),
    "sort_empty_rows": ([torch.zeros(0, 3, dtype=torch.float64)], lambda x: x.sort(1)),
    "sort_signed_zeros": ([t(0.0, -0.0, 1.0, 0.0, -0.0, -1.0)], lambda x: torch.sort(x, stable=True)),
    "sort_signed_zeros_desc": ([t(0.0, -0.0, 1.0, 0.0, -0.0, -1.0)],
                               lambda x: torch.sort(x, stable=True, descending=True)),
    "sort_inf_nan": ([t(INF, NAN, -INF, 1.0, NAN, -INF, INF, 0.5)], lambda x: torch.sort(x, stable=True)),
    "sort_inf_nan_desc": ([t(INF, NAN, -INF, 1.0, NAN, -INF, INF, 0.5)],
                          lambda x: torch.sort(x, stable=True, descending=True)),
    "sort_all_nan": ([t(NAN, NAN, NAN)], lambda x: torch.sort(x, stable=True, descending=True)),
    "sort_long_line": ([rnd(2, 1100)], lambda x: x.sort(1)),
    "sort_long_ties": ([ties(1, 2100)], lambda x: torch.sort(x, stable=True, dim=1, descending=True)),
    "sort_long_dim0": ([rnd(1100, 2)], lambda x: x.sort(0)),
    "sort_int64_extremes": ([t(2 ** 63 - 1, -2 ** 63, 0, -1, 2 ** 53 + 1, 2 ** 53, 2 ** 63 - 1, dtype=torch.int64)],
                            lambda x: torch.sort(x, stable=True)),
    "sort_bool": ([t(True, False, True, False, False, dtype=torch.bool)], lambda x: torch.sort(x, stable=True)),
    "sort_float16": ([rnd(4, 5).half()], lambda x: x.sort(0, descending=True)),
    "sort_float32": ([rnd(3, 9).float()], lambda x: x.sort(1)),
    "argsort_0d": ([t(3.0).reshape(())], lambda x: x.argsort()),
    "topk_0d_k0": ([t(2.5).reshape(())], lambda x: x.topk(0)),
    "topk_0d_k1": ([t(2.5).reshape(())], lambda x: x.topk(1)),
    "topk_k0": ([rnd(3, 4)], lambda x: x.topk(0)),
    "topk_k_all": ([rnd(3, 4)], lambda x: x.topk(4, largest=False)),
    "topk_empty_rows": ([torch.zeros(0, 3, dtype=torch.float64)], lambda x: x.topk(2, 1)),
    "topk_int64": ([torch.randint(-50, 50, (4, 6))], lambda x: x.topk(2, 0)),
    "topk_inf": ([t(1.0, -INF, 3.0, INF, 2.0)], lambda x: x.topk(3, largest=False)),
    "kthvalue_0d": ([t(2.5).reshape(())], lambda x: x.kthvalue(1)),
    "kthvalue_0d_keepdim": ([t(2.5).reshape(())], lambda x: x.kthvalue(1, 0, True)),
    "kthvalue_empty_rows": ([torch.zeros(0, 3, dtype=torch.float64)], lambda x: x.kthvalue(2)),
    "kthvalue_int64": ([torch.randperm(20).reshape(4, 5) - 7], lambda x: x.kthvalue(2, 1, True)),
    "kthvalue_3d": ([rnd(2, 7, 3)], lambda x: x.kthvalue(4, 1)),
    "cumsum_0d": ([t(2.5).reshape(())], lambda x: x.cumsum(0)),
    "cumprod_0d": ([t(2.5).reshape(())], lambda x: x.cumprod(-1)),
    "cumsum_empty_dim": ([torch.zeros(2, 0, dtype=torch.float64)], lambda x: x.cumsum(1)),
    "cumsum_empty_rows": ([torch.zeros(0, 3, dtype=torch.float64)], lambda x: x.cumsum(1)),
    "cumprod_empty_rows": ([torch.zeros(0, 3, dtype=torch.float64)], lambda x: x.cumprod(0)),
    "cumsum_float32_long": ([torch.randn(2, 1500)], lambda x: x.cumsum(1)),
    "cumprod_float32": ([torch.rand(3, 40) + 0.5], lambda x: x.cumprod(1)),
    "cumsum_int64_exact": ([t(2 ** 62, 2 ** 53 + 1, 1, -(2 ** 62), 3, dtype=torch.int64)], lambda x: x.cumsum(0)),
    "cumprod_bool": ([t(True, True, False, True, dtype=torch.bool)], lambda x: x.cumprod(0)),
    "cumsum_to_float32": ([rnd(3, 4)], lambda x: x.cumsum(1, dtype=torch.float32)),
    "cumsum_inf_nan": ([t(1.0, INF, -INF, 2.0, NAN, 3.0)], lambda x: x.cumsum(0)),
    "cumprod_zero_first": ([t(0.0, 2.0, 3.0, 0.0, 5.0)], lambda x: x.cumprod(0)),
    "cumprod_zero_last": ([t(2.0, 3.0, -1.5, 0.0)], lambda x: x.cumprod(0)),
    "cumprod_all_zero": ([t(0.0, 0.0, 0.0)], lambda x: x.cumprod(0)),
    "tril_empty": ([torch.zeros(0, 3, dtype=torch.float64)], lambda x: x.tril()),
    "triu_empty_batch": ([torch.zeros(2, 0, 4, dtype=torch.float64)], lambda x: x.triu(1)),
    "tril_far_above": ([rnd(3, 4)], lambda x: x.tril(10)),
    "tril_far_below": ([rnd(3, 4)], lambda x: x.tril(-10)),
    "triu_far_above": ([rnd(3, 4)], lambda x: x.triu(10)),
    "triu_4d": ([rnd(2, 2, 3, 4)], lambda x: x.triu(1)),
    "tril_nan": ([t(NAN, NAN, NAN, NAN).reshape(2, 2)], lambda x: x.tril()),
    "tril_float16": ([rnd(3, 3).half()], lambda x: x.tril()),
    # errors
    "sort_bad_dim": ([rnd(3, 4)], lambda x: x.sort(2)),
    "sort_0d_bad_dim": ([t(1.0).reshape(())], lambda x: x.sort(1)),
    "argsort_bad_dim": ([rnd(3, 4)], lambda x: x.argsort(-3)),
    "topk_k_too_big": ([rnd(3, 4)], lambda x: x.topk(5)),
    "topk_k_negative": ([rnd(3, 4)], lambda x: x.topk(-1)),
    "topk_0d_k2": ([t(1.0).reshape(())], lambda x: x.topk(2)),
    "topk_empty_dim_k1": ([torch.zeros(2, 0, dtype=torch.float64)], lambda x: x.topk(1)),
    "topk_bool": ([t(True, False, dtype=torch.bool)], lambda x: x.topk(1)),
    "kthvalue_k0": ([rnd(3, 4)], lambda x: x.kthvalue(0)),
    "kthvalue_k_too_big": ([rnd(3, 4)], lambda x: x.kthvalue(4, 0)),
    "kthvalue_empty_dim": ([torch.zeros(2, 0, dtype=torch.float64)], lambda x: x.kthvalue(1)),
    "kthvalue_0d_k2": ([t(1.0).reshape(())], lambda x: x.kthvalue(2)),
    "kthvalue_bool": ([t(True, False, dtype=torch.bool)], lambda x: x.kthvalue(1)),
    "cumsum_bad_dim": ([rnd(3, 4)], lambda x: x.cumsum(2)),
    "cumprod_bad_dim": ([rnd(3, 4)], lambda x: x.cumprod(-3)),
    "cumsum_bool_dtype": ([rnd(3, 4)], lambda x: x.cumsum(0, dtype=torch.bool)),
    "cumprod_bool_dtype": ([rnd(3, 4)], lambda x: x.cumprod(0, dtype=torch.bool)),
    "tril_1d": ([rnd(3)], lambda x: x.tril()),
    "tril_0d": ([t(1.0).reshape(())], lambda x: x.tril()),
    "triu_1d": ([rnd(3)], lambda x: x.triu(1)),
}


def main():
    tensors, meta = {}, {"torch": torch.__version__}
    for name, (ins, fn) in CASES.items():
        leaves = [x.clone().requires_grad_(x.is_floating_point()) for x in ins]
        for i, x in enumerate(ins):
            tensors[f"{name}.in{i}"] = x.contiguous()
        try:
            r = fn(*leaves)
        except (IndexError, RuntimeError) as e:
            meta[f"{name}.error"] = type(e).__name__ + ": " + str(e)
            continue
        if isinstance(r, torch.Tensor):
            out = r
            tensors[f"{name}.out"] = r.detach().contiguous()
        else:
            out = r.values
            tensors[f"{name}.values"] = r.values.detach().contiguous()
            tensors[f"{name}.indices"] = r.indices.contiguous()
        if out.requires_grad:
            meta[f"{name}.grad_fn"] = type(out.grad_fn).__name__
            gout = torch.randn(out.shape, dtype=torch.float64).to(out.dtype)
            tensors[f"{name}.gout"] = gout
            (out * gout).sum().backward()
            tensors[f"{name}.grad0"] = leaves[0].grad.contiguous()
    save_file(tensors, os.path.join(OUT, "sort_scan.safetensors"), metadata=meta)
    print("wrote sort_scan.safetensors to", OUT, "with torch", torch.__version__, "-", len(CASES), "cases")


if __name__ == "__main__":
    main()

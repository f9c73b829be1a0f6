#!/usr/bin/env python3
"""Writes the goldens of scaled dot-product attention (NnOps.scaledDotProductAttention, F.scaledDotProductAttention).

PyTorch 1.13 has no torch.nn.functional.scaled_dot_product_attention (PyTorch 2.0 added it), so the expected
values come from its definition, computed here in float64 with PyTorch 1.13's autograd:

    s = q @ k^T * scale                      scale = 1 / sqrt(E) unless given
    s = where(mask, s, -inf)                 bool mask: True takes part (PyTorch 2: where(~mask, -inf, 0) added)
    s = s + mask                             float mask (its gradient is the scores')
    s = where(ones(L, S).tril(), s, -inf)    is_causal, top-left aligned
    p = softmax(s) with fully masked rows 0  PyTorch 2.5+'s _safe_softmax (2.0 to 2.4 gave NaN rows)
    p = dropout(p)                           F.dropout after the same manual_seed (the keep mask drawn on p's shape)
    out = p @ v

float32 cases run the definition in float64 on float32 inputs and round the results to float32.

Run: PYTHONPATH=<safetensors> /usr/bin/python3 tools/parity/gen_sdpa_goldens.py [engine goldens dir]
[nn goldens dir] (tools/parity/run.sh does it). Files: engine attention.safetensors; nn attention_f.safetensors
(the same layout, for nn's F.scaledDotProductAttention overloads: metadata NAME also holds "call", the
overload: qkv, mask, causal or all). Per case NAME: NAME.q, NAME.k, NAME.v, NAME.mask
(when there is one), NAME.out, NAME.gout (the output gradient), NAME.dq, NAME.dk, NAME.dv, NAME.dmask (a float
mask's gradient); metadata NAME = JSON of the call's arguments (mask kind, is_causal, scale, dropout_p, seed: the
manual_seed set just before the call, so that the dropout draw can be replayed). The case "long" (L = S = 1000,
E = 64) stores no inputs: they are torch.randn after manual_seed(long.seed), in the order q, k, v, gout, which
jtorch's generator reproduces; only every 37th row of its output and gradients is stored (long.rows).
"""
import json
import math
import os
import sys

import torch
import torch.nn.functional as F
from safetensors.torch import save_file

OUT = sys.argv[1] if len(sys.argv) > 1 else "engine/src/test/resources/goldens"
NN_OUT = sys.argv[2] if len(sys.argv) > 2 else "nn/src/test/resources/goldens"
os.makedirs(OUT, exist_ok=True)
os.makedirs(NN_OUT, exist_ok=True)
F64 = torch.float64


def sdpa(q, k, v, mask=None, causal=False, scale=None, dropout_p=0.0):
    L, S, E = q.size(-2), k.size(-2), q.size(-1)
    sc = (1 / math.sqrt(E) if E > 0 else 0.0) if scale is None else scale
    s = q @ k.transpose(-2, -1) * sc
    neg = torch.tensor(-math.inf, dtype=s.dtype)
    if causal:
        s = torch.where(torch.ones(L, S, dtype=torch.bool).tril(), s, neg)
    if mask is not None:
        s = torch.where(mask, s, neg) if mask.dtype == torch.bool else s + mask
    full = (s == -math.inf).all(-1, keepdim=True)
    p = torch.where(full, torch.zeros((), dtype=s.dtype), torch.softmax(torch.where(full, 0.0, s), -1))
    if dropout_p > 0:
        p = F.dropout(p, dropout_p, training=True)
    return p @ v


def rnd(*shape):
    return torch.randn(*shape, dtype=F64)


def keep(*shape, p=0.7):
    """A random bool mask in which every row (last dim) keeps at least one key."""
    m = torch.rand(*shape) < p
    m[..., 0] |= ~m.any(-1)
    return m


# name -> (q, k, v, mask or None, kwargs); masks are bool, float64 (the case's dtype then) or float32 (kept:
# a float32 mask with float64 queries); a float mask's gradient is checked
def cases():
    c = {}
    c["basic_3d"] = (rnd(2, 5, 8), rnd(2, 7, 8), rnd(2, 7, 8), None, {})
    c["mha_4d_ev"] = (rnd(2, 3, 6, 8), rnd(2, 3, 9, 8), rnd(2, 3, 9, 5), None, {})
    c["unbatched"] = (rnd(4, 6), rnd(7, 6), rnd(7, 3), None, {})
    c["long_batch_dims"] = (rnd(2, 2, 3, 4, 5), rnd(2, 2, 3, 6, 5), rnd(2, 2, 3, 6, 3), None, {})
    c["bool_mask"] = (rnd(2, 3, 5, 4), rnd(2, 3, 6, 4), rnd(2, 3, 6, 4), keep(2, 3, 5, 6), {})
    c["bool_mask_2d"] = (rnd(2, 3, 5, 4), rnd(2, 3, 6, 4), rnd(2, 3, 6, 7), keep(5, 6), {})
    c["key_padding"] = (rnd(2, 3, 5, 4), rnd(2, 3, 6, 4), rnd(2, 3, 6, 4), keep(2, 1, 1, 6, p=0.6), {})
    c["float_mask"] = (rnd(2, 3, 5, 4), rnd(2, 3, 6, 4), rnd(2, 3, 6, 4), rnd(2, 3, 5, 6), {})
    c["float_mask_broadcast"] = (rnd(2, 3, 5, 4), rnd(2, 3, 6, 4), rnd(2, 3, 6, 4), rnd(3, 1, 6), {})
    c["float_mask_neg_inf"] = (rnd(2, 5, 4), rnd(2, 6, 4), rnd(2, 6, 4),
                               rnd(2, 5, 6).masked_fill(~keep(2, 5, 6, p=0.5), -math.inf), {})
    c["causal"] = (rnd(2, 2, 7, 4), rnd(2, 2, 7, 4), rnd(2, 2, 7, 3), None, {"is_causal": True})
    c["causal_l_lt_s"] = (rnd(2, 4, 5), rnd(2, 9, 5), rnd(2, 9, 5), None, {"is_causal": True})
    c["causal_l_gt_s"] = (rnd(2, 9, 5), rnd(2, 4, 5), rnd(2, 4, 2), None, {"is_causal": True})
    c["scale"] = (rnd(2, 5, 6), rnd(2, 7, 6), rnd(2, 7, 6), None, {"scale": 0.3})
    c["scale_negative"] = (rnd(3, 4), rnd(5, 4), rnd(5, 4), keep(3, 5), {"scale": -0.75})
    c["broadcast_batch"] = (rnd(2, 3, 5, 4), rnd(3, 6, 4), rnd(1, 3, 6, 2), None, {})
    fully = keep(2, 5, 6)
    fully[0, 2] = False
    fully[1, 4] = False
    c["fully_masked_rows"] = (rnd(2, 5, 4), rnd(2, 6, 4), rnd(2, 6, 4), fully, {})
    minf = rnd(5, 6)
    minf[1] = -math.inf
    c["fully_masked_float"] = (rnd(2, 5, 4), rnd(2, 6, 4), rnd(2, 6, 4), minf, {})
    c["no_keys"] = (rnd(2, 3, 4), rnd(2, 0, 4), rnd(2, 0, 5), None, {})
    # tiles: more rows and keys than one tile (the CPU's 64 x 128), with masks crossing tile edges
    c["tiles_bool"] = (rnd(1, 70, 6), rnd(1, 131, 6), rnd(1, 131, 5), keep(70, 131, p=0.4), {})
    c["tiles_causal"] = (rnd(1, 130, 4), rnd(1, 135, 4), rnd(1, 135, 3), None, {"is_causal": True})
    c["tiles_float32_mask"] = (rnd(1, 65, 3), rnd(1, 129, 3), rnd(1, 129, 2), (rnd(65, 129) * 3).float(), {})
    c["dropout"] = (rnd(2, 3, 5, 4), rnd(2, 3, 6, 4), rnd(2, 3, 6, 4), None, {"dropout_p": 0.3})
    c["dropout_mask"] = (rnd(2, 5, 4), rnd(2, 6, 4), rnd(2, 6, 3), rnd(2, 5, 6), {"dropout_p": 0.5, "scale": 0.4})
    return c


F32 = ["mha_4d_ev", "bool_mask", "float_mask", "causal", "tiles_causal", "key_padding"]


def run(name, q, k, v, mask, kw, dtype, tensors, meta, seed):
    qs = [t.detach().to(dtype) for t in (q, k, v)]
    m = mask if mask is None or mask.dtype in (torch.bool, torch.float32) else mask.to(dtype)
    leaves = [t.detach().to(F64).clone().requires_grad_() for t in qs]
    mleaf = None if m is None or m.dtype == torch.bool else m.detach().to(F64).clone().requires_grad_()
    torch.manual_seed(seed)
    out = sdpa(*leaves, mask=mleaf if mleaf is not None else m, causal=kw.get("is_causal", False),
               scale=kw.get("scale"), dropout_p=kw.get("dropout_p", 0.0))
    gout = torch.randn(out.shape, dtype=F64).to(dtype)
    (out * gout.to(F64)).sum().backward()
    for key, t in zip("qkv", qs):
        tensors[f"{name}.{key}"] = t.contiguous()
    if m is not None:
        tensors[f"{name}.mask"] = m.clone()
    tensors[f"{name}.out"] = out.detach().to(dtype).contiguous()
    tensors[f"{name}.gout"] = gout.contiguous()
    for key, leaf in zip(("dq", "dk", "dv"), leaves):
        tensors[f"{name}.{key}"] = leaf.grad.to(dtype).contiguous()
    if mleaf is not None:
        tensors[f"{name}.dmask"] = mleaf.grad.to(m.dtype).contiguous()
    meta[name] = json.dumps({
        "mask": "none" if m is None else "bool" if m.dtype == torch.bool else "float",
        "is_causal": kw.get("is_causal", False), "scale": kw.get("scale"), "dropout_p": kw.get("dropout_p", 0.0),
        "seed": seed, "dtype": str(dtype).replace("torch.", "")})


def long_case(tensors, meta):
    seed = 2024
    torch.manual_seed(seed)
    q, k, v, gout = (torch.randn(1000, 64, dtype=F64) for _ in range(4))
    leaves = [t.clone().requires_grad_() for t in (q, k, v)]
    out = sdpa(*leaves)
    (out * gout).sum().backward()
    rows = torch.arange(0, 1000, 37)
    tensors["long.rows"] = rows
    tensors["long.q_head"] = q[:2].contiguous()
    tensors["long.out"] = out.detach()[rows].contiguous()
    for key, leaf in zip(("dq", "dk", "dv"), leaves):
        tensors[f"long.{key}"] = leaf.grad[rows].contiguous()
    meta["long"] = json.dumps({"mask": "none", "is_causal": False, "scale": None, "dropout_p": 0.0, "seed": seed,
                               "dtype": "float64", "L": 1000, "S": 1000, "E": 64})


def main():
    tensors, meta = {}, {"torch": torch.__version__}
    torch.manual_seed(1313)
    all_cases = cases()
    for i, (name, (q, k, v, mask, kw)) in enumerate(all_cases.items()):
        run(name, q, k, v, mask, kw, F64, tensors, meta, 100 + i)
    for i, name in enumerate(F32):
        q, k, v, mask, kw = all_cases[name]
        run(name + "_f32", q, k, v, mask, kw, torch.float32, tensors, meta, 500 + i)
    long_case(tensors, meta)
    save_file(tensors, os.path.join(OUT, "attention.safetensors"), metadata=meta)

    # nn: the F overloads (PyTorch's defaults: no mask, dropout_p 0, is_causal False, scale 1 / sqrt(E))
    tensors, meta = {}, {"torch": torch.__version__}
    torch.manual_seed(2525)
    f_cases = {
        "qkv": (rnd(2, 4, 6, 8), rnd(2, 4, 9, 8), rnd(2, 4, 9, 8), None, {}),
        "mask": (rnd(2, 4, 6, 8), rnd(2, 4, 9, 8), rnd(2, 4, 9, 5), keep(6, 9), {}),
        "causal": (rnd(3, 7, 4), rnd(3, 5, 4), rnd(3, 5, 4), None, {"is_causal": True}),
        "all": (rnd(2, 6, 4), rnd(2, 9, 4), rnd(2, 9, 3), rnd(6, 9), {"dropout_p": 0.2, "scale": 0.5}),
    }
    for i, (name, (q, k, v, mask, kw)) in enumerate(f_cases.items()):
        run(name, q, k, v, mask, kw, F64, tensors, meta, 700 + i)
        if name == "qkv":
            run(name + "_f32", q, k, v, mask, kw, torch.float32, tensors, meta, 710)
    save_file(tensors, os.path.join(NN_OUT, "attention_f.safetensors"), metadata=meta)


if __name__ == "__main__":
    main()

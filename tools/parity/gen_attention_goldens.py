#!/usr/bin/env python3
"""Writes nn/src/test/resources/goldens/attention.safetensors and attention_state.pt: nn.MultiheadAttention
from PyTorch 1.13, mirrored case by case by nn/src/test/java/dev/jtorch/nn/MultiheadAttentionTest.java.
Run through tools/parity/run.sh, or alone:
  PYTHONPATH=<safetensors> /usr/bin/python3 tools/parity/gen_attention_goldens.py nn/src/test/resources/goldens

Metadata "cases" lists the forward cases; for each case NAME:
  NAME.ctor   the constructor's arguments, k=v joined by ',' (embed_dim, num_heads, dropout, bias, add_bias_kv,
              add_zero_attn, kdim, vdim, batch_first; absent ones at PyTorch's defaults)
  NAME.call   the call's flags: inputs=same|kv|distinct (query is key is value / key is value / three tensors),
              need_weights, average_attn_weights, is_causal, train, seed (manual_seed before the forward)
  NAME.ref    how the expected values were computed when 1.13 cannot take the call itself
and tensors NAME.state.KEY (float64 state dict), NAME.q/.k/.v (float64 inputs), NAME.kpm and NAME.attn_mask
(bool or float64, as passed), NAME.out, NAME.weights (absent without weights), NAME.gout and NAME.gw (the
gradients of out and weights: the loss is sum(out * gout) + sum(weights * gw)), NAME.grad_q/_k/_v and
NAME.grad.KEY (every parameter's gradient).

Masks follow current PyTorch (_canonical_mask: a bool mask becomes 0/-inf, the two masks are added). 1.13 fails
on a float key_padding_mask with a float attn_mask and misreads a float key_padding_mask beside a bool attn_mask
(logical_or), so those cases pass 1.13 the sum as one 3-D float attn_mask (NAME.ref says so). is_causal exists
from PyTorch 2.0: its cases pass 1.13 the explicit causal mask (-inf above the diagonal; with an attn_mask, the
hint leaves it as given).

Init cases "init.NAME": NAME.init.KEY (the parameters right after torch.manual_seed(seed) and construction, in
the constructor's dtype), metadata init.NAME.ctor, .seed, .repr and .keys (the state dict keys in order).
Errors: metadata error.NAME = PyTorch 1.13's message for the bad call of that name.
State file: attention_state.pt is torch.save of a float32 state dict; pt.* tensors are its inputs and output.
"""
import os
import sys
import warnings

import torch
import torch.nn as nn
from safetensors.torch import save_file

OUT = sys.argv[1] if len(sys.argv) > 1 else "nn/src/test/resources/goldens"
os.makedirs(OUT, exist_ok=True)
warnings.simplefilter("ignore")
D = torch.float64
T = {}
META = {}
CASES = []

L, N, S, E, H = 4, 2, 5, 6, 2


def put(key, t):
    assert key not in T, key
    T[key] = t.detach().clone().contiguous()


def kv_string(d):
    return ",".join(f"{k}={v}" for k, v in d.items())


def randn(*shape):
    return torch.randn(*shape, dtype=D)


def causal(l, s):
    """scaled_dot_product_attention's is_causal mask: True (not allowed) where key j comes after query i."""
    return torch.ones(l, s, dtype=torch.bool).tril().logical_not()


def float_mask(m):
    return torch.zeros(m.shape, dtype=D).masked_fill(m, float("-inf")) if m.dtype == torch.bool else m


def merged(attn_mask, kpm, n, h):
    """Current PyTorch's merge of an attn_mask and a key_padding_mask (both as float, added), as one 3-D mask."""
    a = float_mask(attn_mask)
    if a.dim() == 2:
        a = a.unsqueeze(0).expand(n * h, -1, -1)
    k = float_mask(kpm).view(n, 1, 1, -1).expand(-1, h, -1, -1).reshape(n * h, 1, -1)
    return a + k


def case(name, ctor=None, inputs="distinct", lq=L, s=S, n=N, kpm=None, attn_mask=None, need_weights=True,
         average=True, is_causal=False, train=False, shapes=None, ref=None, ref_mask=None, unbatched=False):
    """One forward case: kpm/attn_mask are makers (called after the inputs are drawn) or None; ref_mask, when
    given, computes the 3-D mask 1.13 gets instead of (kpm, attn_mask)."""
    ctor = dict(ctor or {})
    CASES.append(name)
    torch.manual_seed(len(CASES))
    args = dict(embed_dim=E, num_heads=H)
    args.update(ctor)
    m = nn.MultiheadAttention(**args).double()
    m.train(train)
    META[name + ".ctor"] = kv_string(args)
    e = args["embed_dim"]
    kd = args.get("kdim") or e
    vd = args.get("vdim") or e
    bf = args.get("batch_first", False) and not unbatched

    def shape(seq, feat):
        if unbatched:
            return (seq, feat)
        return (n, seq, feat) if bf else (seq, n, feat)

    q = randn(*shape(lq, e)).requires_grad_()
    if inputs == "same":
        k = v = q
    elif inputs == "kv":
        k = randn(*shape(s, kd)).requires_grad_()
        v = k
    else:
        k = randn(*shape(s, kd)).requires_grad_()
        v = randn(*shape(s, vd)).requires_grad_()
    km = kpm() if kpm is not None else None
    am = attn_mask() if attn_mask is not None else None
    for key, t in m.state_dict().items():
        put(f"{name}.state.{key}", t)
    put(name + ".q", q)
    if inputs != "same":
        put(name + ".k", k)
    if inputs == "distinct":
        put(name + ".v", v)
    if km is not None:
        put(name + ".kpm", km)
    if am is not None:
        put(name + ".attn_mask", am)
    seed = 1000 + len(CASES)
    META[name + ".call"] = kv_string(dict(inputs=inputs, need_weights=need_weights, average_attn_weights=average,
                                          is_causal=is_causal, train=train, seed=seed))
    # what 1.13 gets
    pk, pa = km, am
    if is_causal and am is None:
        pa = causal(lq, s if inputs != "same" else lq)
        ref = ref or "is_causal without attn_mask: 1.13 given the explicit causal mask"
    if ref_mask is not None:
        pk, pa = None, ref_mask(km, am)
    if ref is not None:
        META[name + ".ref"] = ref
    torch.manual_seed(seed)
    out, w = m(q, k, v, key_padding_mask=pk, need_weights=need_weights, attn_mask=pa,
               average_attn_weights=average)
    put(name + ".out", out)
    gout = randn(*out.shape)
    put(name + ".gout", gout)
    loss = (out * gout).sum()
    if need_weights:
        put(name + ".weights", w)
        gw = randn(*w.shape)
        put(name + ".gw", gw)
        loss = loss + (w * gw).sum()
    loss.backward()
    put(name + ".grad_q", q.grad)
    if inputs != "same":
        put(name + ".grad_k", k.grad)
    if inputs == "distinct":
        put(name + ".grad_v", v.grad)
    for key, p in m.named_parameters():
        put(f"{name}.grad.{key}", p.grad)


def bool_kpm(n=N, s=S):
    def make():
        m = torch.zeros(n, s, dtype=torch.bool)
        m[0, -1] = True
        m[-1, 1] = m[-1, -2] = True
        return m
    return make


def float_kpm(n=N, s=S):
    return lambda: torch.rand(n, s, dtype=D) * -3


def bool_mask(*shape):
    def make():
        m = torch.rand(*shape) < 0.3
        m[..., 0] = False  # every query keeps one key: no row of -inf only
        return m
    return make


def float_mask_maker(*shape):
    return lambda: randn(*shape)


def forward_cases():
    case("self_attention", inputs="same", lq=L)
    case("encoder_decoder", inputs="kv")
    case("distinct_inputs")
    case("kdim_vdim", dict(kdim=5, vdim=3))
    case("kdim_only", dict(kdim=7))
    case("kv_same_separate", dict(kdim=7, vdim=7), inputs="kv")
    case("kdim_equal_embed", dict(kdim=E, vdim=E))
    case("batch_first_self", dict(batch_first=True), inputs="same", kpm=bool_kpm(N, L))
    case("batch_first_kdim_vdim", dict(batch_first=True, kdim=3, vdim=6), attn_mask=float_mask_maker(L, S))
    case("unbatched", unbatched=True)
    case("unbatched_masks", dict(batch_first=True), unbatched=True,
         kpm=lambda: torch.tensor([False, True] + [False] * (S - 2)), attn_mask=float_mask_maker(H, L, S))
    case("unbatched_per_head", unbatched=True, average=False, attn_mask=bool_mask(L, S))
    case("no_bias", dict(bias=False), kpm=bool_kpm())
    case("add_bias_kv", dict(add_bias_kv=True), kpm=bool_kpm(), attn_mask=bool_mask(L, S))
    case("add_zero_attn", dict(add_zero_attn=True), kpm=bool_kpm(), attn_mask=float_mask_maker(N * H, L, S))
    case("add_zero_attn_kpm_float", dict(add_zero_attn=True), kpm=float_kpm())
    case("bias_kv_zero_attn", dict(add_bias_kv=True, add_zero_attn=True, kdim=3, vdim=4), kpm=bool_kpm(),
         attn_mask=bool_mask(N * H, L, S))
    case("kpm_bool", kpm=bool_kpm())
    case("kpm_float", kpm=float_kpm())
    case("mask_2d_bool", attn_mask=bool_mask(L, S))
    case("mask_2d_float", attn_mask=float_mask_maker(L, S))
    case("mask_3d_bool", attn_mask=bool_mask(N * H, L, S))
    case("mask_3d_float", attn_mask=float_mask_maker(N * H, L, S))
    case("mask_float_kpm_bool", kpm=bool_kpm(), attn_mask=float_mask_maker(L, S))
    case("mask_bool_kpm_bool", kpm=bool_kpm(), attn_mask=bool_mask(N * H, L, S))
    case("mask_float_kpm_float", kpm=float_kpm(), attn_mask=float_mask_maker(N * H, L, S),
         ref="current PyTorch adds the masks; 1.13 (which fails here) given their sum as a 3-D float attn_mask",
         ref_mask=lambda k, a: merged(a, k, N, H))
    case("mask_bool_kpm_float", kpm=float_kpm(), attn_mask=bool_mask(L, S),
         ref="current PyTorch adds the masks; 1.13 (which misreads a float key_padding_mask beside a bool "
             "attn_mask) given their sum as a 3-D float attn_mask", ref_mask=lambda k, a: merged(a, k, N, H))
    case("per_head_weights", average=False, kpm=bool_kpm())
    case("no_weights", need_weights=False, attn_mask=bool_mask(L, S))
    case("dropout_train", dict(dropout=0.3), train=True, kpm=bool_kpm())
    case("dropout_train_per_head", dict(dropout=0.5, add_zero_attn=True, batch_first=True), train=True,
         average=False)
    case("dropout_eval", dict(dropout=0.3))
    case("causal_self", inputs="same", is_causal=True, need_weights=False)
    case("causal_weights", inputs="kv", is_causal=True)
    case("causal_kpm_bias_kv", dict(add_bias_kv=True), inputs="same", is_causal=True, kpm=bool_kpm(N, L))
    case("causal_hint_with_mask", inputs="same", is_causal=True, need_weights=False,
         attn_mask=lambda: causal(L, L))
    case("causal_unbatched", inputs="same", unbatched=True, is_causal=True)
    case("wide", dict(embed_dim=12, num_heads=3), lq=3, s=7, kpm=bool_kpm(N, 7))
    case("empty_batch", n=0)
    case("empty_target", lq=0)
    case("fully_masked_batch", kpm=lambda: torch.tensor([[True] * S, [False] * S]))


def init_case(name, seed, **kw):
    torch.manual_seed(seed)
    m = nn.MultiheadAttention(**kw)
    META[f"init.{name}.ctor"] = kv_string({k: str(v).replace("torch.", "") for k, v in kw.items()})
    META[f"init.{name}.seed"] = str(seed)
    META[f"init.{name}.repr"] = repr(m)
    META[f"init.{name}.keys"] = ",".join(m.state_dict().keys())
    for key, t in m.state_dict().items():
        put(f"init.{name}.{key}", t)


def init_cases():
    init_case("packed", 0, embed_dim=8, num_heads=2)
    init_case("separate", 1, embed_dim=8, num_heads=4, kdim=5, vdim=3)
    init_case("no_bias", 2, embed_dim=6, num_heads=3, bias=False)
    init_case("bias_kv", 3, embed_dim=8, num_heads=2, add_bias_kv=True, add_zero_attn=True)
    init_case("bias_kv_wide", 4, embed_dim=32, num_heads=4, add_bias_kv=True, vdim=7)
    init_case("float64", 5, embed_dim=8, num_heads=1, kdim=8, vdim=4, dtype=torch.float64)


def error(name, fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the message is the golden
        META["error." + name] = str(e)
        return
    raise AssertionError(name + " did not fail")


def errors():
    torch.manual_seed(0)
    m = nn.MultiheadAttention(E, H)
    sep = nn.MultiheadAttention(E, H, kdim=5, vdim=3)
    q, k = torch.randn(L, N, E), torch.randn(S, N, E)
    error("query_4d", lambda: m(torch.randn(1, L, N, E), k, k))
    error("batched_key_2d", lambda: m(q, torch.randn(S, E), k))
    error("unbatched_key_3d", lambda: m(torch.randn(L, E), k, torch.randn(S, E)))
    error("batched_kpm_1d", lambda: m(q, k, k, key_padding_mask=torch.zeros(S, dtype=torch.bool)))
    error("unbatched_kpm_2d", lambda: m(torch.randn(L, E), torch.randn(S, E), torch.randn(S, E),
                                         key_padding_mask=torch.zeros(1, S, dtype=torch.bool)))
    error("batched_mask_4d", lambda: m(q, k, k, attn_mask=torch.zeros(1, 1, L, S)))
    error("unbatched_mask_4d", lambda: m(torch.randn(L, E), torch.randn(S, E), torch.randn(S, E),
                                          attn_mask=torch.zeros(1, 1, L, S)))
    error("unbatched_mask_3d_shape", lambda: m(torch.randn(L, E), torch.randn(S, E), torch.randn(S, E),
                                                attn_mask=torch.zeros(H + 1, L, S)))
    error("embed_dim", lambda: m(torch.randn(L, N, E + 2), k, k))
    error("key_value_shape", lambda: m(q, k, torch.randn(S - 1, N, E)))
    error("separate_seq_batch", lambda: sep(q, torch.randn(S, N, 5), torch.randn(S - 1, N, 3)))
    error("separate_key_features", lambda: sep(q, torch.randn(S, N, 6), torch.randn(S, N, 3)))
    error("separate_value_features", lambda: sep(q, torch.randn(S, N, 5), torch.randn(S, N, 2)))
    error("packed_key_features", lambda: m(q, torch.randn(S, N, E + 2), torch.randn(S, N, E + 2)))
    error("mask_2d_shape", lambda: m(q, k, k, attn_mask=torch.zeros(L, L)))
    error("mask_3d_shape", lambda: m(q, k, k, attn_mask=torch.zeros(N, L, S)))
    error("kpm_shape", lambda: m(q, k, k, key_padding_mask=torch.zeros(N, S - 1, dtype=torch.bool)))
    error("kpm_shape_bias_kv", lambda: nn.MultiheadAttention(E, H, add_bias_kv=True)(
        q, k, k, key_padding_mask=torch.zeros(N, S + 1, dtype=torch.bool)))
    error("kpm_dtype", lambda: m(q, k, k, key_padding_mask=torch.zeros(N, S, dtype=torch.int64)))
    error("not_divisible", lambda: nn.MultiheadAttention(E, 4))
    error("dropout_range", lambda: nn.MultiheadAttention(E, H, dropout=1.5)(q, k, k))


def state_file():
    """A float32 state dict through torch.save (kdim/vdim, add_bias_kv), with an input and PyTorch's output."""
    torch.manual_seed(21)
    m = nn.MultiheadAttention(E, H, add_bias_kv=True, kdim=5, vdim=3, batch_first=True).eval()
    torch.save(m.state_dict(), os.path.join(OUT, "attention_state.pt"))
    q, k, v = torch.randn(N, L, E), torch.randn(N, S, 5), torch.randn(N, S, 3)
    kpm = torch.zeros(N, S, dtype=torch.bool)
    kpm[1, 0] = True
    out, w = m(q, k, v, key_padding_mask=kpm)
    for key, t in dict(q=q, k=k, v=v, kpm=kpm, out=out, weights=w).items():
        put("pt." + key, t)
    META["pt.keys"] = ",".join(m.state_dict().keys())


def main():
    forward_cases()
    init_cases()
    errors()
    state_file()
    META["cases"] = ",".join(CASES)
    META["torch"] = torch.__version__
    path = os.path.join(OUT, "attention.safetensors")
    save_file(T, path, metadata=META)
    print(f"attention: {len(CASES)} forward cases, {len([k for k in META if k.startswith('error.')])} errors, "
          f"{len(T)} tensors, {os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes nn/src/test/resources/goldens/transformer.safetensors and transformer_trained.pt: the Transformer modules
of PyTorch 1.13 (TransformerEncoderLayer, TransformerDecoderLayer, TransformerEncoder, TransformerDecoder,
Transformer), mirrored case by case by nn/src/test/java/dev/jtorch/nn/TransformerTest.java.
Run through tools/parity/run.sh, or alone:
  PYTHONPATH=<safetensors> /usr/bin/python3 tools/parity/gen_transformer_goldens.py nn/src/test/resources/goldens

Metadata "cases" lists the forward cases; for each case NAME:
  NAME.kind   enc_layer | dec_layer | encoder | decoder | transformer
  NAME.ctor   the constructor's arguments, k=v joined by ',' (d_model, nhead, dim_feedforward, dropout, activation
              (relu, gelu, gelu_tanh: F.gelu(approximate='tanh'), tanh: torch.tanh), layer_norm_eps,
              batch_first, norm_first, bias; num_layers and norm (True: a final LayerNorm) for the stacks;
              num_encoder_layers and num_decoder_layers for the Transformer)
  NAME.call   train, seed (manual_seed right before the forward), and the is_causal flags of PyTorch 2.x as
              passed to jtorch: is_causal (layers, encoder), tgt_is_causal, memory_is_causal (decoder side),
              src_is_causal (Transformer); True, False or None
  NAME.ref    how the expected values were computed when 1.13 cannot take the call itself
and tensors NAME.state.KEY (the float64 state dict), the inputs NAME.src / NAME.tgt / NAME.memory, the masks under
PyTorch's argument names (NAME.src_mask, NAME.mask, NAME.src_key_padding_mask, NAME.tgt_mask, NAME.memory_mask,
NAME.tgt_key_padding_mask, NAME.memory_key_padding_mask), NAME.out, NAME.gout (the loss is sum(out * gout)),
NAME.grad_src / _tgt / _memory and NAME.grad.KEY (every parameter's gradient).

Every forward runs with gradients enabled and parameters that require them, so 1.13 takes its regular path, never
the inference fast path (torch._transformer_encoder_layer_fwd, nested tensors), which jtorch does not have.

What 1.13 lacks, computed there by the formula:
  bias=False (PyTorch 2.1): the layers built as 2.1 builds them (MultiheadAttention and Linear with bias=False, in
      2.1's order of draws), their LayerNorms' biases zeroed and frozen; those biases are left out of the state
      dict and the gradients. The same as 2.1's LayerNorm(bias=False).
  is_causal, tgt_is_causal, memory_is_causal, src_is_causal (PyTorch 2.x): where the hint comes without its mask,
      1.13 is given the explicit causal mask (True where key j comes after query i); with a mask, the hint leaves
      it as given.
  Masks: only combinations 1.13 reads as current PyTorch does (no float key padding mask beside an attn_mask).

Init cases "init.NAME": NAME.init.KEY (the float32 state right after torch.manual_seed(seed) and construction),
NAME.after (torch.rand(4) drawn right after construction: the deep copies of _get_clones draw nothing), metadata
init.NAME.kind, .ctor, .seed, .repr and .keys (the state dict keys in order).
Errors: metadata error.NAME = PyTorch 1.13's message for the bad call of that name.
Trained model: transformer_trained.pt is torch.save of the float32 state dict of a small Transformer trained ten
Adam steps on random data here; pt.* tensors are an input, its masks and the trained model's output in eval mode
(pt.out in float32, pt.out64 with the same weights in float64).
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
D = torch.float64
T = {}
META = {}
CASES = []

E, H, FF, S, L, N = 8, 2, 16, 5, 4, 3   # d_model, heads, feedforward, source and target lengths, batch

ACTIVATIONS = {"relu": "relu", "gelu": "gelu", "gelu_tanh": lambda x: F.gelu(x, approximate="tanh"),
               "tanh": torch.tanh}
LAYER_DEFAULTS = dict(d_model=E, nhead=H, dim_feedforward=FF, dropout=0.0, activation="relu", layer_norm_eps=1e-5,
                      batch_first=False, norm_first=False, bias=True)


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


def frozen_zero_bias(norm):
    """PyTorch 2.1's LayerNorm(bias=False) in 1.13: the bias zeroed and frozen (left out of the state dict)."""
    with torch.no_grad():
        norm.bias.zero_()
    norm.bias.requires_grad_(False)
    return norm


def layer_norm(a):
    n = nn.LayerNorm(a["d_model"], eps=a["layer_norm_eps"])
    return n if a["bias"] else frozen_zero_bias(n)


def layer_args(a):
    return (a["d_model"], a["nhead"], a["dim_feedforward"], a["dropout"], ACTIVATIONS[a["activation"]],
            a["layer_norm_eps"], a["batch_first"], a["norm_first"])


def mha(a):
    return nn.MultiheadAttention(a["d_model"], a["nhead"], dropout=a["dropout"], bias=a["bias"],
                                 batch_first=a["batch_first"])


def encoder_layer(a):
    """nn.TransformerEncoderLayer as PyTorch 2.1 builds it with these arguments (bias included)."""
    if a["bias"]:
        return nn.TransformerEncoderLayer(*layer_args(a))
    # 2.1's order of draws: self_attn, linear1, linear2 (the LayerNorms draw nothing)
    sa = mha(a)
    l1 = nn.Linear(a["d_model"], a["dim_feedforward"], bias=False)
    l2 = nn.Linear(a["dim_feedforward"], a["d_model"], bias=False)
    with torch.random.fork_rng():
        m = nn.TransformerEncoderLayer(*layer_args(a))
    m.self_attn, m.linear1, m.linear2 = sa, l1, l2
    frozen_zero_bias(m.norm1)
    frozen_zero_bias(m.norm2)
    return m


def decoder_layer(a):
    """nn.TransformerDecoderLayer as PyTorch 2.1 builds it with these arguments (bias included)."""
    if a["bias"]:
        return nn.TransformerDecoderLayer(*layer_args(a))
    sa = mha(a)
    ca = mha(a)
    l1 = nn.Linear(a["d_model"], a["dim_feedforward"], bias=False)
    l2 = nn.Linear(a["dim_feedforward"], a["d_model"], bias=False)
    with torch.random.fork_rng():
        m = nn.TransformerDecoderLayer(*layer_args(a))
    m.self_attn, m.multihead_attn, m.linear1, m.linear2 = sa, ca, l1, l2
    for norm in (m.norm1, m.norm2, m.norm3):
        frozen_zero_bias(norm)
    return m


def build(kind, a):
    if kind == "enc_layer":
        return encoder_layer(a)
    if kind == "dec_layer":
        return decoder_layer(a)
    if kind == "encoder":
        layer = encoder_layer(a)
        return nn.TransformerEncoder(layer, a["num_layers"], layer_norm(a) if a["norm"] else None)
    if kind == "decoder":
        layer = decoder_layer(a)
        return nn.TransformerDecoder(layer, a["num_layers"], layer_norm(a) if a["norm"] else None)
    assert kind == "transformer"
    # 2.1's Transformer: encoder layer, its norm, the encoder (deep copies), the same for the decoder, then
    # _reset_parameters; 1.13 takes the stacks as custom_encoder/custom_decoder and resets the same parameters
    enc_layer = encoder_layer(a)
    enc = nn.TransformerEncoder(enc_layer, a["num_encoder_layers"], layer_norm(a))
    dec_layer = decoder_layer(a)
    dec = nn.TransformerDecoder(dec_layer, a["num_decoder_layers"], layer_norm(a))
    return nn.Transformer(a["d_model"], a["nhead"], dim_feedforward=a["dim_feedforward"], dropout=a["dropout"],
                          custom_encoder=enc, custom_decoder=dec, batch_first=a["batch_first"],
                          norm_first=a["norm_first"])


def state_of(m):
    """The state dict jtorch's module has: without the frozen zero biases standing in for bias=False."""
    frozen = {k for k, p in m.named_parameters() if not p.requires_grad}
    return {k: v for k, v in m.state_dict().items() if k not in frozen}


def shape(a, seq, n, unbatched):
    if unbatched:
        return (seq, a["d_model"])
    return (n, seq, a["d_model"]) if a["batch_first"] else (seq, n, a["d_model"])


def bool_kpm(n, s):
    def make():
        m = torch.zeros(n, s, dtype=torch.bool)
        m[0, -1] = True
        m[-1, 1] = m[-1, -2] = True
        return m
    return make


def float_kpm(n, s):
    return lambda: torch.rand(n, s, dtype=D) * -3


def bool_mask(*shape):
    def make():
        m = torch.rand(*shape) < 0.3
        m[..., 0] = False  # every query keeps one key
        return m
    return make


def float_mask(*shape):
    return lambda: randn(*shape)


def square_subsequent(sz):
    return lambda: nn.Transformer.generate_square_subsequent_mask(sz).to(D)


# which tensor each kind takes, and which masks
INPUTS = {"enc_layer": ["src"], "encoder": ["src"], "dec_layer": ["tgt", "memory"], "decoder": ["tgt", "memory"],
          "transformer": ["src", "tgt"]}
MASKS = {"enc_layer": ["src_mask", "src_key_padding_mask"], "encoder": ["mask", "src_key_padding_mask"],
         "dec_layer": ["tgt_mask", "memory_mask", "tgt_key_padding_mask", "memory_key_padding_mask"],
         "decoder": ["tgt_mask", "memory_mask", "tgt_key_padding_mask", "memory_key_padding_mask"],
         "transformer": ["src_mask", "tgt_mask", "memory_mask", "src_key_padding_mask", "tgt_key_padding_mask",
                         "memory_key_padding_mask"]}
# hint -> (its mask, query length, key length) for the explicit mask 1.13 gets
HINTS = {"is_causal": ("src_mask", "s", "s"), "src_is_causal": ("src_mask", "s", "s"),
         "tgt_is_causal": ("tgt_mask", "t", "t"), "memory_is_causal": ("memory_mask", "t", "s")}


def case(name, kind, ctor=None, masks=None, train=False, s=S, t=L, n=N, unbatched=False, hints=None, ref=None):
    """One forward case. masks: {argument name: maker}; hints: {is_causal flag: True/False/None} as jtorch gets
    them (1.13 gets the explicit causal mask where a True hint comes without its mask)."""
    CASES.append(name)
    torch.manual_seed(len(CASES))
    a = dict(LAYER_DEFAULTS)
    if kind in ("encoder", "decoder"):
        a.update(num_layers=2, norm=True)
    if kind == "transformer":
        a.update(num_encoder_layers=2, num_decoder_layers=2)
    a.update(ctor or {})
    m = build(kind, a).double()
    m.train(train)
    META[name + ".kind"] = kind
    META[name + ".ctor"] = kv_string(a)
    for key, v in state_of(m).items():
        put(f"{name}.state.{key}", v)
    seqs = {"src": s, "tgt": t, "memory": s}
    xs = {k: randn(*shape(a, seqs[k], n, unbatched)).requires_grad_() for k in INPUTS[kind]}
    for k, x in xs.items():
        put(f"{name}.{k}", x)
    given = {}
    for k, make in (masks or {}).items():
        assert k in MASKS[kind], (name, k)
        given[k] = make()
        put(f"{name}.{k}", given[k])
    seed = 1000 + len(CASES)
    hints = dict(hints or {})
    META[name + ".call"] = kv_string(dict(train=train, seed=seed, **hints))
    # what 1.13 gets
    passed = dict(given)
    for flag, value in hints.items():
        mask_name, q, k = HINTS[flag]
        if kind == "encoder" and mask_name == "src_mask":
            mask_name = "mask"
        if value is True and mask_name not in given:
            passed[mask_name] = causal(s if q == "s" else t, s if k == "s" else t)
            ref = ref or f"{flag} without its mask: 1.13 given the explicit causal mask"
    if not a["bias"]:
        ref = ((ref + "; ") if ref else "") + ("bias=False (2.1): Linear and attention without biases, LayerNorm "
                                               "biases zeroed and frozen in 1.13")
    if ref is not None:
        META[name + ".ref"] = ref
    torch.manual_seed(seed)
    out = m(*xs.values(), **passed)
    put(name + ".out", out)
    gout = randn(*out.shape)
    put(name + ".gout", gout)
    (out * gout).sum().backward()
    for k, x in xs.items():
        put(f"{name}.grad_{k}", x.grad)
    for key, p in m.named_parameters():
        if p.requires_grad:
            put(f"{name}.grad.{key}", p.grad)


def forward_cases():
    # encoder layers
    case("enc_default", "enc_layer")
    case("enc_norm_first_gelu", "enc_layer", dict(norm_first=True, activation="gelu"),
         masks=dict(src_mask=float_mask(S, S)))
    case("enc_batch_first_kpm_bool", "enc_layer", dict(batch_first=True),
         masks=dict(src_key_padding_mask=bool_kpm(N, S)))
    case("enc_mask_bool", "enc_layer", masks=dict(src_mask=bool_mask(S, S)))
    case("enc_mask_3d_float", "enc_layer", masks=dict(src_mask=float_mask(N * H, S, S)))
    case("enc_mask_3d_bool_kpm_bool", "enc_layer", masks=dict(src_mask=bool_mask(N * H, S, S),
                                                              src_key_padding_mask=bool_kpm(N, S)))
    case("enc_kpm_float", "enc_layer", masks=dict(src_key_padding_mask=float_kpm(N, S)))
    case("enc_mask_float_kpm_bool", "enc_layer", dict(norm_first=True),
         masks=dict(src_mask=float_mask(S, S), src_key_padding_mask=bool_kpm(N, S)))
    case("enc_square_subsequent", "enc_layer", masks=dict(src_mask=square_subsequent(S)))
    case("enc_is_causal", "enc_layer", hints=dict(is_causal=True))
    case("enc_is_causal_with_mask", "enc_layer", masks=dict(src_mask=square_subsequent(S)),
         hints=dict(is_causal=True))
    case("enc_unbatched", "enc_layer", dict(batch_first=True), unbatched=True,
         masks=dict(src_key_padding_mask=lambda: torch.tensor([False, True] + [False] * (S - 2))))
    case("enc_dropout_train", "enc_layer", dict(dropout=0.3), train=True, masks=dict(src_key_padding_mask=bool_kpm(N, S)))
    case("enc_dropout_train_norm_first_gelu", "enc_layer", dict(dropout=0.5, norm_first=True, activation="gelu",
                                                                 batch_first=True), train=True)
    case("enc_dropout_eval", "enc_layer", dict(dropout=0.3))
    case("enc_no_bias", "enc_layer", dict(bias=False), masks=dict(src_key_padding_mask=bool_kpm(N, S)))
    case("enc_no_bias_norm_first_train", "enc_layer", dict(bias=False, norm_first=True, dropout=0.2), train=True)
    case("enc_activation_gelu_tanh", "enc_layer", dict(activation="gelu_tanh"))
    case("enc_activation_tanh_eps", "enc_layer", dict(activation="tanh", layer_norm_eps=1e-3))
    case("enc_wide", "enc_layer", dict(d_model=12, nhead=3, dim_feedforward=7), s=7)
    # decoder layers
    case("dec_default", "dec_layer")
    case("dec_norm_first_gelu", "dec_layer", dict(norm_first=True, activation="gelu"),
         masks=dict(tgt_mask=square_subsequent(L)))
    case("dec_batch_first_masks", "dec_layer", dict(batch_first=True),
         masks=dict(tgt_mask=square_subsequent(L), tgt_key_padding_mask=bool_kpm(N, L),
                    memory_key_padding_mask=bool_kpm(N, S)))
    case("dec_memory_mask_float", "dec_layer", masks=dict(tgt_mask=bool_mask(L, L), memory_mask=float_mask(L, S)))
    case("dec_masks_3d", "dec_layer", dict(norm_first=True),
         masks=dict(tgt_mask=float_mask(N * H, L, L), memory_mask=bool_mask(N * H, L, S),
                    memory_key_padding_mask=bool_kpm(N, S)))
    case("dec_kpm_float", "dec_layer", masks=dict(tgt_key_padding_mask=float_kpm(N, L),
                                                  memory_key_padding_mask=float_kpm(N, S)))
    case("dec_causal_hints", "dec_layer", hints=dict(tgt_is_causal=True, memory_is_causal=True),
         masks=dict(memory_key_padding_mask=bool_kpm(N, S)))
    case("dec_unbatched", "dec_layer", unbatched=True,
         masks=dict(tgt_mask=square_subsequent(L), memory_key_padding_mask=lambda: torch.tensor(
             [False] * (S - 1) + [True])))
    case("dec_dropout_train", "dec_layer", dict(dropout=0.3), train=True, masks=dict(tgt_mask=square_subsequent(L)))
    case("dec_dropout_train_norm_first", "dec_layer", dict(dropout=0.2, norm_first=True, batch_first=True,
                                                           activation="gelu"), train=True)
    case("dec_no_bias", "dec_layer", dict(bias=False), masks=dict(tgt_mask=square_subsequent(L)))
    case("dec_no_bias_norm_first", "dec_layer", dict(bias=False, norm_first=True, batch_first=True))
    # stacks
    case("encoder_norm", "encoder", masks=dict(mask=square_subsequent(S), src_key_padding_mask=bool_kpm(N, S)),
         hints=dict(is_causal=None))
    case("encoder_no_norm_train", "encoder", dict(num_layers=3, norm=False, dropout=0.2), train=True)
    case("encoder_batch_first_norm_first", "encoder", dict(batch_first=True, norm_first=True, activation="gelu"),
         masks=dict(mask=bool_mask(S, S)))
    case("encoder_is_causal", "encoder", dict(num_layers=1), hints=dict(is_causal=True))
    case("encoder_no_bias", "encoder", dict(bias=False), masks=dict(src_key_padding_mask=float_kpm(N, S)))
    case("decoder_norm", "decoder", masks=dict(tgt_mask=square_subsequent(L), memory_key_padding_mask=bool_kpm(N, S)),
         hints=dict(tgt_is_causal=None))
    case("decoder_batch_first_norm_first", "decoder", dict(batch_first=True, norm_first=True, num_layers=3),
         masks=dict(tgt_key_padding_mask=bool_kpm(N, L), memory_mask=float_mask(L, S)))
    case("decoder_train", "decoder", dict(dropout=0.25, norm=False), train=True,
         masks=dict(tgt_mask=square_subsequent(L)))
    case("decoder_no_bias", "decoder", dict(bias=False, norm_first=True))
    # the Transformer: d_model 16, 4 heads, 2 + 2 layers, dim_feedforward 32
    small = dict(d_model=16, nhead=4, dim_feedforward=32, dropout=0.1)
    case("transformer", "transformer", small,
         masks=dict(tgt_mask=square_subsequent(L), src_key_padding_mask=bool_kpm(N, S),
                    memory_key_padding_mask=bool_kpm(N, S)), hints=dict(src_is_causal=None, tgt_is_causal=None))
    # smaller ones (d_model 8, 2 heads, 1 + 1 layers) for the variants
    tiny = dict(dropout=0.1, num_encoder_layers=1, num_decoder_layers=1)
    case("transformer_train", "transformer", tiny, train=True, masks=dict(tgt_mask=square_subsequent(L)))
    case("transformer_batch_first_norm_first_gelu", "transformer",
         dict(tiny, batch_first=True, norm_first=True, activation="gelu", num_decoder_layers=2),
         masks=dict(src_mask=bool_mask(S, S), tgt_mask=square_subsequent(L), memory_mask=float_mask(L, S),
                    tgt_key_padding_mask=bool_kpm(N, L)))
    case("transformer_no_bias", "transformer", dict(tiny, bias=False), masks=dict(tgt_mask=square_subsequent(L)))
    case("transformer_unbatched", "transformer", tiny, unbatched=True, hints=dict(tgt_is_causal=True))


def init_case(name, kind, seed, **kw):
    a = dict(LAYER_DEFAULTS, dropout=0.1)
    if kind in ("encoder", "decoder"):
        a.update(num_layers=2, norm=True)
    if kind == "transformer":
        a.update(num_encoder_layers=2, num_decoder_layers=2)
    a.update(kw)
    torch.manual_seed(seed)
    m = build(kind, a)
    after = torch.rand(4)
    META[f"init.{name}.kind"] = kind
    META[f"init.{name}.ctor"] = kv_string(a)
    META[f"init.{name}.seed"] = str(seed)
    META[f"init.{name}.repr"] = repr(m)
    sd = state_of(m)
    META[f"init.{name}.keys"] = ",".join(sd.keys())
    for key, v in sd.items():
        put(f"init.{name}.{key}", v)
    put(f"init.{name}.after", after)


def check_emulation():
    """The Transformer built from its stacks (as the cases build it) is nn.Transformer's, draw for draw."""
    a = dict(LAYER_DEFAULTS, d_model=16, nhead=4, dim_feedforward=32, dropout=0.1, num_encoder_layers=2,
             num_decoder_layers=3, norm_first=True, batch_first=True)
    torch.manual_seed(5)
    built = build("transformer", a)
    after_built = torch.rand(3)
    torch.manual_seed(5)
    direct = nn.Transformer(16, 4, 2, 3, 32, 0.1, batch_first=True, norm_first=True)
    after_direct = torch.rand(3)
    assert list(built.state_dict()) == list(direct.state_dict())
    assert all(torch.equal(v, direct.state_dict()[k]) for k, v in built.state_dict().items())
    assert torch.equal(after_built, after_direct) and repr(built) == repr(direct)


def init_cases():
    check_emulation()
    init_case("enc_layer", "enc_layer", 0)
    init_case("enc_layer_no_bias", "enc_layer", 1, bias=False, norm_first=True)
    init_case("dec_layer", "dec_layer", 2, activation="gelu", batch_first=True)
    init_case("dec_layer_no_bias", "dec_layer", 3, bias=False)
    init_case("encoder", "encoder", 4, num_layers=3)
    init_case("encoder_no_norm", "encoder", 5, norm=False)
    init_case("decoder", "decoder", 6)
    init_case("transformer", "transformer", 7, d_model=16, nhead=4, dim_feedforward=32)
    init_case("transformer_no_bias", "transformer", 8, d_model=16, nhead=4, dim_feedforward=32, bias=False,
              num_encoder_layers=1, num_decoder_layers=3)


def error(name, fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the message is the golden
        META["error." + name] = str(e)
        return
    raise AssertionError(name + " did not fail")


def errors():
    torch.manual_seed(0)
    model = nn.Transformer(E, H, 1, 1, FF)
    enc = nn.TransformerEncoderLayer(E, H, FF)
    error("activation_name", lambda: nn.TransformerEncoderLayer(E, H, activation="tanh"))
    error("decoder_activation_name", lambda: nn.TransformerDecoderLayer(E, H, activation="swish"))
    error("not_divisible", lambda: nn.TransformerEncoderLayer(E, 3))
    error("dropout_range", lambda: nn.TransformerDecoderLayer(E, H, dropout=1.5))
    error("batch_number", lambda: model(torch.randn(S, N, E), torch.randn(L, N + 1, E)))
    error("batch_number_batch_first", lambda: nn.Transformer(E, H, 1, 1, FF, batch_first=True)(
        torch.randn(N, S, E), torch.randn(N + 1, L, E)))
    error("feature_number", lambda: model(torch.randn(S, N, E), torch.randn(L, N, E + 1)))
    error("src_4d", lambda: enc(torch.randn(1, S, N, E)))
    error("src_mask_shape", lambda: enc(torch.randn(S, N, E), src_mask=torch.zeros(S - 1, S - 1)))
    error("kpm_shape", lambda: enc(torch.randn(S, N, E),
                                   src_key_padding_mask=torch.zeros(N, S + 1, dtype=torch.bool)))
    error("memory_embed_dim", lambda: nn.TransformerDecoderLayer(E, H, FF)(torch.randn(L, N, E),
                                                                            torch.randn(S, N, E + 2)))


def trained():
    """A small Transformer trained ten Adam steps on random data; its float32 state dict through torch.save."""
    torch.manual_seed(31)
    model = nn.Transformer(16, 4, 2, 2, 32, dropout=0.1, batch_first=True)
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    src, tgt, target = torch.randn(4, 6, 16), torch.randn(4, 5, 16), torch.randn(4, 5, 16)
    mask = nn.Transformer.generate_square_subsequent_mask(5)
    model.train()
    for _ in range(10):
        opt.zero_grad()
        loss = F.mse_loss(model(src, tgt, tgt_mask=mask), target)
        loss.backward()
        opt.step()
    model.eval()
    torch.save(model.state_dict(), os.path.join(OUT, "transformer_trained.pt"))
    x, y = torch.randn(3, 6, 16), torch.randn(3, 5, 16)
    kpm = torch.zeros(3, 6, dtype=torch.bool)
    kpm[1, -2:] = True
    # gradients enabled and parameters requiring them: 1.13's regular path, as jtorch computes
    out = model(x, y, tgt_mask=mask, src_key_padding_mask=kpm, memory_key_padding_mask=kpm)
    # and the same weights in float64, for a check at float64 precision
    out64 = model.double()(x.double(), y.double(), tgt_mask=mask.double(), src_key_padding_mask=kpm,
                           memory_key_padding_mask=kpm)
    for key, v in dict(src=x, tgt=y, tgt_mask=mask, src_key_padding_mask=kpm, out=out, out64=out64).items():
        put("pt." + key, v)
    META["pt.keys"] = ",".join(model.state_dict().keys())
    META["pt.final_loss"] = repr(loss.item())


def main():
    forward_cases()
    init_cases()
    errors()
    trained()
    META["cases"] = ",".join(CASES)
    META["torch"] = torch.__version__
    path = os.path.join(OUT, "transformer.safetensors")
    save_file(T, path, metadata=META)
    print(f"transformer: {len(CASES)} forward cases, {len([k for k in META if k.startswith('init.') and k.endswith('.seed')])}"
          f" init cases, {len([k for k in META if k.startswith('error.')])} errors, {len(T)} tensors, "
          f"{os.path.getsize(path)} bytes")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes nn/src/test/resources/goldens/prune.safetensors: torch.nn.utils.prune from PyTorch 1.13, mirrored by
nn/src/test/java/dev/jtorch/nn/utils/prune/PruneGoldenTest.java. Run through tools/parity/run.sh.

Layers are float64 with weights drawn from randn (no ties in the importance scores): "lin" is Linear(5, 4),
"conv" is Conv2d(3, 4, 3). For each case NAME:
  NAME.sd.KEY    the layer's state dict before pruning (the Java test loads it into a fresh layer),
  NAME.imp       the importance scores, when the case passes some,
  NAME.maskI     the mask after the I-th prune call (I = 1, 2, ...),
  NAME.prunedI   module.<name> after the I-th prune call (orig * mask),
and metadata NAME -> the calls the Java test makes (checked by the test: it types the same calls).
Random methods: torch.manual_seed(SEED) right before the prune call, SEED in metadata NAME.seed.
Global cases: GNAME.sd.L.KEY for each layer L of the list, GNAME.mask.L / GNAME.pruned.L after the call.
Error messages: metadata err.NAME, PyTorch's message for the failing call NAME.
State dict: "sd_model" is Sequential(Linear(5, 4), ReLU(), Linear(4, 3)) with 0.weight l1-pruned and 2.bias
custom-masked: sd_model.before.KEY, sd_model.pruned.KEY (its pruned state dict), metadata sd_model.keys_pruned
and sd_model.keys_removed (comma-joined keys after pruning and after remove of both), sd_model.removed.KEY.
Forward/backward: fwd_lin and fwd_conv: .sd.KEY, .x, .gout, .out, .grad.KEY (gradients of (out*gout).sum() with
respect to each parameter, weight_orig included), .mask.
"""
import os
import sys

import torch
import torch.nn.utils.prune as prune

torch.manual_seed(0)
T = {}
META = {}


def layer(kind):
    if kind == "lin":
        m = torch.nn.Linear(5, 4).double()
    else:
        m = torch.nn.Conv2d(3, 4, 3).double()
    with torch.no_grad():
        for p in m.parameters():
            p.copy_(torch.randn_like(p))
    return m


def save_sd(prefix, m):
    for k, v in m.state_dict().items():
        T[f"{prefix}.{k}"] = v.detach().clone()


def case(name, kind, tensor, calls, desc, imp=None, seeds=None):
    """calls: functions (module, name, imp) -> None applied in order; seeds: a seed per call or None."""
    m = layer(kind)
    save_sd(f"{name}.sd", m)
    if imp is not None:
        T[f"{name}.imp"] = imp
    for i, call in enumerate(calls, 1):
        if seeds is not None and seeds[i - 1] is not None:
            torch.manual_seed(seeds[i - 1])
        call(m, tensor, imp)
        T[f"{name}.mask{i}"] = getattr(m, tensor + "_mask").clone()
        T[f"{name}.pruned{i}"] = getattr(m, tensor).detach().clone()
    META[name] = desc
    if seeds is not None:
        META[name + ".seed"] = ",".join("" if s is None else str(s) for s in seeds)


l1 = lambda a: (lambda m, n, imp: prune.l1_unstructured(m, n, amount=a, importance_scores=imp))
rnd = lambda a: (lambda m, n, imp: prune.random_unstructured(m, n, amount=a))
rst = lambda a, d: (lambda m, n, imp: prune.random_structured(m, n, amount=a, dim=d))
ln = lambda a, p, d: (lambda m, n, imp: prune.ln_structured(m, n, amount=a, n=p, dim=d, importance_scores=imp))

# l1_unstructured: int and float amounts, weights and biases
case("l1_lin_w_int", "lin", "weight", [l1(5)], "lin weight l1Unstructured(5)")
case("l1_lin_w_float", "lin", "weight", [l1(0.3)], "lin weight l1Unstructured(0.3)")
case("l1_lin_b_int", "lin", "bias", [l1(2)], "lin bias l1Unstructured(2)")
case("l1_conv_w_float", "conv", "weight", [l1(0.45)], "conv weight l1Unstructured(0.45)")
case("l1_conv_b_float", "conv", "bias", [l1(0.5)], "conv bias l1Unstructured(0.5): round(2.0)")
case("l1_lin_w_zero", "lin", "weight", [l1(0)], "lin weight l1Unstructured(0): mask of ones")
case("l1_lin_w_all", "lin", "weight", [l1(1.0)], "lin weight l1Unstructured(1.0): all pruned")
case("l1_lin_w_imp", "lin", "weight", [l1(0.4)], "lin weight l1Unstructured(0.4, imp)",
     imp=torch.randn(4, 5, dtype=torch.float64))

# ln_structured: n = 1, 2, inf, -inf; dims 0 and 1 (and -1); int and float amounts
for p, pn in ((1, "1"), (2, "2"), (float("inf"), "inf")):
    for d in (0, 1):
        case(f"ln{pn}_conv_d{d}", "conv", "weight", [ln(0.5, p, d)], f"conv weight lnStructured(0.5, {pn}, {d})")
        case(f"ln{pn}_lin_d{d}_int", "lin", "weight", [ln(1, p, d)], f"lin weight lnStructured(1, {pn}, {d})")
case("lnninf_conv_dm1", "conv", "weight", [ln(2, float("-inf"), -1)], "conv weight lnStructured(2, -inf, -1)")
case("ln2_lin_d1_round", "lin", "weight", [ln(0.5, 2, 1)], "lin weight lnStructured(0.5, 2, 1): round(2.5) = 2")
case("ln1_conv_imp", "conv", "weight", [ln(0.5, 1, 0)], "conv weight lnStructured(0.5, 1, 0, imp)",
     imp=torch.randn(4, 3, 3, 3, dtype=torch.float64))

# random methods: manual seed right before the call
case("rnd_lin_w_float", "lin", "weight", [rnd(0.3)], "lin weight randomUnstructured(0.3)", seeds=[7])
case("rnd_conv_b_int", "conv", "bias", [rnd(2)], "conv bias randomUnstructured(2)", seeds=[8])
case("rst_lin_w_d0", "lin", "weight", [rst(0.5, 0)], "lin weight randomStructured(0.5, 0)", seeds=[9])
case("rst_conv_w_d1_int", "conv", "weight", [rst(2, 1)], "conv weight randomStructured(2, 1)", seeds=[10])

# iterative pruning of one tensor (PruningContainer)
case("it_l1_ln", "conv", "weight", [l1(0.3), ln(0.5, 2, 0)], "conv weight l1Unstructured(0.3) then lnStructured(0.5, 2, 0)")
case("it_ln_l1", "conv", "weight", [ln(1, 1, 1), l1(10)], "conv weight lnStructured(1, 1, 1) then l1Unstructured(10)")
case("it_l1_l1_l1", "lin", "weight", [l1(3), l1(0.25), l1(2)], "lin weight l1Unstructured 3, 0.25, 2")
case("it_ln_ln", "conv", "weight", [ln(1, 2, 0), ln(0.5, float("inf"), 0)],
     "conv weight lnStructured(1, 2, 0) then lnStructured(0.5, inf, 0): only live channels")
case("it_rnd_l1", "lin", "weight", [rnd(0.25), l1(0.5)], "lin weight randomUnstructured(0.25) then l1(0.5)",
     seeds=[11, None])
case("it_l1_rnd", "lin", "weight", [l1(0.25), rnd(4)], "lin weight l1(0.25) then randomUnstructured(4)",
     seeds=[None, 12])
case("it_l1_rst", "conv", "weight", [l1(0.2), rst(0.5, 0)], "conv weight l1(0.2) then randomStructured(0.5, 0)",
     seeds=[None, 13])

# custom_from_mask (alone and on top of l1)
MASK_B = torch.tensor([0.0, 1.0, 0.0, 1.0], dtype=torch.float64)
MASK_W = (torch.rand(4, 5) > 0.4).double()
T["custom.mask_b"] = MASK_B
T["custom.mask_w"] = MASK_W
cfm = lambda mk: (lambda m, n, imp: prune.custom_from_mask(m, n, mask=mk))
case("cfm_lin_b", "lin", "bias", [cfm(MASK_B)], "lin bias customFromMask(custom.mask_b)")
case("cfm_lin_w_after_l1", "lin", "weight", [l1(4), cfm(MASK_W)], "lin weight l1(4) then customFromMask(custom.mask_w)")
case("id_lin_w", "lin", "weight", [lambda m, n, imp: prune.identity(m, n)], "lin weight identity")


# global_unstructured over several layers (and over one already pruned)
def global_case(name, amount, method, pre=None, seed=None, imp=False):
    mods = {"a": layer("lin"), "b": layer("conv"), "c": layer("lin")}
    for k, m in mods.items():
        save_sd(f"{name}.sd.{k}", m)
    if pre is not None:
        pre(mods)
    params = [(mods["a"], "weight"), (mods["b"], "weight"), (mods["a"], "bias"), (mods["c"], "weight")]
    scores = None
    if imp:
        scores = {}
        for (m, n), tag in zip(params, ("a.weight", "b.weight", "a.bias", "c.weight")):
            s = torch.randn_like(getattr(m, n))
            T[f"{name}.imp.{tag}"] = s
            scores[(m, n)] = s
    if seed is not None:
        torch.manual_seed(seed)
    prune.global_unstructured(params, pruning_method=method, importance_scores=scores, amount=amount)
    for (m, n), tag in zip(params, ("a.weight", "b.weight", "a.bias", "c.weight")):
        T[f"{name}.mask.{tag}"] = getattr(m, n + "_mask").clone()
        T[f"{name}.pruned.{tag}"] = getattr(m, n).detach().clone()
    META[name] = f"global {method.__name__} amount={amount} pre={pre is not None} imp={imp}"
    if seed is not None:
        META[name + ".seed"] = str(seed)


global_case("g_l1_float", 0.3, prune.L1Unstructured)
global_case("g_l1_int", 40, prune.L1Unstructured)
global_case("g_l1_imp", 0.5, prune.L1Unstructured, imp=True)
global_case("g_l1_pre", 0.4, prune.L1Unstructured, pre=lambda mods: prune.ln_structured(mods["b"], "weight", 2, 2, 0))
global_case("g_rnd", 0.25, prune.RandomUnstructured, seed=21)

# state dict keys: after pruning and after remove; the pruned state dict loads into a pruned jtorch model
net = torch.nn.Sequential(torch.nn.Linear(5, 4), torch.nn.ReLU(), torch.nn.Linear(4, 3)).double()
with torch.no_grad():
    for p in net.parameters():
        p.copy_(torch.randn_like(p))
save_sd("sd_model.before", net)
prune.l1_unstructured(net[0], "weight", amount=0.5)
prune.custom_from_mask(net[2], "bias", mask=torch.tensor([1.0, 0.0, 1.0], dtype=torch.float64))
save_sd("sd_model.pruned", net)
META["sd_model.keys_pruned"] = ",".join(net.state_dict().keys())
META["sd_model.params_pruned"] = ",".join(k for k, _ in net.named_parameters())
META["sd_model.buffers_pruned"] = ",".join(k for k, _ in net.named_buffers())
prune.remove(net[0], "weight")
prune.remove(net[2], "bias")
save_sd("sd_model.removed", net)
META["sd_model.keys_removed"] = ",".join(net.state_dict().keys())
META["sd_model.params_removed"] = ",".join(k for k, _ in net.named_parameters())
META["sd_model.is_pruned"] = str(prune.is_pruned(net))


# forward and gradient with respect to weight_orig after pruning
def fwd_case(name, kind, x, do_prune):
    m = layer(kind)
    save_sd(f"{name}.sd", m)
    do_prune(m)
    out = m(x)
    gout = torch.randn_like(out)
    (out * gout).sum().backward()
    T[f"{name}.x"] = x
    T[f"{name}.gout"] = gout
    T[f"{name}.out"] = out.detach()
    T[f"{name}.mask"] = m.weight_mask.clone()
    for k, p in m.named_parameters():
        T[f"{name}.grad.{k}"] = p.grad.clone()


fwd_case("fwd_lin", "lin", torch.randn(3, 5, dtype=torch.float64),
         lambda m: prune.l1_unstructured(m, "weight", amount=0.4))
fwd_case("fwd_conv", "conv", torch.randn(2, 3, 6, 5, dtype=torch.float64),
         lambda m: prune.ln_structured(m, "weight", amount=0.5, n=2, dim=0))



# error messages (metadata err.NAME), each on a fresh layer
def err(name, kind, fn):
    m = layer(kind)
    try:
        fn(m)
    except Exception as e:  # noqa: BLE001 - the message is the golden
        META["err." + name] = str(e)
        return
    raise AssertionError(name + " did not fail")


err("neg_int", "lin", lambda m: prune.l1_unstructured(m, "weight", amount=-1))
err("frac_above", "lin", lambda m: prune.l1_unstructured(m, "weight", amount=1.5))
err("frac_below", "lin", lambda m: prune.random_unstructured(m, "weight", amount=-0.1))
err("int_too_big", "lin", lambda m: prune.l1_unstructured(m, "weight", amount=21))
err("int_too_big_left", "lin",
    lambda m: (prune.l1_unstructured(m, "weight", amount=5), prune.l1_unstructured(m, "weight", amount=16)))
err("channels_too_big", "conv", lambda m: prune.ln_structured(m, "weight", amount=5, n=2, dim=0))
err("structured_1d", "lin", lambda m: prune.ln_structured(m, "bias", amount=1, n=2, dim=0))
err("structured_dim", "lin", lambda m: prune.random_structured(m, "weight", amount=1, dim=2))
err("remove_unpruned", "lin", lambda m: prune.remove(m, "weight"))
err("global_structured", "lin",
    lambda m: prune.global_unstructured([(m, "weight")], pruning_method=prune.LnStructured, amount=1, n=2, dim=0))
err("no_attribute", "lin", lambda m: prune.l1_unstructured(m, "foo", amount=1))

if __name__ == "__main__":
    from safetensors.torch import save_file

    out = sys.argv[1] if len(sys.argv) > 1 else "nn/src/test/resources/goldens"
    os.makedirs(out, exist_ok=True)
    save_file({k: v.contiguous() for k, v in T.items()}, os.path.join(out, "prune.safetensors"), metadata=META)
    print("wrote", len(T), "tensors,", len(META), "metadata entries")

#!/usr/bin/env python3
"""Writes nn/src/test/resources/goldens/parametrize.safetensors: torch.nn.utils.parametrize, parametrizations
(orthogonal, spectral_norm) and the older weight_norm / spectral_norm from PyTorch 1.13, mirrored by
nn/src/test/java/dev/jtorch/nn/ParametrizeGoldenTest.java. Run through tools/parity/run.sh.

Everything is float64. For each case NAME (metadata NAME -> what the Java test builds and registers):
  NAME.init.KEY   the layer's state dict before registration (the Java test loads it)
  NAME.x, NAME.r  an input and the weights of the loss sum(out * r) (summed over the forwards)
  NAME.reg.KEY    the state dict right after registration (registration runs right after torch.manual_seed(SEED))
  NAME.weight     the parametrized tensor (module.<name>) right after registration (not for spectral norms)
  NAME.out        the output of the first forward (training mode); NAME.out2 of a second one (spectral norms only)
  NAME.grad.P     the gradient of every named parameter P after backward, NAME.grad.x that of the input
  NAME.eval       the output in eval mode after the training forwards; NAME.final.KEY the state dict then
  NAME.rm1.KEY    the state dict after removing (leave_parametrized=True; the old remove_* functions)
  NAME.rm0.KEY    (parametrize only) the state dict of a fresh registration removed with leave_parametrized=False
PyTorch 1.13's LSTM does not read a parametrized weight (its _flat_weights keep the original tensor): run() refreshes
_flat_weights before each forward, so the goldens hold the parametrized LSTM that later PyTorch versions compute.
Metadata NAME.keys_reg / keys_rm1 / keys_rm0: the state dict keys, comma separated, in order.
"""
import functools
import os
import sys

import torch
import torch.nn as nn
import torch.nn.utils.parametrize as P
from safetensors.torch import save_file
from torch.nn.utils import parametrizations as PS
from torch.nn.utils import weight_norm, remove_weight_norm, spectral_norm, remove_spectral_norm

torch.set_default_dtype(torch.float64)
torch.manual_seed(0)
T = {}
META = {}
SEED = 1234


class Symmetric(nn.Module):
    """The tutorial's symmetric parametrization, on the last two dims (a batch of square matrices)."""

    def forward(self, X):
        return X.triu() + X.triu(1).mT

    def right_inverse(self, A):
        return A.triu()


LAYERS = {
    "linear": (lambda: nn.Linear(5, 3), lambda: torch.randn(2, 5)),
    "linear4": (lambda: nn.Linear(4, 4), lambda: torch.randn(2, 4)),
    "conv": (lambda: nn.Conv2d(2, 3, 3), lambda: torch.randn(2, 2, 5, 4)),
    "lstm": (lambda: nn.LSTM(3, 2), lambda: torch.randn(4, 2, 3)),
}


def run(m, x):
    if isinstance(m, nn.RNNBase):
        # 1.13's RNNs keep the tensors of _flat_weights from construction (refreshed only by _apply and
        # __setattr__), so they would run with parametrizations.*.original instead of the parametrized weight;
        # refresh them before each forward, as the module's getattr gives
        m._flat_weights = [getattr(m, wn) if hasattr(m, wn) else None for wn in m._flat_weights_names]
    y = m(x)
    return y[0] if isinstance(y, tuple) else y


def sd(prefix, m):
    for k, v in m.state_dict().items():
        T[f"{prefix}.{k}"] = v.detach().clone()
    return ",".join(m.state_dict().keys())


def case(name, layer, register, remove, desc, n_train=1, pname="weight"):
    make, make_x = LAYERS[layer]
    base = make()
    for p in base.parameters():  # values away from the default init, identical for every case of a layer
        with torch.no_grad():
            p.copy_(torch.randn(p.shape))
    init = {k: v.clone() for k, v in base.state_dict().items()}
    for k, v in init.items():
        T[f"{name}.init.{k}"] = v
    x = make_x().requires_grad_(True)
    T[f"{name}.x"] = x.detach().clone()

    m = make()
    m.load_state_dict(init)
    torch.manual_seed(SEED)
    register(m)
    META[f"{name}.keys_reg"] = sd(f"{name}.reg", m)
    if n_train == 1:  # reading a spectral norm's weight in training mode would run a power iteration
        with torch.no_grad():
            T[f"{name}.weight"] = getattr(m, pname).detach().clone()
    loss = 0
    outs = []
    for i in range(n_train):
        out = run(m, x)
        outs.append(out)
    r = torch.randn(outs[0].shape)
    T[f"{name}.r"] = r
    for i, out in enumerate(outs):
        T[f"{name}.out" + ("" if i == 0 else str(i + 1))] = out.detach().clone()
        loss = loss + (out * r).sum()
    loss.backward()
    T[f"{name}.grad.x"] = x.grad.clone()
    for k, p in m.named_parameters():
        T[f"{name}.grad.{k}"] = p.grad.clone()
    m.eval()
    with torch.no_grad():
        T[f"{name}.eval"] = run(m, x).clone()
    sd(f"{name}.final", m)
    remove(m, True)
    META[f"{name}.keys_rm1"] = sd(f"{name}.rm1", m)
    if getattr(remove, "func", remove) is rm_param:
        m0 = make()
        m0.load_state_dict(init)
        torch.manual_seed(SEED)
        register(m0)
        remove(m0, False)
        META[f"{name}.keys_rm0"] = sd(f"{name}.rm0", m0)
    META[name] = desc


def rm_param(m, leave, pname="weight"):
    P.remove_parametrizations(m, pname, leave_parametrized=leave)


def sym_twice(m):
    P.register_parametrization(m, "weight", Symmetric())
    P.register_parametrization(m, "weight", Symmetric())


case("sym_linear", "linear4", sym_twice, rm_param, "Linear(4, 4); Symmetric twice on 'weight'")
case("sym_conv", "conv", sym_twice, rm_param, "Conv2d(2, 3, 3); Symmetric twice on 'weight'")
for layer in ("linear", "linear4", "conv"):
    for omap in ("matrix_exp", "cayley", "householder"):
        for triv in (True, False):
            case(f"orth_{layer}_{omap}_{'triv' if triv else 'notriv'}", layer,
                 lambda m, omap=omap, triv=triv: PS.orthogonal(m, "weight", omap, use_trivialization=triv),
                 rm_param, f"{layer}; orthogonal('weight', {omap}, use_trivialization={triv})")
case("orth_lstm_default", "lstm", lambda m: PS.orthogonal(m, "weight_hh_l0"),
     functools.partial(rm_param, pname="weight_hh_l0"),
     "LSTM(3, 2); orthogonal('weight_hh_l0') (householder)", pname="weight_hh_l0")
for layer in ("linear", "conv"):
    case(f"psn_{layer}", layer, lambda m: PS.spectral_norm(m, "weight"), rm_param,
         f"{layer}; parametrizations.spectral_norm('weight')", n_train=2)
    case(f"psn3_{layer}", layer, lambda m: PS.spectral_norm(m, "weight", n_power_iterations=3, dim=1), rm_param,
         f"{layer}; parametrizations.spectral_norm('weight', n_power_iterations=3, dim=1)", n_train=2)
    for dim in (0, 1, None):
        case(f"wn_old_{layer}_{dim}", layer, lambda m, dim=dim: weight_norm(m, "weight", dim=dim),
             lambda m, leave: remove_weight_norm(m, "weight"), f"{layer}; weight_norm('weight', dim={dim})")
    case(f"sn_old_{layer}", layer, lambda m: spectral_norm(m, "weight"),
         lambda m, leave: remove_spectral_norm(m, "weight"), f"{layer}; spectral_norm('weight')", n_train=2)

# functions the parametrizations are built from, beside their consumers
A = torch.randn(3, 4, 4)
T["fn.matrix_exp.in"] = A
T["fn.matrix_exp.out"] = torch.matrix_exp(A)
T["fn.matrix_exp_big.in"] = 7 * A
T["fn.matrix_exp_big.out"] = torch.matrix_exp(7 * A)
B = torch.randn(2, 6, 4)
X, tau = torch.geqrf(B)
T["fn.geqrf.in"] = B
T["fn.geqrf.a"] = X
T["fn.geqrf.tau"] = tau
T["fn.householder_product.out"] = torch.linalg.householder_product(X, tau)
S = torch.randn(2, 5, 5)
S = S - S.mT
T["fn.cayley.in"] = S
Id = torch.eye(5)
T["fn.cayley.out"] = torch.linalg.solve(Id - 0.5 * S, Id + 0.5 * S)

out = sys.argv[1] if len(sys.argv) > 1 else "nn/src/test/resources/goldens"
os.makedirs(out, exist_ok=True)
save_file({k: v.contiguous() for k, v in T.items()}, os.path.join(out, "parametrize.safetensors"), metadata=META)
print("wrote", len(T), "tensors for", sum(1 for k in META if "." not in k), "cases")

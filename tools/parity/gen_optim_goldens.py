#!/usr/bin/env python3
"""Writes the goldens of the optimizers and learning-rate schedulers beyond optim.safetensors (which
gen_nn_goldens.py writes for SGD, Adam, AdamW, RMSprop, Adagrad and three schedulers). Run through
tools/parity/run.sh, or alone: /usr/bin/python3 tools/parity/gen_optim_goldens.py nn/src/test/resources/goldens

optim_extra.safetensors: 10-step trajectories (float64) of Adadelta, Adamax, NAdam, RAdam, ASGD, Rprop and more
hyperparameter sets of the five older optimizers, two-group cases, LBFGS with and without the strong-Wolfe line
search on a quadratic-plus-quartic loss and on Rosenbrock, and the messages of bad hyperparameters.
schedulers.safetensors: the lr (and momentum / beta1 where cycled) of every group after construction and after
each step, for every scheduler, the numeric entries of its state dict at the end, and the messages of bad
arguments.

NAdam: PyTorch 1.13 multiplies mu into the next-step product twice (mu_product * mu * mu_next), fixed in 2.0
(mu_product * mu_next). jtorch follows 2.x, so NAdam's goldens come from nadam_reference(fixed=True) below,
written from PyTorch 2.x's _single_tensor_nadam; the same function with fixed=False is first checked to
reproduce torch.optim.NAdam of 1.13 to the last bit, so only the documented line differs.
"""
import math
import os
import sys
import warnings

import torch
from torch.optim import lr_scheduler as L
from safetensors.torch import save_file

warnings.simplefilter("ignore")
OUT = sys.argv[1] if len(sys.argv) > 1 else "nn/src/test/resources/goldens"
os.makedirs(OUT, exist_ok=True)
O = torch.optim


def nadam_reference(params, state, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3,
                    fixed=True):
    """One NAdam step over params (their .grad), state keyed by position. fixed=True: PyTorch 2.x's
    _single_tensor_nadam (lerp for exp_avg, mu_product_next = mu_product * mu_next); fixed=False: 1.13's."""
    beta1, beta2 = betas
    for i, p in enumerate(params):
        grad = p.grad
        st = state.setdefault(i, {})
        if not st:
            st["step"] = torch.tensor(0.)
            st["mu_product"] = torch.tensor(1.)
            st["exp_avg"] = torch.zeros_like(p)
            st["exp_avg_sq"] = torch.zeros_like(p)
        st["step"] += 1
        step = st["step"].item()
        bias_correction2 = 1 - beta2 ** step
        if weight_decay != 0:
            grad = grad.add(p, alpha=weight_decay)
        mu = beta1 * (1. - 0.5 * (0.96 ** (step * momentum_decay)))
        mu_next = beta1 * (1. - 0.5 * (0.96 ** ((step + 1) * momentum_decay)))
        mu_product = st["mu_product"]
        mu_product *= mu
        exp_avg, exp_avg_sq = st["exp_avg"], st["exp_avg_sq"]
        if fixed:
            exp_avg.lerp_(grad, 1 - beta1)
        else:
            exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        denom = exp_avg_sq.div(bias_correction2).sqrt().add_(eps)
        if fixed:
            mu_product_next = mu_product.item() * mu_next
            next_value = (-lr * mu_next) / (1. - mu_product_next)
        else:
            mu_product_next = mu_product * mu * mu_next
            next_value = -lr * mu_next / (1. - mu_product_next.item())
        with torch.no_grad():
            p.addcdiv_(grad, denom, value=-lr * (1. - mu) / (1. - mu_product.item()))
            p.addcdiv_(exp_avg, denom, value=next_value)


class NAdamRef:
    """nadam_reference behind the optimizer interface the trajectory loop uses."""

    def __init__(self, params, fixed=True, **kw):
        self.params, self.kw, self.fixed, self.state = list(params), kw, fixed, {}
        self.param_groups = [dict(lr=kw.get("lr", 2e-3))]

    def zero_grad(self):
        for p in self.params:
            p.grad = None

    def step(self):
        nadam_reference(self.params, self.state, fixed=self.fixed, **self.kw)

    def state_dict(self):
        return {"state": self.state, "param_groups": [dict(lr=0, betas=0, eps=0, weight_decay=0, momentum_decay=0)]}


OPTIMS = {
    "Adadelta": lambda ps: O.Adadelta(ps),
    "Adadelta_wd_maximize": lambda ps: O.Adadelta(ps, lr=0.5, rho=0.8, eps=1e-5, weight_decay=0.1, maximize=True),
    "Adamax": lambda ps: O.Adamax(ps, lr=0.05),
    "Adamax_wd_maximize": lambda ps: O.Adamax(ps, lr=0.05, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1,
                                             maximize=True),
    "NAdam": lambda ps: NAdamRef(ps, lr=0.05),
    "NAdam_wd": lambda ps: NAdamRef(ps, lr=0.05, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1,
                                    momentum_decay=0.01),
    "RAdam": lambda ps: O.RAdam(ps, lr=0.05),
    "RAdam_wd": lambda ps: O.RAdam(ps, lr=0.05, betas=(0.8, 0.9), eps=1e-6, weight_decay=0.1),
    "ASGD": lambda ps: O.ASGD(ps, lr=0.05),
    "ASGD_t0_wd": lambda ps: O.ASGD(ps, lr=0.05, lambd=1e-2, alpha=0.5, t0=3, weight_decay=0.1),
    "ASGD_maximize": lambda ps: O.ASGD(ps, lr=0.02, t0=5, maximize=True),
    "Rprop": lambda ps: O.Rprop(ps),
    "Rprop_custom_maximize": lambda ps: O.Rprop(ps, lr=0.02, etas=(0.3, 1.5), step_sizes=(1e-3, 0.05),
                                                maximize=True),
    "Adam_maximize_wd": lambda ps: O.Adam(ps, lr=0.05, weight_decay=0.05, maximize=True),
    "AdamW_maximize": lambda ps: O.AdamW(ps, lr=0.05, betas=(0.85, 0.99), maximize=True),
    "SGD_wd_dampening": lambda ps: O.SGD(ps, lr=0.05, momentum=0.5, dampening=0.5, weight_decay=0.1),
    "RMSprop_momentum_maximize": lambda ps: O.RMSprop(ps, lr=0.01, momentum=0.3, maximize=True),
    "RMSprop_centered_wd": lambda ps: O.RMSprop(ps, lr=0.01, alpha=0.95, eps=1e-6, weight_decay=0.1,
                                                centered=True),
    "Adagrad_maximize": lambda ps: O.Adagrad(ps, lr=0.1, eps=1e-6, maximize=True),
    "Adamax_groups": lambda ps: O.Adamax([{"params": [ps[0]]}, {"params": [ps[1]], "lr": 0.1,
                                                                "weight_decay": 0.2}], lr=0.05),
    "RAdam_groups": lambda ps: O.RAdam([{"params": [ps[0]], "betas": (0.8, 0.9)}, {"params": [ps[1]]}], lr=0.05),
    "Rprop_groups": lambda ps: O.Rprop([{"params": [ps[0]]}, {"params": [ps[1]], "lr": 0.05,
                                                              "etas": (0.4, 1.3)}]),
}


def base_data():
    torch.manual_seed(0)
    return {"W": torch.randn(3, 4, dtype=torch.float64), "b": torch.randn(3, dtype=torch.float64),
            "X": torch.randn(8, 4, dtype=torch.float64), "Y": torch.randn(8, 3, dtype=torch.float64)}


def loss_fn(base, w, b):
    return ((base["X"] @ w.t() + b - base["Y"]) ** 2).mean() + 0.05 * (w ** 4).sum()


def rosenbrock(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


def trajectory(base, ctor, steps=10):
    w = base["W"].clone().requires_grad_()
    b = base["b"].clone().requires_grad_()
    opt = ctor([w, b])
    ws, bs = [], []
    for _ in range(steps):
        opt.zero_grad()
        loss_fn(base, w, b).backward()
        opt.step()
        ws.append(w.detach().clone())
        bs.append(b.detach().clone())
    return opt, torch.stack(ws), torch.stack(bs)


def check_nadam_reference(base):
    """The reference with 1.13's line reproduces torch.optim.NAdam of 1.13 exactly."""
    for kw in ({"lr": 0.05}, {"lr": 0.05, "betas": (0.8, 0.95), "eps": 1e-6, "weight_decay": 0.1,
                              "momentum_decay": 0.01}):
        _, w1, b1 = trajectory(base, lambda ps: O.NAdam(ps, **kw))
        _, w2, b2 = trajectory(base, lambda ps: NAdamRef(ps, fixed=False, **kw))
        assert torch.equal(w1, w2) and torch.equal(b1, b2), "the NAdam reference does not reproduce 1.13"
        _, w3, _ = trajectory(base, lambda ps: NAdamRef(ps, fixed=True, **kw))
        assert not torch.allclose(w1, w3), "the mu_product fix should change the trajectory"


def lbfgs_cases(tensors, meta):
    """LBFGS over several step(closure) calls: parameters, returned loss, func_evals and n_iter after each."""
    base = base_data()
    cases = {
        "LBFGS_quad": ("quad", dict(lr=1, max_iter=5, history_size=3), 4),
        "LBFGS_quad_wolfe": ("quad", dict(max_iter=10, history_size=4, line_search_fn="strong_wolfe"), 3),
        "LBFGS_quad_tol": ("quad", dict(lr=0.5, max_iter=30, max_eval=7, tolerance_grad=1e-3,
                                        tolerance_change=1e-6), 4),
        "LBFGS_rosen": ("rosen", dict(lr=0.1, max_iter=20, history_size=10), 5),
        "LBFGS_rosen_wolfe": ("rosen", dict(line_search_fn="strong_wolfe"), 5),
        "LBFGS_rosen_wolfe_small": ("rosen", dict(lr=0.5, max_iter=7, history_size=2,
                                                  line_search_fn="strong_wolfe"), 6),
    }
    for name, (problem, kw, steps) in cases.items():
        if problem == "quad":
            ps = [base["W"].clone().requires_grad_(), base["b"].clone().requires_grad_()]
            f = lambda: loss_fn(base, ps[0], ps[1])  # noqa: E731
        else:
            ps = [torch.tensor([-1.5, 2.0], dtype=torch.float64, requires_grad=True)]
            f = lambda: rosenbrock(ps[0])  # noqa: E731
        opt = O.LBFGS(ps, **kw)
        calls = [0]

        def closure():
            calls[0] += 1
            opt.zero_grad()
            loss = f()
            loss.backward()
            return loss

        losses, evals, iters, ncalls = [], [], [], []
        for step in range(steps):
            losses.append(float(opt.step(closure)))
            st = opt.state[ps[0]]
            evals.append(st["func_evals"])
            iters.append(st["n_iter"])
            ncalls.append(calls[0])
            for i, p in enumerate(ps):
                tensors[f"{name}.p{i}.{step}"] = p.detach().clone()
        tensors[f"{name}.loss"] = torch.tensor(losses, dtype=torch.float64)
        tensors[f"{name}.func_evals"] = torch.tensor(evals, dtype=torch.float64)
        tensors[f"{name}.n_iter"] = torch.tensor(iters, dtype=torch.float64)
        tensors[f"{name}.closure_calls"] = torch.tensor(ncalls, dtype=torch.float64)
        sd = opt.state_dict()
        meta[f"{name}.state_keys"] = ",".join(sd["state"][0].keys())
        meta[f"{name}.group_keys"] = ",".join(sd["param_groups"][0].keys())
    tensors["rosen.x0"] = torch.tensor([-1.5, 2.0], dtype=torch.float64)


def errors(meta):
    """PyTorch 1.13's messages for bad hyperparameters (floats, so Python and Java print them alike)."""
    p = [torch.zeros(2, requires_grad=True)]
    bad = {
        "Adadelta_lr": lambda: O.Adadelta(p, lr=-0.5),
        "Adadelta_rho": lambda: O.Adadelta(p, rho=1.5),
        "Adadelta_eps": lambda: O.Adadelta(p, eps=-0.5),
        "Adadelta_wd": lambda: O.Adadelta(p, weight_decay=-0.5),
        "Adamax_lr": lambda: O.Adamax(p, lr=-0.5),
        "Adamax_eps": lambda: O.Adamax(p, eps=-0.5),
        "Adamax_beta0": lambda: O.Adamax(p, betas=(1.0, 0.9)),
        "Adamax_beta1": lambda: O.Adamax(p, betas=(0.9, -0.5)),
        "Adamax_wd": lambda: O.Adamax(p, weight_decay=-0.5),
        "NAdam_lr": lambda: O.NAdam(p, lr=-0.5),
        "NAdam_eps": lambda: O.NAdam(p, eps=-0.5),
        "NAdam_beta0": lambda: O.NAdam(p, betas=(1.5, 0.9)),
        "NAdam_beta1": lambda: O.NAdam(p, betas=(0.9, 1.0)),
        "NAdam_wd": lambda: O.NAdam(p, weight_decay=-0.5),
        "NAdam_momentum_decay": lambda: O.NAdam(p, momentum_decay=-0.5),
        "RAdam_lr": lambda: O.RAdam(p, lr=-0.5),
        "RAdam_eps": lambda: O.RAdam(p, eps=-0.5),
        "RAdam_beta0": lambda: O.RAdam(p, betas=(-0.5, 0.9)),
        "RAdam_beta1": lambda: O.RAdam(p, betas=(0.9, 1.5)),
        "RAdam_wd": lambda: O.RAdam(p, weight_decay=-0.5),
        "ASGD_lr": lambda: O.ASGD(p, lr=-0.5),
        "ASGD_wd": lambda: O.ASGD(p, weight_decay=-0.5),
        "Rprop_lr": lambda: O.Rprop(p, lr=-0.5),
        "Rprop_etas_low": lambda: O.Rprop(p, etas=(1.5, 1.2)),
        "Rprop_etas_high": lambda: O.Rprop(p, etas=(0.5, 0.75)),
        "Rprop_etas_zero": lambda: O.Rprop(p, etas=(0.0, 1.2)),
        "SGD_momentum": lambda: O.SGD(p, lr=0.1, momentum=-0.5),
        "SGD_wd": lambda: O.SGD(p, lr=0.1, weight_decay=-0.5),
        "Adam_beta1": lambda: O.Adam(p, betas=(0.9, 1.0)),
        "Adam_eps": lambda: O.Adam(p, eps=-0.5),
        "RMSprop_alpha": lambda: O.RMSprop(p, alpha=-0.5),
        "RMSprop_momentum": lambda: O.RMSprop(p, momentum=-0.5),
        "Adagrad_lr_decay": lambda: O.Adagrad(p, lr_decay=-0.5),
        "Adagrad_init": lambda: O.Adagrad(p, initial_accumulator_value=-0.5),
        "LBFGS_groups": lambda: O.LBFGS([{"params": p}, {"params": [torch.zeros(1, requires_grad=True)]}]),
        "empty": lambda: O.Adamax([]),
    }
    for name, make in bad.items():
        try:
            make()
        except (ValueError, RuntimeError) as e:
            meta[f"err.{name}"] = str(e)
        else:
            raise AssertionError(name + " did not fail")


def optim_extra():
    base = base_data()
    check_nadam_reference(base)
    tensors, meta = dict(base), {}
    for name, ctor in OPTIMS.items():
        opt, ws, bs = trajectory(base, ctor)
        for step in range(10):
            tensors[f"{name}.W.{step}"] = ws[step]
            tensors[f"{name}.b.{step}"] = bs[step]
        sd = opt.state_dict()
        meta[f"{name}.state_keys"] = ",".join(sd["state"][0].keys())
        if not isinstance(opt, NAdamRef):
            meta[f"{name}.group_keys"] = ",".join(sd["param_groups"][0].keys())
            meta[f"{name}.groups"] = str(len(sd["param_groups"]))
    lbfgs_cases(tensors, meta)
    errors(meta)
    save_file(tensors, os.path.join(OUT, "optim_extra.safetensors"), metadata=meta)
    print("wrote", len(OPTIMS), "optimizer trajectories, LBFGS cases and messages to", OUT)


# --- schedulers -------------------------------------------------------------------------------------------

def sgd2():
    a = torch.zeros(2, requires_grad=True)
    b = torch.zeros(3, requires_grad=True)
    return O.SGD([{"params": [a]}, {"params": [b], "lr": 0.05}], lr=0.1, momentum=0.9)


def adam2():
    a = torch.zeros(2, requires_grad=True)
    b = torch.zeros(3, requires_grad=True)
    return O.Adam([{"params": [a]}, {"params": [b], "lr": 0.02, "betas": (0.8, 0.99)}], lr=0.01)


# name -> (optimizer factory, scheduler factory, steps, momentum key or None)
SCHEDULERS = {
    "LambdaLR": (sgd2, lambda o: L.LambdaLR(o, lambda e: 0.95 ** e), 20, None),
    "LambdaLR_groups": (sgd2, lambda o: L.LambdaLR(o, [lambda e: 1 / (e + 1), lambda e: 0.9 ** e]), 20, None),
    "MultiplicativeLR": (sgd2, lambda o: L.MultiplicativeLR(o, lambda e: 0.9), 20, None),
    "MultiplicativeLR_groups": (sgd2, lambda o: L.MultiplicativeLR(
        o, [lambda e: 0.9, lambda e: 0.95 if e % 2 else 1.0]), 20, None),
    "StepLR": (sgd2, lambda o: L.StepLR(o, 3, 0.5), 20, None),
    "MultiStepLR": (sgd2, lambda o: L.MultiStepLR(o, [2, 5, 5, 9], 0.5), 20, None),
    "ConstantLR": (sgd2, lambda o: L.ConstantLR(o), 20, None),
    "ConstantLR_half": (sgd2, lambda o: L.ConstantLR(o, factor=0.5, total_iters=3), 20, None),
    "LinearLR": (sgd2, lambda o: L.LinearLR(o), 20, None),
    "LinearLR_custom": (sgd2, lambda o: L.LinearLR(o, start_factor=0.25, end_factor=0.75, total_iters=6), 20,
                        None),
    "ExponentialLR": (sgd2, lambda o: L.ExponentialLR(o, 0.9), 20, None),
    "PolynomialLR": (sgd2, lambda o: L.PolynomialLR(o), 20, None),
    "PolynomialLR_power": (sgd2, lambda o: L.PolynomialLR(o, total_iters=8, power=2.0), 20, None),
    "CosineAnnealingLR": (sgd2, lambda o: L.CosineAnnealingLR(o, 6, 0.001), 30, None),
    "CosineAnnealingWarmRestarts": (sgd2, lambda o: L.CosineAnnealingWarmRestarts(o, 4), 30, None),
    "CosineAnnealingWarmRestarts_mult": (sgd2, lambda o: L.CosineAnnealingWarmRestarts(o, 3, T_mult=2,
                                                                                      eta_min=0.01), 30, None),
    "CyclicLR": (sgd2, lambda o: L.CyclicLR(o, 0.01, 0.1, step_size_up=4), 30, "momentum"),
    "CyclicLR_triangular2": (sgd2, lambda o: L.CyclicLR(o, [0.01, 0.02], [0.1, 0.2], step_size_up=3,
                                                        step_size_down=5, mode="triangular2",
                                                        base_momentum=[0.7, 0.75], max_momentum=0.95), 30,
                             "momentum"),
    "CyclicLR_exp_range": (sgd2, lambda o: L.CyclicLR(o, 0.01, 0.1, step_size_up=4, mode="exp_range", gamma=0.9),
                           30, "momentum"),
    "CyclicLR_scale_fn": (sgd2, lambda o: L.CyclicLR(o, 0.01, 0.1, step_size_up=2, scale_fn=lambda x: 0.5 ** x,
                                                     scale_mode="iterations", cycle_momentum=False), 30, None),
    "CyclicLR_adam": (adam2, lambda o: L.CyclicLR(o, 0.001, 0.01, step_size_up=3, cycle_momentum=False), 30,
                      None),
    "OneCycleLR": (sgd2, lambda o: L.OneCycleLR(o, 0.1, total_steps=25), 25, "momentum"),
    "OneCycleLR_linear_three_phase": (sgd2, lambda o: L.OneCycleLR(
        o, [0.1, 0.2], epochs=5, steps_per_epoch=5, pct_start=0.4, anneal_strategy="linear", div_factor=10.,
        final_div_factor=100., three_phase=True, base_momentum=[0.8, 0.85], max_momentum=0.9), 25, "momentum"),
    "OneCycleLR_adam": (adam2, lambda o: L.OneCycleLR(o, 0.01, total_steps=20, pct_start=0.25), 20, "betas"),
    "OneCycleLR_no_momentum": (sgd2, lambda o: L.OneCycleLR(o, 0.1, total_steps=16, cycle_momentum=False), 16,
                               "momentum"),
    "ReduceLROnPlateau": (sgd2, lambda o: L.ReduceLROnPlateau(o, patience=2), 30, None),
    "ReduceLROnPlateau_max_abs": (sgd2, lambda o: L.ReduceLROnPlateau(
        o, mode="max", factor=0.5, patience=1, threshold=0.1, threshold_mode="abs", cooldown=2,
        min_lr=[0.01, 0.002]), 30, None),
    "ReduceLROnPlateau_min_abs_eps": (sgd2, lambda o: L.ReduceLROnPlateau(
        o, factor=0.5, patience=0, threshold=0.05, threshold_mode="abs", min_lr=0.02, eps=0.004), 30, None),
    "ReduceLROnPlateau_max_rel": (sgd2, lambda o: L.ReduceLROnPlateau(
        o, mode="max", factor=0.3, patience=3, threshold=0.01, cooldown=1), 30, None),
    "SequentialLR": (sgd2, lambda o: L.SequentialLR(o, [L.ConstantLR(o, factor=0.1, total_iters=2),
                                                         L.ExponentialLR(o, 0.9)], [2]), 20, None),
    "SequentialLR_three": (sgd2, lambda o: L.SequentialLR(o, [L.LinearLR(o, start_factor=0.2, total_iters=4),
                                                               L.CosineAnnealingLR(o, 5),
                                                               L.StepLR(o, 2, 0.5)], [4, 10]), 20, None),
    "ChainedScheduler": (sgd2, lambda o: L.ChainedScheduler([L.ConstantLR(o, factor=0.1, total_iters=2),
                                                             L.ExponentialLR(o, 0.9)]), 20, None),
    "ChainedScheduler_linear_multistep": (sgd2, lambda o: L.ChainedScheduler(
        [L.LinearLR(o, start_factor=0.5, total_iters=4), L.MultiStepLR(o, [3, 6], 0.5)]), 20, None),
}

# the metric fed to ReduceLROnPlateau: falls, plateaus, rises, falls again
METRICS = [1.0, 0.9, 0.85, 0.85, 0.849, 0.86, 0.84, 0.8, 0.8, 0.8, 0.8, 0.79, 0.7, 0.72, 0.71, 0.705, 0.7, 0.69,
           0.75, 0.8, 0.85, 0.9, 0.95, 0.96, 0.95, 0.94, 0.5, 0.4, 0.4, 0.4]


def group_momentum(group, key):
    return group["betas"][0] if key == "betas" else group.get("momentum", 0.0)


def scheduler_state_numbers(sd, tensors, meta, name):
    """Numeric entries (numbers, booleans, flat lists of numbers) of a scheduler's state dict as tensors, and
    those of the schedulers a SequentialLR or ChainedScheduler holds under {name}.sd._schedulers.{i}."""
    meta[f"{name}.state_keys"] = ",".join(sd.keys())
    for k, v in sd.items():
        if k == "_schedulers":
            for i, sub in enumerate(v):
                scheduler_state_numbers(sub, tensors, meta, f"{name}.sd._schedulers.{i}")
        elif isinstance(v, (bool, int, float)):
            tensors[f"{name}.sd.{k}"] = torch.tensor([float(v)], dtype=torch.float64)
        elif isinstance(v, (list, tuple)) and v and all(isinstance(x, (int, float)) for x in v):
            tensors[f"{name}.sd.{k}"] = torch.tensor([float(x) for x in v], dtype=torch.float64)
        elif isinstance(v, str):
            meta[f"{name}.sd.{k}"] = v


def scheduler_errors(meta):
    bad = {
        "ConstantLR_factor": lambda: L.ConstantLR(sgd2(), factor=1.5),
        "LinearLR_start": lambda: L.LinearLR(sgd2(), start_factor=-0.5),
        "LinearLR_end": lambda: L.LinearLR(sgd2(), end_factor=1.5),
        "LambdaLR_count": lambda: L.LambdaLR(sgd2(), [lambda e: 1.0]),
        "MultiplicativeLR_count": lambda: L.MultiplicativeLR(sgd2(), [lambda e: 1.0] * 3),
        "CAWR_T0": lambda: L.CosineAnnealingWarmRestarts(sgd2(), 0),
        "CAWR_Tmult": lambda: L.CosineAnnealingWarmRestarts(sgd2(), 3, T_mult=0),
        "CAWR_epoch": lambda: L.CosineAnnealingWarmRestarts(sgd2(), 3).step(-1),
        "CyclicLR_momentum": lambda: L.CyclicLR(adam2(), 0.01, 0.1),
        "CyclicLR_max_lr": lambda: L.CyclicLR(sgd2(), 0.01, [0.1, 0.2, 0.3]),
        "CyclicLR_base_lr": lambda: L.CyclicLR(sgd2(), [0.01], 0.1),
        "CyclicLR_mode": lambda: L.CyclicLR(sgd2(), 0.01, 0.1, mode="foo"),
        "OneCycleLR_none": lambda: L.OneCycleLR(sgd2(), 0.1),
        "OneCycleLR_total": lambda: L.OneCycleLR(sgd2(), 0.1, total_steps=0),
        "OneCycleLR_epochs": lambda: L.OneCycleLR(sgd2(), 0.1, epochs=0, steps_per_epoch=3),
        "OneCycleLR_spe": lambda: L.OneCycleLR(sgd2(), 0.1, epochs=3, steps_per_epoch=-2),
        "OneCycleLR_pct": lambda: L.OneCycleLR(sgd2(), 0.1, total_steps=10, pct_start=1.5),
        "OneCycleLR_anneal": lambda: L.OneCycleLR(sgd2(), 0.1, total_steps=10, anneal_strategy="foo"),
        "OneCycleLR_max_lr": lambda: L.OneCycleLR(sgd2(), [0.1], total_steps=10),
        "OneCycleLR_momentum": lambda: L.OneCycleLR(O.Adagrad([torch.zeros(1, requires_grad=True)]), 0.1,
                                                    total_steps=10),
        "OneCycleLR_overrun": lambda: [s.step() for s in [L.OneCycleLR(sgd2(), 0.1, total_steps=3)]
                                       for _ in range(4)],
        "ReduceLROnPlateau_factor": lambda: L.ReduceLROnPlateau(sgd2(), factor=1.0),
        "ReduceLROnPlateau_mode": lambda: L.ReduceLROnPlateau(sgd2(), mode="foo"),
        "ReduceLROnPlateau_threshold_mode": lambda: L.ReduceLROnPlateau(sgd2(), threshold_mode="foo"),
        "ReduceLROnPlateau_min_lr": lambda: L.ReduceLROnPlateau(sgd2(), min_lr=[0.1, 0.2, 0.3]),
        "SequentialLR_milestones": lambda: (lambda o: L.SequentialLR(
            o, [L.ConstantLR(o), L.ExponentialLR(o, 0.9)], [2, 3]))(sgd2()),
        "SequentialLR_optimizer": lambda: (lambda o: L.SequentialLR(
            o, [L.ConstantLR(o), L.ExponentialLR(sgd2(), 0.9)], [2]))(sgd2()),
        "ChainedScheduler_optimizer": lambda: L.ChainedScheduler([L.ConstantLR(sgd2()),
                                                                  L.ExponentialLR(sgd2(), 0.9)]),
    }
    for name, make in bad.items():
        try:
            make()
        except (ValueError, RuntimeError) as e:
            meta[f"err.{name}"] = str(e)
        else:
            raise AssertionError(name + " did not fail")


def schedulers():
    tensors, meta = {"metrics": torch.tensor(METRICS, dtype=torch.float64)}, {}
    for name, (make_opt, make_sched, steps, mkey) in SCHEDULERS.items():
        opt = make_opt()
        sched = make_sched(opt)
        lrs = [[g["lr"] for g in opt.param_groups]]
        last = [list(sched._last_lr) if hasattr(sched, "_last_lr") else lrs[0]]
        moms = [[group_momentum(g, mkey) for g in opt.param_groups]] if mkey else None
        for step in range(steps):
            opt.step()
            if isinstance(sched, L.ReduceLROnPlateau):
                sched.step(METRICS[step])
            else:
                sched.step()
            lrs.append([g["lr"] for g in opt.param_groups])
            last.append(list(sched._last_lr))  # 1.13's ReduceLROnPlateau has no get_last_lr()
            if mkey:
                moms.append([group_momentum(g, mkey) for g in opt.param_groups])
        tensors[f"{name}.lr"] = torch.tensor(lrs, dtype=torch.float64)
        tensors[f"{name}.last_lr"] = torch.tensor(last, dtype=torch.float64)
        if mkey:
            tensors[f"{name}.momentum"] = torch.tensor(moms, dtype=torch.float64)
        meta[f"{name}.group_keys"] = ",".join(k for k in opt.param_groups[0].keys() if k != "params")
        scheduler_state_numbers(sched.state_dict(), tensors, meta, name)
    # CosineAnnealingWarmRestarts stepped with fractional epochs, as its documentation shows
    opt = sgd2()
    sched = L.CosineAnnealingWarmRestarts(opt, 3, T_mult=2, eta_min=0.001)
    epochs = [e + i / 4 for e in range(8) for i in range(4)] + [26, 27.5, 3]
    lrs = []
    for e in epochs:
        sched.step(e)
        lrs.append([g["lr"] for g in opt.param_groups])
    tensors["CAWR_fractional.epochs"] = torch.tensor(epochs, dtype=torch.float64)
    tensors["CAWR_fractional.lr"] = torch.tensor(lrs, dtype=torch.float64)
    scheduler_errors(meta)
    save_file(tensors, os.path.join(OUT, "schedulers.safetensors"), metadata=meta)
    print("wrote", len(SCHEDULERS), "scheduler cases to", OUT, "with torch", torch.__version__)


if __name__ == "__main__":
    optim_extra()
    schedulers()

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

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from nn_layer_cases import LAYERS, errors, run_layer  # noqa: E402

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


def lin(n):
    return torch.linspace(0.5, 2.0, n)


def cls(high, *shape):
    return lambda: torch.randint(0, high, shape)


def sign(*shape):
    return lambda: torch.randn(*shape, dtype=torch.float64).sign()


def rn(*shape):
    return lambda: torch.randn(*shape, dtype=torch.float64)


def const(t):
    return lambda: t


# name -> (constructor, [(input maker, requires grad)])
LOSSES = {
    "L1Loss": (lambda: nn.L1Loss(), [(rn(3, 4), True), (rn(3, 4), False)]),
    "L1Loss_sum": (lambda: nn.L1Loss(reduction="sum"), [(rn(3, 4), True), (rn(3, 4), False)]),
    "MSELoss": (lambda: nn.MSELoss(), [(rn(3, 4), True), (rn(3, 4), False)]),
    "MSELoss_none": (lambda: nn.MSELoss(reduction="none"), [(rn(3, 4), True), (rn(3, 4), False)]),
    "CrossEntropyLoss": (lambda: nn.CrossEntropyLoss(), [(rn(4, 5), True), (cls(5, 4), False)]),
    "CrossEntropyLoss_weighted": (lambda: nn.CrossEntropyLoss(weight=lin(5), ignore_index=2, label_smoothing=0.1),
                                  [(rn(6, 5), True), (const(torch.tensor([0, 2, 4, 1, 2, 3])), False)]),
    "CrossEntropyLoss_smooth": (lambda: nn.CrossEntropyLoss(label_smoothing=0.2, ignore_index=1),
                                [(rn(6, 5), True), (const(torch.tensor([0, 1, 4, 1, 2, 3])), False)]),
    "CrossEntropyLoss_probs": (lambda: nn.CrossEntropyLoss(weight=lin(5), label_smoothing=0.05),
                               [(rn(4, 5), True), (lambda: torch.randn(4, 5, dtype=torch.float64).softmax(1), False)]),
    "CrossEntropyLoss_3d_none": (lambda: nn.CrossEntropyLoss(reduction="none"), [(rn(2, 5, 3), True), (cls(5, 2, 3), False)]),
    "CrossEntropyLoss_unbatched": (lambda: nn.CrossEntropyLoss(), [(rn(5), True), (const(torch.tensor(3)), False)]),
    "NLLLoss": (lambda: nn.NLLLoss(), [(lambda: torch.randn(4, 5, dtype=torch.float64).log_softmax(1), True), (cls(5, 4), False)]),
    "NLLLoss_weighted_sum": (lambda: nn.NLLLoss(weight=lin(5), reduction="sum"), [(rn(4, 5), True), (cls(5, 4), False)]),
    "NLLLoss_weighted_mean": (lambda: nn.NLLLoss(weight=lin(5), ignore_index=0), [(rn(6, 5), True), (const(torch.tensor([0, 1, 2, 3, 4, 0])), False)]),
    "PoissonNLLLoss": (lambda: nn.PoissonNLLLoss(), [(rn(3, 4), True), (lambda: (torch.rand(3, 4, dtype=torch.float64) * 5).round(), False)]),
    "PoissonNLLLoss_full": (lambda: nn.PoissonNLLLoss(log_input=False, full=True), [(lambda: torch.rand(3, 4, dtype=torch.float64) + 0.5, True), (lambda: (torch.rand(3, 4, dtype=torch.float64) * 5).round(), False)]),
    "GaussianNLLLoss": (lambda: nn.GaussianNLLLoss(), [(rn(4, 3), True), (rn(4, 3), False), (lambda: torch.rand(4, 3, dtype=torch.float64) + 0.1, True)]),
    "GaussianNLLLoss_full": (lambda: nn.GaussianNLLLoss(full=True, reduction="sum"), [(rn(4, 3), True), (rn(4, 3), False), (lambda: torch.rand(4, 1, dtype=torch.float64) + 0.1, True)]),
    "KLDivLoss": (lambda: nn.KLDivLoss(reduction="batchmean"), [(lambda: torch.randn(3, 4, dtype=torch.float64).log_softmax(1), True), (lambda: torch.randn(3, 4, dtype=torch.float64).softmax(1), False)]),
    "KLDivLoss_log_target": (lambda: nn.KLDivLoss(reduction="sum", log_target=True), [(lambda: torch.randn(3, 4, dtype=torch.float64).log_softmax(1), True), (lambda: torch.randn(3, 4, dtype=torch.float64).log_softmax(1), False)]),
    "BCELoss": (lambda: nn.BCELoss(weight=lin(4)), [(lambda: torch.rand(3, 4, dtype=torch.float64) * 0.9 + 0.05, True), (lambda: torch.rand(3, 4, dtype=torch.float64), False)]),
    "BCEWithLogitsLoss": (lambda: nn.BCEWithLogitsLoss(), [(rn(3, 4), True), (lambda: torch.rand(3, 4, dtype=torch.float64), False)]),
    "BCEWithLogitsLoss_pos_weight": (lambda: nn.BCEWithLogitsLoss(weight=lin(4), pos_weight=lin(4)), [(rn(3, 4), True), (lambda: torch.rand(3, 4, dtype=torch.float64), False)]),
    "MarginRankingLoss": (lambda: nn.MarginRankingLoss(margin=0.3), [(rn(5), True), (rn(5), True), (sign(5), False)]),
    "HingeEmbeddingLoss": (lambda: nn.HingeEmbeddingLoss(margin=0.8), [(rn(3, 4), True), (sign(3, 4), False)]),
    "MultiLabelMarginLoss": (lambda: nn.MultiLabelMarginLoss(), [(rn(2, 4), True), (const(torch.tensor([[3, 0, -1, 1], [1, 2, 3, -1]])), False)]),
    "HuberLoss": (lambda: nn.HuberLoss(delta=0.7), [(rn(3, 4), True), (rn(3, 4), False)]),
    "SmoothL1Loss": (lambda: nn.SmoothL1Loss(beta=0.6), [(rn(3, 4), True), (rn(3, 4), False)]),
    "SoftMarginLoss": (lambda: nn.SoftMarginLoss(), [(rn(3, 4), True), (sign(3, 4), False)]),
    "MultiLabelSoftMarginLoss": (lambda: nn.MultiLabelSoftMarginLoss(weight=lin(4)), [(rn(3, 4), True), (lambda: torch.randint(0, 2, (3, 4)).double(), False)]),
    "CosineEmbeddingLoss": (lambda: nn.CosineEmbeddingLoss(margin=0.2), [(rn(4, 5), True), (rn(4, 5), True), (sign(4), False)]),
    "MultiMarginLoss": (lambda: nn.MultiMarginLoss(), [(rn(4, 5), True), (cls(5, 4), False)]),
    "MultiMarginLoss_p2": (lambda: nn.MultiMarginLoss(p=2, margin=0.5, weight=lin(5)), [(rn(4, 5), True), (cls(5, 4), False)]),
    "TripletMarginLoss": (lambda: nn.TripletMarginLoss(), [(rn(4, 5), True), (rn(4, 5), True), (rn(4, 5), True)]),
    "TripletMarginLoss_swap_p1": (lambda: nn.TripletMarginLoss(margin=0.5, p=1, swap=True), [(rn(4, 5), True), (rn(4, 5), True), (rn(4, 5), True)]),
    "TripletMarginWithDistanceLoss": (lambda: nn.TripletMarginWithDistanceLoss(), [(rn(4, 5), True), (rn(4, 5), True), (rn(4, 5), True)]),
    "CTCLoss": (lambda: nn.CTCLoss(), [(lambda: torch.randn(6, 2, 4, dtype=torch.float64).log_softmax(2), True), (lambda: torch.randint(1, 4, (2, 3)), False), (const(torch.tensor([6, 5])), False), (const(torch.tensor([3, 2])), False)]),
    "CTCLoss_sum_concat": (lambda: nn.CTCLoss(blank=3, reduction="sum", zero_infinity=True), [(lambda: torch.randn(5, 3, 4, dtype=torch.float64).log_softmax(2), True), (const(torch.tensor([0, 1, 1, 2, 0, 1, 2, 0, 1, 2])), False), (const(torch.tensor([5, 4, 2])), False), (const(torch.tensor([2, 3, 5])), False)]),
}


def run_loss(name, ctor, specs, tensors, meta):
    torch.manual_seed(100)
    m = ctor()
    for k, v in m.state_dict().items():
        tensors[f"{name}.init.{k}"] = v.clone()
    meta[f"{name}.repr"] = repr(m)
    m = m.double()
    torch.manual_seed(7)
    xs = []
    for maker, grad in specs:
        t = maker().detach().clone()
        xs.append(t.requires_grad_() if grad else t)
    for i, x in enumerate(xs):
        tensors[f"{name}.in{i}"] = x.detach().clone()
    for k, v in m.state_dict().items():
        tensors[f"{name}.state.{k}"] = v.clone()
    y = m(*xs)
    tensors[f"{name}.out"] = y.detach().clone()
    gout = torch.randn(y.shape, dtype=torch.float64)
    tensors[f"{name}.gout"] = gout
    (y * gout).sum().backward()
    for i, x in enumerate(xs):
        if x.requires_grad:
            tensors[f"{name}.grad_in{i}"] = x.grad.clone()


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
    for name, (ctor, specs) in LOSSES.items():
        run_loss(name, ctor, specs, tensors, meta)
    for name, (ctor, specs, train, setup) in LAYERS.items():
        run_layer(name, ctor, specs, train, setup, tensors, meta)
    # every case's float64 state dict through torch.save, for the .pt round trip of the registry test
    states = {}
    for k, v in tensors.items():
        if ".state." in k:
            case, key = k.split(".state.", 1)
            states.setdefault(case, __import__("collections").OrderedDict())[key] = v
    torch.save(states, os.path.join(OUT, "states.pt"))
    pt_files()
    save_file(tensors, os.path.join(OUT, "modules.safetensors"), metadata=meta)
    save_file({"dummy": torch.zeros(1)}, os.path.join(OUT, "layer_errors.safetensors"), metadata=errors())
    api()
    optim()
    init_and_utils()
    cells()
    packing()
    rnns()
    print("wrote", len(MODULES) + len(LOSSES) + len(LAYERS), "module cases to", OUT, "with torch", torch.__version__)


class Block(nn.Module):
    """Mirrored by ModuleApiTest.Block: parameters, a persistent and a non-persistent buffer, children."""

    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(3))
        self.register_buffer("steps", torch.zeros(1, dtype=torch.int64))
        self.register_buffer("cache", torch.zeros(2), persistent=False)
        self.fc = nn.Linear(3, 3)
        self.acts = nn.ModuleList([nn.ReLU(), nn.Tanh()])


def pt_files():
    """Real torch.save files: a model's state dict with every dtype, views sharing a storage, and a hostile
    pickle that a restricted loader must refuse."""
    torch.manual_seed(1)
    model = nn.Sequential(nn.Linear(3, 4), Block())
    sd = model.state_dict()
    sd["extra.half"] = torch.randn(2, 3).half()
    sd["extra.bf16"] = torch.randn(3).bfloat16()
    sd["extra.mask"] = torch.tensor([True, False, True])
    sd["extra.big"] = torch.tensor([2 ** 62 + 5, -3])
    sd["extra.f64"] = torch.randn(2, 2, dtype=torch.float64)
    base = torch.arange(12.0).view(3, 4)
    sd["view.base"] = base
    sd["view.tail"] = base[1:]
    sd["view.t"] = base.t()
    sd["view.scalar"] = torch.tensor(7.5)
    torch.save(sd, os.path.join(OUT, "model_state.pt"))
    expect = {k: v.contiguous().clone() for k, v in sd.items()}
    save_file(expect, os.path.join(OUT, "model_state_expected.safetensors"))
    torch.save({"w": torch.zeros(2, dtype=torch.int32)}, os.path.join(OUT, "int32.pt"))

    class Evil:
        def __reduce__(self):
            return (os.system, ("echo pwned",))

    torch.save({"w": torch.zeros(1), "evil": Evil()}, os.path.join(OUT, "malicious.pt"))


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


OPTIMS = {
    "SGD": (lambda ps: torch.optim.SGD(ps, lr=0.1), None),
    "SGD_momentum": (lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, dampening=0.1, weight_decay=0.01), None),
    "SGD_nesterov_maximize": (lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.8, nesterov=True, maximize=True), None),
    "Adam": (lambda ps: torch.optim.Adam(ps, lr=0.05), None),
    "Adam_amsgrad_wd": (lambda ps: torch.optim.Adam(ps, lr=0.05, betas=(0.8, 0.95), eps=1e-6, weight_decay=0.1, amsgrad=True), None),
    "AdamW": (lambda ps: torch.optim.AdamW(ps, lr=0.05), None),
    "AdamW_amsgrad": (lambda ps: torch.optim.AdamW(ps, lr=0.05, weight_decay=0.2, amsgrad=True), None),
    "RMSprop": (lambda ps: torch.optim.RMSprop(ps, lr=0.01), None),
    "RMSprop_centered_momentum": (lambda ps: torch.optim.RMSprop(ps, lr=0.01, alpha=0.9, weight_decay=0.05, momentum=0.5, centered=True), None),
    "Adagrad": (lambda ps: torch.optim.Adagrad(ps, lr=0.1), None),
    "Adagrad_decay": (lambda ps: torch.optim.Adagrad(ps, lr=0.1, lr_decay=0.05, weight_decay=0.1, initial_accumulator_value=0.2), None),
    "SGD_StepLR": (lambda ps: torch.optim.SGD(ps, lr=0.1, momentum=0.5), lambda o: torch.optim.lr_scheduler.StepLR(o, 3, 0.5)),
    "Adam_ExponentialLR": (lambda ps: torch.optim.Adam(ps, lr=0.05), lambda o: torch.optim.lr_scheduler.ExponentialLR(o, 0.9)),
    "SGD_CosineAnnealingLR": (lambda ps: torch.optim.SGD(ps, lr=0.1), lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, 4, 0.01)),
}


def optim():
    torch.manual_seed(0)
    base = {"W": torch.randn(3, 4, dtype=torch.float64), "b": torch.randn(3, dtype=torch.float64),
            "X": torch.randn(8, 4, dtype=torch.float64), "Y": torch.randn(8, 3, dtype=torch.float64)}
    tensors, meta = dict(base), {}
    for name, (ctor, sched) in OPTIMS.items():
        w = base["W"].clone().requires_grad_()
        b = base["b"].clone().requires_grad_()
        opt = ctor([w, b])
        sch = sched(opt) if sched else None
        for step in range(10):
            opt.zero_grad()
            loss = ((base["X"] @ w.t() + b - base["Y"]) ** 2).mean() + 0.05 * (w ** 4).sum()
            loss.backward()
            opt.step()
            if sch:
                sch.step()
            tensors[f"{name}.W.{step}"] = w.detach().clone()
            tensors[f"{name}.b.{step}"] = b.detach().clone()
            tensors[f"{name}.lr.{step}"] = torch.tensor(opt.param_groups[0]["lr"], dtype=torch.float64)
        sd = opt.state_dict()
        meta[f"{name}.state_keys"] = ",".join(sd["state"][0].keys())
        meta[f"{name}.group_keys"] = ",".join(k for k in sd["param_groups"][0].keys())
    save_file(tensors, os.path.join(OUT, "optim.safetensors"), metadata=meta)


def init_and_utils():
    I = nn.init
    t, meta = {}, {}
    cases = {
        "uniform": lambda w: I.uniform_(w, -0.3, 0.7),
        "normal": lambda w: I.normal_(w, 0.5, 2.0),
        "constant": lambda w: I.constant_(w, 0.25),
        "ones": lambda w: I.ones_(w),
        "zeros": lambda w: I.zeros_(w),
        "eye": lambda w: I.eye_(w),
        "xavier_uniform": lambda w: I.xavier_uniform_(w, gain=1.5),
        "xavier_normal": lambda w: I.xavier_normal_(w, gain=0.8),
        "kaiming_uniform": lambda w: I.kaiming_uniform_(w, a=0.1, mode="fan_out", nonlinearity="leaky_relu"),
        "kaiming_normal": lambda w: I.kaiming_normal_(w, mode="fan_in", nonlinearity="relu"),
        "trunc_normal": lambda w: I.trunc_normal_(w, mean=0.1, std=0.5, a=-0.4, b=0.9),
        "orthogonal": lambda w: I.orthogonal_(w, gain=2.0),
        "orthogonal_tall": lambda w: I.orthogonal_(w.t().contiguous(), gain=1.0),
        "sparse": lambda w: I.sparse_(w, 0.4, std=0.1),
    }
    for name, fn in cases.items():
        torch.manual_seed(21)
        w = torch.empty(5, 7)
        r = fn(w)
        t[f"init.{name}"] = r.detach().clone()
    torch.manual_seed(21)
    t["init.dirac"] = I.dirac_(torch.empty(4, 2, 3, 3), groups=2)
    for nl, param in (("linear", None), ("conv2d", None), ("sigmoid", None), ("tanh", None), ("relu", None),
                      ("leaky_relu", None), ("leaky_relu", 0.2), ("selu", None)):
        meta[f"gain.{nl}.{param}"] = repr(I.calculate_gain(nl, param))
    # clip_grad_norm_ / clip_grad_value_ / parameters_to_vector
    torch.manual_seed(5)
    grads = [torch.randn(3, 4, dtype=torch.float64), torch.randn(5, dtype=torch.float64)]
    t["clip.g0"], t["clip.g1"] = grads[0].clone(), grads[1].clone()
    for nt in (2.0, 1.0, 3.0, float("inf")):
        ps = [nn.Parameter(torch.zeros_like(g)) for g in grads]
        for p, g in zip(ps, grads):
            p.grad = g.clone()
        total = nn.utils.clip_grad_norm_(ps, 0.5, norm_type=nt)
        t[f"clip.norm.{nt}.total"] = total.clone()
        t[f"clip.norm.{nt}.g0"] = ps[0].grad.clone()
        t[f"clip.norm.{nt}.g1"] = ps[1].grad.clone()
    ps = [nn.Parameter(torch.zeros_like(g)) for g in grads]
    for p, g in zip(ps, grads):
        p.grad = g.clone()
    nn.utils.clip_grad_value_(ps, 0.6)
    t["clip.value.g0"], t["clip.value.g1"] = ps[0].grad.clone(), ps[1].grad.clone()
    t["vector"] = nn.utils.parameters_to_vector([nn.Parameter(g) for g in grads]).detach().clone()
    save_file(t, os.path.join(OUT, "init_utils.safetensors"), metadata=meta)


CELLS = {
    "RNNCell": (lambda: nn.RNNCell(4, 3), True),
    "RNNCell_relu_nobias": (lambda: nn.RNNCell(4, 3, bias=False, nonlinearity="relu"), True),
    "GRUCell": (lambda: nn.GRUCell(4, 3), True),
    "LSTMCell": (lambda: nn.LSTMCell(4, 3), True),
    "LSTMCell_unbatched": (lambda: nn.LSTMCell(4, 3), False),
    "GRUCell_unbatched_nobias": (lambda: nn.GRUCell(4, 3, bias=False), False),
}


def cells():
    t, meta = {}, {}
    for name, (ctor, batched) in CELLS.items():
        torch.manual_seed(100)
        m = ctor()
        meta[f"{name}.repr"] = repr(m)
        for k, v in m.state_dict().items():
            t[f"{name}.init.{k}"] = v.clone()
        m = m.double()
        torch.manual_seed(7)
        shape = (5,) if batched else ()
        x = torch.randn(*shape, 4, dtype=torch.float64, requires_grad=True)
        h = torch.randn(*shape, 3, dtype=torch.float64, requires_grad=True)
        c = torch.randn(*shape, 3, dtype=torch.float64, requires_grad=True)
        t[f"{name}.x"], t[f"{name}.h"], t[f"{name}.c"] = x.detach().clone(), h.detach().clone(), c.detach().clone()
        for k, v in m.state_dict().items():
            t[f"{name}.state.{k}"] = v.clone()
        if isinstance(m, nn.LSTMCell):
            h2, c2 = m(x, (h, c))
            loss = (h2 * torch.linspace(-1, 1, 3, dtype=torch.float64)).sum() + (c2 ** 2).sum()
            t[f"{name}.out_h"], t[f"{name}.out_c"] = h2.detach().clone(), c2.detach().clone()
        else:
            h2 = m(x, h)
            loss = (h2 * torch.linspace(-1, 1, 3, dtype=torch.float64)).sum()
            t[f"{name}.out_h"] = h2.detach().clone()
        loss.backward()
        t[f"{name}.grad_x"], t[f"{name}.grad_h"] = x.grad.clone(), h.grad.clone()
        if c.grad is not None:
            t[f"{name}.grad_c"] = c.grad.clone()
        for k, p in m.named_parameters():
            t[f"{name}.grad.{k}"] = p.grad.clone()
    save_file(t, os.path.join(OUT, "cells.safetensors"), metadata=meta)


def packing():
    from torch.nn.utils import rnn as R
    t, meta = {}, {}
    torch.manual_seed(3)
    x = torch.randn(5, 4, 3, dtype=torch.float64, requires_grad=True)
    t["x"] = x.detach().clone()
    p = R.pack_padded_sequence(x, [3, 5, 1, 4], enforce_sorted=False)
    t["pack.data"], t["pack.batch_sizes"] = p.data.detach().clone(), p.batch_sizes.clone()
    t["pack.sorted"], t["pack.unsorted"] = p.sorted_indices.clone(), p.unsorted_indices.clone()
    w = torch.randn(p.data.shape, dtype=torch.float64)
    t["pack.w"] = w
    (p.data * w).sum().backward()
    t["pack.grad_x"] = x.grad.clone()
    padded, lengths = R.pad_packed_sequence(p, batch_first=True, padding_value=-1.0, total_length=6)
    t["unpack.padded"], t["unpack.lengths"] = padded.detach().clone(), lengths.clone()
    xb = torch.randn(2, 4, 3, dtype=torch.float64)
    t["xb"] = xb
    pb = R.pack_padded_sequence(xb, torch.tensor([4, 2]), batch_first=True)
    t["packb.data"], t["packb.batch_sizes"] = pb.data.clone(), pb.batch_sizes.clone()
    seqs = [torch.randn(2, 3, dtype=torch.float64), torch.randn(4, 3, dtype=torch.float64), torch.randn(1, 3, dtype=torch.float64)]
    for i, q in enumerate(seqs):
        t[f"seq{i}"] = q
    t["padseq"] = R.pad_sequence(seqs, padding_value=0.5)
    t["padseq_bf"] = R.pad_sequence(seqs, batch_first=True)
    ps = R.pack_sequence(seqs, enforce_sorted=False)
    t["packseq.data"], t["packseq.batch_sizes"] = ps.data.clone(), ps.batch_sizes.clone()
    meta["packseq.repr"] = repr(R.pack_sequence([torch.ones(2), torch.ones(1)]))
    save_file(t, os.path.join(OUT, "packing.safetensors"), metadata=meta)


# name -> (constructor kwargs, kind, packed, with_state, unbatched, train)
RNNS = {
    "LSTM": ("LSTM", dict(), False, False, False, False),
    "LSTM_state": ("LSTM", dict(), False, True, False, False),
    "LSTM_2layers_bi": ("LSTM", dict(num_layers=2, bidirectional=True), False, True, False, False),
    "LSTM_proj_batch_first": ("LSTM", dict(proj_size=2, batch_first=True), False, True, False, False),
    "LSTM_proj_bi_nobias": ("LSTM", dict(proj_size=2, bidirectional=True, bias=False, num_layers=2), False, True, False, False),
    "LSTM_packed": ("LSTM", dict(num_layers=2, bidirectional=True), True, True, False, False),
    "LSTM_packed_proj": ("LSTM", dict(proj_size=2), True, False, False, False),
    "LSTM_unbatched": ("LSTM", dict(num_layers=2), False, True, True, False),
    "LSTM_dropout_train": ("LSTM", dict(num_layers=3, dropout=0.4), False, False, False, True),
    "GRU": ("GRU", dict(), False, True, False, False),
    "GRU_2layers_bi_batch_first": ("GRU", dict(num_layers=2, bidirectional=True, batch_first=True), False, True, False, False),
    "GRU_packed_nobias": ("GRU", dict(bias=False, bidirectional=True), True, True, False, False),
    "GRU_unbatched": ("GRU", dict(), False, False, True, False),
    "RNN": ("RNN", dict(), False, True, False, False),
    "RNN_relu_2layers_bi": ("RNN", dict(nonlinearity="relu", num_layers=2, bidirectional=True), False, True, False, False),
    "RNN_packed_batch_first": ("RNN", dict(batch_first=True), True, True, False, False),
}


def rnns():
    from torch.nn.utils import rnn as R
    t, meta = {}, {}
    for name, (kind, kw, packed, with_state, unbatched, train) in RNNS.items():
        torch.manual_seed(100)
        m = getattr(nn, kind)(4, 3, **kw)
        meta[f"{name}.repr"] = repr(m)
        meta[f"{name}.keys"] = ",".join(m.state_dict().keys())
        for k, v in m.state_dict().items():
            t[f"{name}.init.{k}"] = v.clone()
        m = m.double().train(train)
        for k, v in m.state_dict().items():
            t[f"{name}.state.{k}"] = v.clone()
        torch.manual_seed(7)
        bf = m.batch_first
        shape = (5, 4) if unbatched else ((3, 5, 4) if bf else (5, 3, 4))
        x = torch.randn(*shape, dtype=torch.float64, requires_grad=True)
        t[f"{name}.x"] = x.detach().clone()
        d = 2 if m.bidirectional else 1
        hout = m.proj_size if kind == "LSTM" and m.proj_size > 0 else 3
        sshape = (d * m.num_layers, 3) if not unbatched else (d * m.num_layers,)
        h0 = torch.randn(*sshape[:1], *(() if unbatched else (3,)), hout, dtype=torch.float64, requires_grad=True)
        c0 = torch.randn(*sshape[:1], *(() if unbatched else (3,)), 3, dtype=torch.float64, requires_grad=True)
        t[f"{name}.h0"], t[f"{name}.c0"] = h0.detach().clone(), c0.detach().clone()
        inp = x
        if packed:
            inp = R.pack_padded_sequence(x, [4, 5, 2], batch_first=bf, enforce_sorted=False)
        hx = None
        if with_state:
            hx = (h0, c0) if kind == "LSTM" else h0
        torch.manual_seed(11)
        res = m(inp, hx)
        out, hn = res[0], res[1]
        if packed:
            out = out.data
        cn = hn[1] if kind == "LSTM" else None
        hn = hn[0] if kind == "LSTM" else hn
        t[f"{name}.out"], t[f"{name}.hn"] = out.detach().contiguous().clone(), hn.detach().contiguous().clone()
        w1 = torch.randn(out.shape, dtype=torch.float64)
        w2 = torch.randn(hn.shape, dtype=torch.float64)
        t[f"{name}.w1"], t[f"{name}.w2"] = w1, w2
        loss = (out * w1).sum() + (hn * w2).sum()
        if cn is not None:
            t[f"{name}.cn"] = cn.detach().clone()
            w3 = torch.randn(cn.shape, dtype=torch.float64)
            t[f"{name}.w3"] = w3
            loss = loss + (cn * w3).sum()
        loss.backward()
        t[f"{name}.grad_x"] = x.grad.clone()
        if with_state:
            t[f"{name}.grad_h0"] = h0.grad.clone()
            if kind == "LSTM":
                t[f"{name}.grad_c0"] = c0.grad.clone()
        for k, p in m.named_parameters():
            t[f"{name}.grad.{k}"] = p.grad.clone()
    save_file(t, os.path.join(OUT, "rnn.safetensors"), metadata=meta)
    # the float64 state dicts once more through torch.save, as a user would hand them over
    states = {}
    for k, v in t.items():
        if ".state." in k:
            case, key = k.split(".state.", 1)
            states.setdefault(case, __import__("collections").OrderedDict())[key] = v
    torch.save(states, os.path.join(OUT, "rnn_states.pt"))


if __name__ == "__main__":
    main()

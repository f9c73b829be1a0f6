#!/usr/bin/env python3
"""Writes PyTorch 1.13's answers at the edges: empty batches and sequences of the recurrent layers and cells,
out-of-range indices of the index ops, and element counts beyond 2^31 of expanded views.

Run through tools/parity/run.sh. Every answer is a string in a safetensors file's metadata (the tensor in
the file is a placeholder): either the shapes PyTorch returns, or "error=" and PyTorch's message.

Files: nn goldens edges.safetensors; engine goldens edges.safetensors.
Keys of the nn file name the case so that the Java test (RnnEdgeTest) rebuilds it from the key alone:
  layer|MODE|L=layers|bf=0/1|bi=0/1|x=d0,d1,d2|hx=none/full       a layer (input drawn at random)
  cell|MODE|x=d0,d1|hx=none/full                                   a cell
  and a few named cases (lstm_h0_only, lstm_cell_h0_only, multi_margin_neg).
Keys of the engine file: index op cases (see INDEX_CASES), empty tensors (EMPTY_CASES, repr of the result)
and expanded-view cases (see BIG).
"""
import os
import sys

import torch
import torch.nn as nn
from safetensors.torch import save_file

NN_OUT = sys.argv[1] if len(sys.argv) > 1 else "nn/src/test/resources/goldens"
ENGINE_OUT = sys.argv[2] if len(sys.argv) > 2 else "engine/src/test/resources/goldens"
torch.manual_seed(0)


def shape(t):
    return "[" + ", ".join(str(s) for s in t.shape) + "]"


def answer(f):
    try:
        return f()
    except Exception as e:  # the message PyTorch gives, whatever its exception type
        return "error=" + str(e)


MODES = {"RNN_TANH": lambda **k: nn.RNN(nonlinearity="tanh", **k), "LSTM": nn.LSTM, "GRU": nn.GRU}
CELLS = {"RNN_TANH": nn.RNNCell, "LSTM": nn.LSTMCell, "GRU": nn.GRUCell}
IN, HID = 4, 3


def layer_case(mode, layers, bf, bi, xs, hx):
    m = MODES[mode](input_size=IN, hidden_size=HID, num_layers=layers, batch_first=bool(bf),
                    bidirectional=bool(bi))
    x = torch.randn(*xs, requires_grad=True)
    d = 2 if bi else 1
    batch = xs[0] if bf and len(xs) == 3 else xs[1] if len(xs) == 3 else None
    state = None
    if hx == "full":
        sh = (layers * d, batch, HID) if batch is not None else (layers * d, HID)
        state = (torch.zeros(sh), torch.zeros(sh)) if mode == "LSTM" else torch.zeros(sh)
    out, h = m(x, state)
    hn, cn = h if mode == "LSTM" else (h, None)
    r = "out=" + shape(out) + ";h=" + shape(hn) + (";c=" + shape(cn) if cn is not None else "")
    (out.sum() + hn.sum() + (cn.sum() if cn is not None else 0)).backward()
    r += ";dx=" + shape(x.grad) + ";dw=" + shape(m.weight_ih_l0.grad)
    r += ";gradsum=" + repr(float(sum(p.grad.abs().sum() for p in m.parameters())))
    return r


def cell_case(mode, xs, hx):
    c = CELLS[mode](IN, HID)
    x = torch.randn(*xs, requires_grad=True)
    state = None
    if hx == "full":
        sh = (xs[0], HID) if len(xs) == 2 else (HID,)
        state = (torch.zeros(sh), torch.zeros(sh)) if mode == "LSTM" else torch.zeros(sh)
    o = c(x, state)
    h, cs = o if mode == "LSTM" else (o, None)
    r = "h=" + shape(h) + (";c=" + shape(cs) if cs is not None else "")
    (h.sum() + (cs.sum() if cs is not None else 0)).backward()
    r += ";dx=" + shape(x.grad) + ";dw=" + shape(c.weight_ih.grad)
    r += ";gradsum=" + repr(float(sum(p.grad.abs().sum() for p in c.parameters())))
    return r


def rnn_edges():
    meta = {}
    for mode in MODES:
        for bf in (0, 1):
            for bi in (0, 1):
                for layers in (1, 2):
                    # empty batch, and an empty sequence (time dim 0), with and without states
                    for xs in ([(0, 5, IN), (3, 0, IN)] if bf else [(5, 0, IN), (0, 3, IN)]):
                        for hx in ("none", "full"):
                            key = "layer|%s|L=%d|bf=%d|bi=%d|x=%s|hx=%s" % (
                                mode, layers, bf, bi, ",".join(map(str, xs)), hx)
                            meta[key] = answer(lambda: layer_case(mode, layers, bf, bi, xs, hx))
        for xs in [(0, IN), (0, 0, IN)]:
            key = "layer|%s|L=1|bf=0|bi=0|x=%s|hx=none" % (mode, ",".join(map(str, xs)))
            meta[key] = answer(lambda: layer_case(mode, 1, 0, 0, xs, "none"))
        for hx in ("none", "full"):
            key = "cell|%s|x=0,%d|hx=%s" % (mode, IN, hx)
            meta[key] = answer(lambda: cell_case(mode, (0, IN), hx))
    # an LSTM given (h0,) without c0: the Python module indexes the tuple first ("tuple index out of range");
    # ATen's lstm, which jtorch's layer mirrors, words the mistake itself
    lstm = nn.LSTM(IN, HID)
    x = torch.randn(5, 2, IN)
    h0 = torch.zeros(1, 2, HID)
    meta["lstm_h0_only_module"] = answer(lambda: lstm(x, (h0,)))
    meta["lstm_h0_only"] = answer(lambda: torch._VF.lstm(x, (h0,), lstm._flat_weights, True, 1, 0.0, False,
                                                        False, False))
    meta["lstm_three_states"] = answer(lambda: lstm(x, (h0, h0, h0)))
    cell = nn.LSTMCell(IN, HID)
    meta["lstm_cell_h0_only"] = answer(lambda: cell(torch.randn(2, IN), (torch.zeros(2, HID),)))
    # a loss that indexes with its target
    meta["multi_margin_neg"] = answer(lambda: torch.nn.functional.multi_margin_loss(torch.randn(2, 3),
                                                                                   long(-1, 0)))
    meta["multi_margin_big"] = answer(lambda: torch.nn.functional.multi_margin_loss(torch.randn(3), long(3)))
    return meta


# index op cases: name -> op on x = arange(6.).reshape(3, 2) or the shape named
def long(*v):
    return torch.tensor(v, dtype=torch.long)


X = torch.arange(6.).reshape(3, 2)
INDEX_CASES = {
    "index_select_d0_neg": lambda: X.index_select(0, long(-1)),
    "index_select_d0_big": lambda: X.index_select(0, long(0, 3)),
    "index_select_d1_neg": lambda: X.index_select(1, long(-1)),
    "index_select_d1_big": lambda: X.index_select(1, long(2)),
    "index_select_3d_d2_neg": lambda: torch.zeros(2, 3, 4).index_select(2, long(-1)),
    "index_select_3d_d1_neg": lambda: torch.zeros(2, 3, 4).index_select(1, long(-1)),
    "index_select_1d_neg": lambda: torch.arange(3.).index_select(0, long(-1)),
    "index_select_0d_neg": lambda: torch.tensor(5.).index_select(0, long(-1)),
    "index_select_long_neg": lambda: torch.arange(6).reshape(3, 2).index_select(0, long(-1)),
    "index_select_empty_self_d0": lambda: torch.zeros(0, 3).index_select(0, long(-1)),
    "index_select_empty_self_d1": lambda: torch.zeros(3, 0).index_select(0, long(-1)),
    "index_select_empty_1d": lambda: torch.zeros(0).index_select(0, long(-1)),
    "gather_neg": lambda: X.gather(0, long(-1, 0).view(1, 2)),
    "gather_big": lambda: X.gather(1, long(2).view(1, 1)),
    "gather_0d_neg": lambda: torch.tensor(1.).gather(0, torch.tensor(-1)),
    "scatter_neg": lambda: X.scatter(0, long(-1, 0).view(1, 2), torch.ones(1, 2)),
    "scatter_value_neg": lambda: X.scatter(1, long(-1).view(1, 1), 1.0),
    "scatter__neg": lambda: X.clone().scatter_(0, long(-1, 0).view(1, 2), torch.ones(1, 2)),
    "scatter_add_neg": lambda: X.scatter_add(0, long(-1, 0).view(1, 2), torch.ones(1, 2)),
    "scatter_add__neg": lambda: X.clone().scatter_add_(0, long(0, -1).view(1, 2), torch.ones(1, 2)),
    "index_add_neg": lambda: X.index_add(0, long(-1), torch.ones(1, 2)),
    "index_add_d1_big": lambda: X.index_add(1, long(2), torch.ones(3, 1)),
    "index_add_0d_neg": lambda: torch.tensor(1.).index_add(0, long(-1), torch.tensor([1.])),
    "index_add_empty_self": lambda: torch.zeros(0, 2).index_add(0, long(-1), torch.ones(1, 2)),
    "embedding_neg": lambda: torch.nn.functional.embedding(long(-1), X),
}

# empty tensors and empty views (which may start past the end of their storage): repr of the result
EMPTY_CASES = {
    "empty_sum": lambda: torch.zeros(0, 3).sum(),
    "empty_sum0": lambda: torch.zeros(0, 3).sum(0),
    "empty_sum_long_view": lambda: torch.zeros(2, 0, 3, dtype=torch.long)[1].sum(),
    "empty_mean": lambda: torch.zeros(0, 3).mean(),
    "empty_stack": lambda: torch.stack([torch.zeros(0, 3), torch.zeros(0, 3)]),
    "empty_view_fill": lambda: torch.zeros(2, 0, 3)[1].fill_(1),
    "empty_view_exp": lambda: torch.zeros(2, 0, 3)[1].exp(),
    "empty_view_clone": lambda: torch.zeros(2, 0, 3)[1].clone(),
    "empty_view_add": lambda: torch.zeros(2, 0, 3)[1] + torch.zeros(2, 0, 3)[1],
    "empty_max1": lambda: torch.zeros(0, 3).max(1)[1],
    "empty_amax1": lambda: torch.zeros(0, 3).amax(1),
    "empty_argmax1": lambda: torch.zeros(0, 3).argmax(1),
    "empty_amax0": lambda: torch.zeros(0, 3).amax(0),
}

# expanded views of more than 2^31 elements
BIG = torch.zeros(1).expand(100000, 100000)


def engine_edges():
    meta = {name: answer(lambda: shape(f())) for name, f in INDEX_CASES.items()}
    meta.update({name: answer(lambda: repr(f())) for name, f in EMPTY_CASES.items()})
    meta["big_numel"] = str(BIG.numel())
    meta["big_repr"] = repr(BIG)
    meta["big_ones_repr"] = repr(torch.ones(2, 1, 1).expand(2, 50000, 50000))
    meta["big_arange_repr"] = repr(torch.arange(7.).view(7, 1, 1).expand(7, 100000, 100000))
    meta["big_long_repr"] = repr(torch.arange(9).view(1, 9).expand(300000000, 9))
    meta["big_view_shape"] = shape(BIG.view(100000, 100000, 1))
    meta["big_narrow_sum"] = repr(float(BIG.narrow(0, 0, 3).sum()))
    meta["big_index_select_shape"] = shape(BIG.index_select(0, long(0, 99999)))
    meta["big_unsqueeze_shape"] = shape(BIG.unsqueeze(0))
    meta["overflow_expand"] = answer(lambda: torch.zeros(1).expand(2 ** 31 - 1, 2 ** 31 - 1, 2 ** 31 - 1))
    return meta


def main():
    placeholder = {"dummy": torch.zeros(1)}
    os.makedirs(NN_OUT, exist_ok=True)
    os.makedirs(ENGINE_OUT, exist_ok=True)
    save_file(placeholder, os.path.join(NN_OUT, "edges.safetensors"), metadata=rnn_edges())
    save_file(placeholder, os.path.join(ENGINE_OUT, "edges.safetensors"), metadata=engine_edges())


if __name__ == "__main__":
    main()

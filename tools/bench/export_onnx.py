#!/usr/bin/env python3
"""Exports the models of the recurrent, convolution and attention benchmarks to ONNX with PyTorch's
torch.onnx.export, for dev.jtorch.bench.OnnxRuntimeBench (ONNX Runtime's Java API) to time. The files are made
at benchmark time under target/ and never committed.

    /usr/bin/python3 tools/bench/export_onnx.py DIR                        # every case
    /usr/bin/python3 tools/bench/export_onnx.py DIR --group rnn            # rnn, conv or attention
    /usr/bin/python3 tools/bench/export_onnx.py DIR --only LSTM_100x1x128x256 conv3x3_b1

Writes DIR/CASE.onnx and DIR/manifest.json (case -> file, inputs with name, dtype and shape). Case names are
the jtorch benchmarks' parameters: MODE_SHAPE for RnnBench (mode, shape), ConvBench's and AttentionBench's
layer. The modules and inputs come from the PyTorch peers' scripts (rnn_pytorch.py, conv_pytorch.py,
attention_pytorch.py), so that the shapes are the ones PyTorch is timed on; the weights are PyTorch's default
initialisation after torch.manual_seed(0) (timing only: nothing compares values). float32 throughout, except the
embedding's int64 ids. The reports (./jtorch bench rnn|conv|attention) run this once at their start.
"""
import json
import math
import os
import sys
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import torch  # noqa: E402

import attention_pytorch  # noqa: E402  (its cases; imported, it neither re-executes nor times anything)
import conv_pytorch  # noqa: E402
import rnn_pytorch  # noqa: E402

# The highest opset PyTorch 1.13's exporter writes (17: LayerNormalization is one op).
OPSET = 17


class Sdpa(torch.nn.Module):
    """The attention benchmark's sdpa case as PyTorch 1.13 has it: softmax(q @ k^T * scale) @ v."""

    def forward(self, q, k, v):
        scale = 1 / math.sqrt(q.shape[-1])
        return torch.softmax(q @ k.transpose(-2, -1) * scale, dim=-1) @ v


def rnn_cases():
    """name -> (module, inputs: list of (name, tensor)), output names"""
    out = {}
    for mode in ("LSTM", "GRU"):
        for shape in rnn_pytorch.SHAPES:
            t, b, i, h = map(int, shape.split("x"))

            def make(mode=mode, t=t, b=b, i=i, h=h):
                torch.manual_seed(0)
                m = getattr(torch.nn, mode)(i, h).eval()
                return m, [("x", torch.randn(t, b, i))], ["y", "h", "c"] if mode == "LSTM" else ["y", "h"]

            out[f"{mode}_{shape}"] = make
    return out


def conv_cases():
    out = {}
    for name, (maker, spec) in conv_pytorch.CASES.items():
        def make(maker=maker, spec=spec, name=name):
            torch.manual_seed(0)
            m = maker().eval()
            return m, [("ids" if spec == "ids" else "x", conv_pytorch.make_input(spec))], ["y"]

        out[name] = make
    return out


def attention_cases():
    a = attention_pytorch
    out = {}
    for name in a.CASES:
        kind, b = name.split("_b")
        b = int(b)

        def make(kind=kind, b=b):
            torch.manual_seed(0)
            if kind == "sdpa":
                return Sdpa(), [(n, torch.randn(b, a.HEADS, a.T, a.HEAD_DIM)) for n in ("q", "k", "v")], ["y"]
            m = torch.nn.TransformerEncoderLayer(a.D_MODEL, a.HEADS, dim_feedforward=2048, batch_first=True).eval()
            return m, [("x", torch.randn(b, a.T, a.D_MODEL))], ["y"]

        out[name] = make
    return out


GROUPS = {"rnn": rnn_cases, "conv": conv_cases, "attention": attention_cases}
DTYPES = {torch.float32: "float32", torch.int64: "int64"}


def export(name, make, directory):
    """Exports one case; returns its manifest entry."""
    m, inputs, outputs = make()
    path = os.path.join(directory, name + ".onnx")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the exporter's notes on batch sizes and constant shapes
        torch.onnx.export(m, tuple(t for _, t in inputs), path, input_names=[n for n, _ in inputs],
                          output_names=outputs, opset_version=OPSET)
    entry = {"file": name + ".onnx", "inputs": []}
    for n, t in inputs:
        i = {"name": n, "dtype": DTYPES[t.dtype], "shape": list(t.shape)}
        if t.dtype == torch.int64:
            i["high"] = getattr(m, "num_embeddings", int(t.max()) + 1)  # ids are drawn from [0, high)
        entry["inputs"].append(i)
    return entry


def main():
    args = sys.argv[1:]
    if not args or args[0].startswith("-"):
        sys.exit(__doc__)
    directory = args[0]
    cases = {}
    for g in GROUPS.values():
        cases.update(g())
    names = list(cases)
    if "--group" in args:
        group = args[args.index("--group") + 1]
        if group not in GROUPS:
            sys.exit(f"unknown group {group}: expected one of {', '.join(GROUPS)}")
        names = list(GROUPS[group]())
    if "--only" in args:
        names = [n for n in args[args.index("--only") + 1:] if not n.startswith("--")]
        unknown = [n for n in names if n not in cases]
        if unknown:
            sys.exit(f"unknown case(s) {', '.join(unknown)}: expected some of {', '.join(cases)}")
    os.makedirs(directory, exist_ok=True)
    manifest = {"torch": torch.__version__, "opset": OPSET, "cases": {}}
    failed = []
    for name in names:
        try:
            manifest["cases"][name] = export(name, cases[name], directory)
            print("exported", name, flush=True)
        except Exception as e:  # noqa: BLE001  (the report goes on without the case and says why)
            failed.append(name)
            print(f"export of {name} failed: {type(e).__name__}: {e}", file=sys.stderr, flush=True)
    # One case a line, so that the Java side (OnnxRuntimeBench.Manifest) reads it with a few regular expressions.
    lines = [f" {json.dumps(n)}: {json.dumps(e)}" for n, e in manifest["cases"].items()]
    with open(os.path.join(directory, "manifest.json"), "w") as f:
        f.write('{\n "torch": %s,\n "opset": %d,\n "cases": {\n%s\n }\n}\n'
                % (json.dumps(manifest["torch"]), OPSET, ",\n".join(" " + s for s in lines)))
    if failed:
        sys.exit(f"export failed for {', '.join(failed)}")


if __name__ == "__main__":
    main()

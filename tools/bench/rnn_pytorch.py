#!/usr/bin/env python3
"""PyTorch's side of the recurrent benchmark: the same shapes as dev.jtorch.bench.RnnBench, single-threaded,
float32, inference under no_grad and forward+backward, median of repeated timings. Writes JSON with the
medians ("results") and every round's time ("samples"), in ms.

    /usr/bin/python3 tools/bench/rnn_pytorch.py target/rnn-pytorch.json                # every shape
    /usr/bin/python3 tools/bench/rnn_pytorch.py target/one.json --only LSTM 100x32x128x256

dev.jtorch.bench.RnnReport (./jtorch bench rnn) runs it with --only just before and just after the JMH run of
each configuration, so that both sides are measured within seconds of each other on a noisy machine.
"""
import ctypes
import glob
import json
import os
import statistics
import sys
import time


def openblas_core():
    for path in glob.glob("/usr/lib/x86_64-linux-gnu/openblas*/libblas.so.3"):
        try:
            fn = ctypes.CDLL(path).openblas_get_corename
            fn.restype = ctypes.c_char_p
            return fn().decode()
        except OSError:
            pass
    return "not OpenBLAS"


# Debian's OpenBLAS 0.3.21 does not know recent CPUs and falls back to its Prescott (SSE3) kernels, which
# would flatter every ratio: force the best kernel family the CPU supports and report it. (Only when run as a
# script: tools/bench/export_onnx.py imports the shapes.)
if __name__ == "__main__" and openblas_core() == "Prescott" and "OPENBLAS_CORETYPE" not in os.environ:
    flags = open("/proc/cpuinfo").read()
    os.environ["OPENBLAS_CORETYPE"] = "SkylakeX" if " avx512f" in flags else "Haswell" if " avx2" in flags else ""
    os.execv(sys.executable, [sys.executable] + sys.argv)

import torch  # noqa: E402  (after the re-exec, so OpenBLAS starts with the chosen core)

torch.set_num_threads(1)
SHAPES = ["100x1x128x256", "100x32x128x256", "50x64x512x512"]


def timeit(fn, min_time=1.0, rounds=15):
    """Every round's time per call in ms (rounds of at least min_time / rounds seconds)."""
    for _ in range(3):
        fn()
    samples = []
    for _ in range(rounds):
        n, start = 0, time.perf_counter()
        while True:
            fn()
            n += 1
            el = time.perf_counter() - start
            if el > min_time / rounds:
                break
        samples.append(el / n * 1e3)
    return samples


def main():
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "openblas_core": openblas_core(),
           "results": {}, "samples": {}}
    print("PyTorch", torch.__version__, "threads", torch.get_num_threads(), "OpenBLAS core", openblas_core(), flush=True)
    configs = [(mode, shape) for mode in ("LSTM", "GRU") for shape in SHAPES]
    if "--only" in sys.argv:
        i = sys.argv.index("--only")
        configs = [(sys.argv[i + 1], sys.argv[i + 2])]
    for mode, shape in configs:
        t, b, i, h = map(int, shape.split("x"))
        torch.manual_seed(0)
        m = getattr(torch.nn, mode)(i, h)
        x = torch.randn(t, b, i)

        def infer():
            with torch.no_grad():
                m(x)

        xg = x.clone().requires_grad_()

        def train():
            y, _ = m(xg)
            y.sum().backward()

        for kind, fn in (("inference", infer), ("train", train)):
            samples = timeit(fn)
            out["samples"][f"{mode} {shape} {kind}"] = samples
            out["results"][f"{mode} {shape} {kind}"] = statistics.median(samples)
        print(mode, shape, out["results"][f"{mode} {shape} inference"], out["results"][f"{mode} {shape} train"],
              flush=True)
    with open(sys.argv[1], "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""PyTorch's side of the convolution benchmark: the cases of dev.jtorch.bench.ConvBench, single-threaded,
float32. PyTorch 1.13 (its oneDNN convolutions; OpenBLAS forced to the CPU's kernel family) times inference
under no_grad and a training step (forward + backward of out.sum()). Writes JSON with every round's time per
call in ms.

    /usr/bin/python3 tools/bench/conv_pytorch.py out.json                 # every case
    /usr/bin/python3 tools/bench/conv_pytorch.py out.json --only conv3x3_b1

dev.jtorch.bench.ConvReport (./jtorch bench conv) runs it with --only just before and just after the JMH run of
each case. ONNX Runtime is timed from Java (dev.jtorch.bench.OnnxRuntimeBench) on the models that
tools/bench/export_onnx.py exports from CASES below.
"""
import ctypes
import glob
import json
import os
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


# Debian's OpenBLAS 0.3.21 does not know recent CPUs and falls back to its Prescott kernels: force the best
# kernel family the CPU supports and report it (PyTorch's convolutions run on oneDNN, its GEMMs on OpenBLAS).
# glibc's malloc returns large freed blocks to the kernel (mmap'd blocks, and the heap top past 128 KB), so a
# process that allocates a few MB per call pays page faults on every call: PyTorch's depthwise case takes 2.7 ms
# instead of 0.23 ms that way, depending on what ran before in the process. Keep freed memory for reuse (what
# jtorch's JVM heap does) so that the peers are timed at their best. Only when run as a script:
# tools/bench/export_onnx.py imports the cases.
reexec = False
if __name__ == "__main__" and openblas_core() == "Prescott" and "OPENBLAS_CORETYPE" not in os.environ:
    flags = open("/proc/cpuinfo").read()
    os.environ["OPENBLAS_CORETYPE"] = "SkylakeX" if " avx512f" in flags else "Haswell" if " avx2" in flags else ""
    reexec = True
if __name__ == "__main__" and "MALLOC_TRIM_THRESHOLD_" not in os.environ:
    os.environ["MALLOC_MMAP_THRESHOLD_"] = str(1 << 28)
    os.environ["MALLOC_TRIM_THRESHOLD_"] = str(1 << 30)
    reexec = True
if reexec:
    os.execv(sys.executable, [sys.executable] + sys.argv)

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402

torch.set_num_threads(1)


def conv(cin, cout, k, stride=1, padding=0, groups=1):
    return lambda: nn.Conv2d(cin, cout, k, stride=stride, padding=padding, groups=groups)


# name -> (module maker, input shape or maker); mirrors ConvBench.CASES
CASES = {}
for b in (1, 8):
    CASES[f"conv3x3_b{b}"] = (conv(64, 64, 3, padding=1), (b, 64, 56, 56))
    CASES[f"conv1x1_b{b}"] = (conv(256, 64, 1), (b, 256, 56, 56))
    CASES[f"dw3x3_b{b}"] = (conv(32, 32, 3, padding=1, groups=32), (b, 32, 112, 112))
    CASES[f"conv7x7s2_b{b}"] = (conv(3, 64, 7, stride=2, padding=3), (b, 3, 224, 224))
CASES["batchnorm2d"] = (lambda: nn.BatchNorm2d(64).eval(), (1, 64, 56, 56))
CASES["maxpool2d"] = (lambda: nn.MaxPool2d(3, stride=2, padding=1), (1, 64, 56, 56))
CASES["embedding"] = (lambda: nn.Embedding(50000, 256), "ids")
CASES["layernorm"] = (lambda: nn.LayerNorm(768), (128, 768))


def make_input(spec):
    if spec == "ids":
        return torch.randint(0, 50000, (512,))
    return torch.randn(*spec)


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
           "malloc": "MALLOC_MMAP_THRESHOLD_=" + os.environ.get("MALLOC_MMAP_THRESHOLD_", "default")
           + " MALLOC_TRIM_THRESHOLD_=" + os.environ["MALLOC_TRIM_THRESHOLD_"], "samples": {}}
    print("PyTorch", torch.__version__, "threads", torch.get_num_threads(), "OpenBLAS core", openblas_core(),
          flush=True)
    names = list(CASES)
    if "--only" in sys.argv:
        names = [sys.argv[sys.argv.index("--only") + 1]]
    for name in names:
        maker, spec = CASES[name]
        torch.manual_seed(0)
        m = maker()
        x = make_input(spec)

        def infer():
            with torch.no_grad():
                m(x)

        m.train(name != "batchnorm2d")
        xg = x if spec == "ids" else x.clone().requires_grad_()

        def train():
            m(xg).sum().backward()

        m.eval() if name == "batchnorm2d" else None
        out["samples"][name + " inference"] = timeit(infer)
        if name == "batchnorm2d":
            m.train()   # a training step normalises by the batch statistics
        out["samples"][name + " train"] = timeit(train)
        print(name, {k.split(" ")[1]: round(sorted(v)[len(v) // 2], 4) for k, v in out["samples"].items()
                     if k.startswith(name + " ")}, flush=True)
    with open(sys.argv[1], "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""PyTorch's side of the attention benchmark: the cases of dev.jtorch.bench.AttentionBench, single-threaded,
float32, inference under no_grad. Writes JSON with every round's time per call in ms ("samples") and their
medians ("results").

- sdpa_bB: PyTorch 1.13 has no F.scaled_dot_product_attention (it came in 2.0), so its math formula is timed
  instead, softmax(q @ k.transpose(-2, -1) * scale) @ v with scale = 1/sqrt(64), on (B, 8, 128, 64) q, k, v:
  what 2.x's math backend computes (its fused CPU kernel is not in 1.13).
- encoder_bB: nn.TransformerEncoderLayer(512, 8) (dim_feedforward 2048, batch_first) in eval on (B, 128, 512)
  under no_grad, where 1.13 takes its fused fast path (torch._transformer_encoder_layer_fwd): the fair peer.
  The script checks that it does (it counts the fused op's calls on one forward) and reports it as
  "fast_path".

    /usr/bin/python3 tools/bench/attention_pytorch.py target/attention-pytorch.json               # every case
    /usr/bin/python3 tools/bench/attention_pytorch.py target/one.json --only encoder_b16

dev.jtorch.bench.AttentionReport (./jtorch bench attention) runs it with --only just before and just after the
JMH run of each case, so that both sides are measured within seconds of each other on a noisy machine.
"""
import ctypes
import glob
import json
import math
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
# would flatter every ratio: force the best kernel family the CPU supports and report it. glibc's malloc
# returns large freed blocks to the kernel, so a process allocating a few MB per call would page-fault on every
# call: keep freed memory for reuse (what jtorch's JVM heap does), as tools/bench/conv_pytorch.py does.
# Only when run as a script: tools/bench/export_onnx.py imports the cases.
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

import torch  # noqa: E402  (after the re-exec, so OpenBLAS starts with the chosen core)

torch.set_num_threads(1)
# Mirrors AttentionBench.CASES
CASES = ["sdpa_b1", "sdpa_b16", "encoder_b1", "encoder_b16"]
HEADS, T, HEAD_DIM, D_MODEL = 8, 128, 64, 512


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


def make(case):
    """(the timed function, whether it is the fused fast path: None where there is none)"""
    kind, b = case.split("_b")
    b = int(b)
    torch.manual_seed(0)
    if kind == "sdpa":
        q, k, v = (torch.randn(b, HEADS, T, HEAD_DIM) for _ in range(3))
        scale = 1 / math.sqrt(HEAD_DIM)

        def sdpa():
            with torch.no_grad():
                return torch.softmax(q @ k.transpose(-2, -1) * scale, dim=-1) @ v

        return sdpa, None
    layer = torch.nn.TransformerEncoderLayer(D_MODEL, HEADS, dim_feedforward=2048, batch_first=True).eval()
    x = torch.randn(b, T, D_MODEL)

    def encoder():
        with torch.no_grad():
            return layer(x)

    # 1.13 runs its fast path under no_grad in eval: count the calls of the fused op on one forward to say so.
    calls = []
    fwd = torch._transformer_encoder_layer_fwd

    def counted(*args, **kwargs):
        calls.append(1)
        return fwd(*args, **kwargs)

    torch._transformer_encoder_layer_fwd = counted
    try:
        encoder()
    finally:
        torch._transformer_encoder_layer_fwd = fwd
    fused = len(calls) == 1
    return encoder, fused


def main():
    out = {"torch": torch.__version__, "threads": torch.get_num_threads(), "openblas_core": openblas_core(),
           "results": {}, "samples": {}, "fast_path": {}}
    print("PyTorch", torch.__version__, "threads", torch.get_num_threads(), "OpenBLAS core", openblas_core(),
          flush=True)
    cases = CASES
    if "--only" in sys.argv:
        cases = [sys.argv[sys.argv.index("--only") + 1]]
    for case in cases:
        if case not in CASES:
            sys.exit(f"unknown case {case}: expected one of {', '.join(CASES)}")
        fn, fused = make(case)
        samples = timeit(fn)
        out["samples"][case] = samples
        out["results"][case] = statistics.median(samples)
        if fused is not None:
            out["fast_path"][case] = fused
        print(case, out["results"][case], flush=True)
    with open(sys.argv[1], "w") as f:
        json.dump(out, f, indent=1)


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Trains the demo-cnn network (DigitsCnn.model()) in PyTorch on the 8x8 digits and writes what
DigitsCnnTest checks: the state dict through torch.save (digits_cnn.pt) and PyTorch's eval-mode logits and
predictions for all 1,797 images (digits_cnn_expected.safetensors). Run through tools/parity/run.sh.
"""
import gzip
import os
import sys

import numpy as np
import torch
import torch.nn as nn
from safetensors.torch import save_file

OUT = sys.argv[1] if len(sys.argv) > 1 else "examples/src/test/resources/goldens"
DATA = "examples/src/main/resources/dev/jtorch/examples/digits.csv.gz"


def model():
    return nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.25), nn.Linear(32 * 2 * 2, 10))


def main():
    with gzip.open(DATA, "rt") as f:
        rows = np.loadtxt(f, delimiter=",", dtype=np.int64)
    x = torch.tensor(rows[:, :64], dtype=torch.float32).div(16).view(-1, 1, 8, 8)
    y = torch.tensor(rows[:, 64])
    torch.manual_seed(0)
    net = model()
    opt = torch.optim.Adam(net.parameters(), lr=0.005)
    for epoch in range(15):
        net.train()
        order = torch.randperm(len(y))
        for s in range(0, len(y), 32):
            idx = order[s:s + 32]
            opt.zero_grad()
            nn.functional.cross_entropy(net(x[idx]), y[idx]).backward()
            opt.step()
    net.eval()
    with torch.no_grad():
        logits = net(x)
    acc = (logits.argmax(1) == y).double().mean().item()
    os.makedirs(OUT, exist_ok=True)
    torch.save(net.state_dict(), os.path.join(OUT, "digits_cnn.pt"))
    save_file({"logits": logits.contiguous(), "predictions": logits.argmax(1)},
              os.path.join(OUT, "digits_cnn_expected.safetensors"), metadata={"torch": torch.__version__,
                                                                              "accuracy": repr(acc)})
    print(f"trained the digits CNN in PyTorch: accuracy {acc:.4f} on its training data")


if __name__ == "__main__":
    main()

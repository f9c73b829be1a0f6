#!/usr/bin/env python3
"""Writes the consumer example's PyTorch files (run through tools/parity/run.sh, or with any PyTorch >= 1.6):
  model.pt   torch.save(model.state_dict()) of nn.Sequential(Linear(4, 8), ReLU(), Linear(8, 3)), seed 0:
             keys 0.weight, 0.bias, 2.weight, 2.bias, as a user's training script would write it;
  golden.pt  {"input": x (5, 4), "output": model(x) (5, 3)}, float32, what src/main/java/.../Inference.java
             must reproduce.
Usage: make_model.py [DIR] (default: this script's folder)."""
import os
import sys

import torch
from torch import nn

out = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
torch.manual_seed(0)
model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Linear(8, 3)).eval()
x = torch.randn(5, 4)
with torch.no_grad():
    y = model(x)
torch.save(model.state_dict(), os.path.join(out, "model.pt"))
torch.save({"input": x, "output": y}, os.path.join(out, "golden.pt"))
print("wrote model.pt and golden.pt to", out, "output[0] =", y[0].tolist())

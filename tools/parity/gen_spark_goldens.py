"""Goldens for jtorch-spark's tests: a small classifier's state dict saved by PyTorch both ways (torch.save .pt
and safetensors), with inputs and PyTorch's outputs (logits, argmax, softmax). Run with PyTorch 1.13:
  PYTHONPATH=/tmp/pyst /usr/bin/python3 tools/parity/gen_spark_goldens.py"""
import os

import torch
import torch.nn as nn
from safetensors.torch import save_file

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "spark", "src", "test", "resources", "goldens")


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(15)
    # the same architecture as dev.jtorch.spark.TestModels.Mlp: Linear(8, 16), Tanh, Linear(16, 3)
    model = nn.Sequential(nn.Linear(8, 16), nn.Tanh(), nn.Linear(16, 3)).eval()
    sd = model.state_dict()
    torch.save(sd, os.path.join(OUT, "mlp.pt"))
    save_file({k: v.contiguous() for k, v in sd.items()}, os.path.join(OUT, "mlp.safetensors"),
              metadata={"format": "pt"})
    x = torch.randn(37, 8)
    with torch.no_grad():
        y = model(x)
    save_file({"x": x, "logits": y, "argmax": y.argmax(1), "probabilities": y.softmax(1)},
              os.path.join(OUT, "mlp_io.safetensors"))


if __name__ == "__main__":
    main()

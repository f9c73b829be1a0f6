#!/usr/bin/env bash
# Regenerates the PyTorch goldens and checks the files jtorch wrote, with Debian's PyTorch.
#   bash tools/parity/run.sh            # engine goldens + interchange check
# Needs: apt-get install -y python3-torch (PyTorch 1.13 for /usr/bin/python3) and the safetensors package
# (pip install safetensors, or a wheel: this script unpacks /opt/pypi/files/safetensors-*.whl when present).
set -euo pipefail
cd "$(dirname "$0")/../.."
PY=/usr/bin/python3
if ! $PY -c "import torch" 2>/dev/null; then
  echo "PyTorch missing for $PY: run apt-get install -y python3-torch" >&2; exit 1
fi
if ! $PY -c "import safetensors.torch" 2>/dev/null; then
  whl=$(ls /opt/pypi/files/safetensors-*.whl 2>/dev/null | head -1 || true)
  if [ -n "$whl" ]; then
    dir=target/parity-python; mkdir -p "$dir"; (cd "$dir" && unzip -qo "$whl"); export PYTHONPATH="$PWD/$dir"
  else
    echo "the safetensors package is missing: pip install safetensors" >&2; exit 1
  fi
fi
$PY tools/parity/gen_engine_goldens.py engine/src/test/resources/goldens
$PY tools/parity/gen_sort_goldens.py engine/src/test/resources/goldens
$PY tools/parity/gen_sdpa_goldens.py engine/src/test/resources/goldens nn/src/test/resources/goldens
$PY tools/parity/gen_nn_goldens.py nn/src/test/resources/goldens
$PY tools/parity/gen_optim_goldens.py nn/src/test/resources/goldens
$PY tools/parity/gen_vision_goldens.py nn/src/test/resources/goldens
$PY tools/parity/gen_layer_extras.py nn/src/test/resources/goldens
$PY tools/parity/gen_fusion_goldens.py nn/src/test/resources/goldens
$PY tools/parity/gen_prune_goldens.py nn/src/test/resources/goldens
$PY tools/parity/gen_parametrize_goldens.py nn/src/test/resources/goldens
$PY tools/parity/gen_attention_goldens.py nn/src/test/resources/goldens
$PY tools/parity/gen_transformer_goldens.py nn/src/test/resources/goldens
$PY tools/parity/gen_edge_goldens.py nn/src/test/resources/goldens engine/src/test/resources/goldens
$PY tools/parity/train_digits_cnn.py examples/src/test/resources/goldens
$PY tools/parity/gen_checkpoints.py engine/src/test/resources/goldens/checkpoints
$PY examples/consumer/make_model.py examples/consumer
# jtorch writes a file from its own RNG and values; PyTorch reads it back and checks every tensor
./jtorch mvn -q -o test -pl engine -am -Dtest=InterchangeTest -Dsurefire.failIfNoSpecifiedTests=false
$PY tools/parity/check_jtorch_written.py engine/target/parity/jtorch_written.safetensors

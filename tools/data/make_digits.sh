#!/usr/bin/env bash
# Copies the CNN demo's data: the 8x8 handwritten digits (1,797 images of the UCI "Optical Recognition of
# Handwritten Digits" test set, E. Alpaydin and C. Kaynak, 1998; CC BY 4.0) as Debian's scikit-learn ships
# them (sklearn/datasets/data/digits.csv.gz: 64 pixels 0..16 and the label per line).
#   apt-get install -y python3-sklearn && bash tools/data/make_digits.sh
set -euo pipefail
src=/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz
out="$(dirname "$0")/../../examples/src/main/resources/dev/jtorch/examples/digits.csv.gz"
cp "$src" "$out"
zcat "$out" | awk -F, 'NF != 65 { bad++ } END { print NR " rows, " (bad + 0) " malformed" }'

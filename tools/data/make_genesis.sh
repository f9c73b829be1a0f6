#!/usr/bin/env bash
# Writes the char-LM demo's training text: the Book of Genesis, King James Version (1611; public domain),
# from Debian's bible-kjv packages, verse references stripped.
#   apt-get install -y bible-kjv && bash tools/data/make_genesis.sh
set -euo pipefail
out="$(dirname "$0")/../../examples/src/main/resources/dev/jtorch/examples/genesis-kjv.txt"
bible -f "Gen1:1-Gen50:26" | sed -E 's/^Ge[0-9]+:[0-9]+ //' | fold -s -w 100 | sed 's/ *$//' > "$out"
wc -c "$out"

#!/usr/bin/env bash
# The dependency test: installs jtorch into the local Maven repository, then builds this folder's project as a
# user's project would be built (its own pom, jtorch-nn through the jtorch-bom import, nothing from the
# reactor) and runs its Inference program on the class path and on the module path. Inference loads the
# PyTorch state dict model.pt, runs it and compares with PyTorch's output (golden.pt); this script also
# checks what each run printed (also a run without --add-modules: the scalar kernels, same result). Non-zero
# exit on any failure. CI runs it after ./jtorch test (.ci/run).
#
#   ./jtorch consumer [MAVEN ARGS]   e.g. ./jtorch consumer -Dmaven.repo.local=/tmp/m2
# MAVEN ARGS go to both Maven runs (install and the consumer's package).
set -euo pipefail
if [ -z "${JTORCH_ROOT:-}" ]; then # run directly: go through ./jtorch, which finds a JDK 25
  exec "$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/jtorch" consumer "$@"
fi
root="$JTORCH_ROOT"
here="$root/examples/consumer"
cd "$root"
fail() { echo "consumer: FAIL: $*" >&2; exit 1; }

# The BOM must pin every artifact the build installs, at the build's version.
version=$(sed -n '/<artifactId>jtorch-parent<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q}' pom.xml)
bom_version=$(sed -n '/<artifactId>jtorch-bom<\/artifactId>/{n;s/.*<version>\(.*\)<\/version>.*/\1/p;q}' bom/pom.xml)
[ -n "$version" ] || fail "cannot read the project version from pom.xml"
[ "$bom_version" = "$version" ] || fail "bom/pom.xml has version $bom_version, the root pom $version"
for m in $(sed -n 's/^ *<module>\(.*\)<\/module>.*/\1/p' pom.xml); do
  [ "$m" = bom ] && continue
  a=$(sed -n '/<\/parent>/,$ {s/^ *<artifactId>\(.*\)<\/artifactId>.*/\1/p}' "$m/pom.xml" | head -1)
  grep -q "<artifactId>$a</artifactId>" bom/pom.xml || fail "module $m ($a) is missing from bom/pom.xml"
done

start=$SECONDS
./jtorch install -q "$@"
echo "consumer: installed jtorch $version ($((SECONDS - start)) s)"

start=$SECONDS
./jtorch mvn -q -f "$here/pom.xml" -Djtorch.version="$version" clean package "$@"
echo "consumer: built examples/consumer against the installed artifacts ($((SECONDS - start)) s)"

# The JVM flag jtorch needs: the Vector API is an incubator module (without it, the scalar kernels run).
# No --enable-native-access: nothing in jtorch's CPU path calls a restricted method (checked below).
jar="$here/target/jtorch-consumer-1.0.jar"
vector=(--add-modules jdk.incubator.vector)
run() { # run NAME MODULE-LINE KERNELS-PREFIX JAVA-ARGS...: runs Inference and checks what it printed
  local name="$1" module="$2" kernels="$3" out
  shift 3
  echo "consumer: $name: java $*"
  if ! out=$(java "$@" "$here" 2>&1); then
    echo "$out"; fail "$name: Inference exited with an error"
  fi
  echo "$out" | sed 's/^/  /'
  grep -qx "OK" <<<"$out" || fail "$name: no OK line"
  grep -qx "module: $module" <<<"$out" || fail "$name: expected 'module: $module'"
  grep -q "^kernels: $kernels" <<<"$out" || fail "$name: expected 'kernels: $kernels...'"
  if grep -qi "restricted method" <<<"$out"; then fail "$name: a restricted-method warning"; fi
}
start=$SECONDS
run "class path" "unnamed (class path)" "Vector API" "${vector[@]}" \
  -cp "$jar:$here/target/lib/*" com.example.consumer.Inference
run "module path" "com.example.consumer (module path)" "Vector API" "${vector[@]}" \
  -p "$jar:$here/target/lib" -m com.example.consumer/com.example.consumer.Inference
run "module path, no flag" "com.example.consumer (module path)" "scalar" \
  -p "$jar:$here/target/lib" -m com.example.consumer/com.example.consumer.Inference
echo "consumer: OK on the class path and on the module path, and without the flag ($((SECONDS - start)) s)"

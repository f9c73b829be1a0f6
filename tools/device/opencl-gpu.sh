#!/usr/bin/env bash
# The OpenCL backend on the GPU machine (../shared/device/README.md): the report of `./jtorch bench opencl` with
# the GPU shapes, and the device suites (every op golden, the gradcheck suite, every registry module, the
# recurrent configurations, the char-LSTM training) on opencl:0, the GPU.
#
#   here:   bash tools/device/opencl-gpu.sh prepare     builds and fills .device/bundle.tgz (runtime, jars, test
#                                                       jars, JUnit; about 40 MB, under the carry's 64 MB)
#   there:  the device tool's run with carry [".device"] and the command
#           bash tools/device/opencl-gpu.sh run
#           which writes opencl.md, opencl.svg, opencl.json, suites.txt and log under $OUT
#           (copy the report files into docs/benchmarks/ here afterwards).
# `run` also works here, on PoCL, to check the script before spending device time (OUT=/tmp/x).
set -euo pipefail
root=$(git rev-parse --show-toplevel 2>/dev/null || pwd)
cd "$root"
junit=org/junit/platform/junit-platform-console-standalone/1.14.4/junit-platform-console-standalone-1.14.4.jar
case "${1:-}" in
  prepare)
    ./jtorch mvn -q -DskipTests package -pl jmh,examples -am
    ../shared/device/make-jre.sh jdk.zipfs   # JUnit scans the test jars through the zip file system
    rm -rf .device/lib .device/test .device/jmh-classes
    mkdir -p .device/lib .device/test
    # the benchmark's class path without the CPU-only peers (OpenBLAS, EJML: 30 MB the run does not use)
    for j in jmh/target/lib/*.jar; do
      case "$(basename "$j")" in openblas-*|javacpp-*|ejml-*) ;; *) cp "$j" .device/lib/ ;; esac
    done
    cp -r jmh/target/classes .device/jmh-classes
    cp engine/target/jtorch-engine-*-tests.jar nn/target/jtorch-nn-*-tests.jar .device/test/
    if [ ! -f "$HOME/.m2/repository/$junit" ]; then
      ./mvnw -q -B dependency:get -Dartifact=org.junit.platform:junit-platform-console-standalone:1.14.4
    fi
    cp "$HOME/.m2/repository/$junit" .device/junit.jar
    # the runtime's libjvm.so alone is 29 MB: everything goes into one gzip'd tar to stay under the carry limit
    tar czf /tmp/jtorch-device.tgz -C .device gpu-env.sh jre lib test jmh-classes junit.jar
    rm -rf .device/jre .device/lib .device/test .device/jmh-classes .device/junit.jar
    mv /tmp/jtorch-device.tgz .device/bundle.tgz
    du -sh .device
    ;;
  run)
    out=${OUT:-/tmp/opencl-gpu-out}
    mkdir -p "$out"
    [ -f .device/bundle.tgz ] && tar xzf .device/bundle.tgz -C .device
    # gpu-env.sh is not written for set -e (its grep finds no NVIDIA library on a machine without one)
    set +eo pipefail
    [ -f .device/gpu-env.sh ] && source .device/gpu-env.sh
    set -eo pipefail
    flags=(--add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED)
    {
      echo "== device suites on opencl:0"
      tests=$(ls .device/test/*.jar | tr '\n' ':')
      java "${flags[@]}" -Djtorch.test.device=opencl:0 -Xss4m -jar .device/junit.jar execute \
        --class-path "$tests$(ls .device/lib/*.jar | tr '\n' ':')" \
        --scan-class-path "${tests%:}" --include-tag device --details summary --disable-banner \
        > "$out/suites.txt" 2>&1 || true
      tail -25 "$out/suites.txt"
      echo "== report"
      java "${flags[@]}" -cp ".device/jmh-classes:.device/lib/*" dev.jtorch.bench.OpenClReport "${@:2}"
      cp docs/benchmarks/opencl.md docs/benchmarks/opencl.svg docs/benchmarks/opencl.json "$out/"
    } 2>&1 | tee "$out/log" | grep -v "^# \|^Iteration\|^# Warmup"
    ;;
  *)
    echo "usage: $0 prepare | run [OpenClReport options]" >&2
    exit 2
    ;;
esac

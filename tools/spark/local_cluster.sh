#!/usr/bin/env bash
# The cluster path without a cluster: spark-submit (org.apache.spark.deploy.SparkSubmit) runs ./jtorch
# spark-demo on Spark's local-cluster master, which starts a standalone master, two workers and one executor JVM
# per worker, as separate processes launched the way a real cluster launches them. The jtorch side arrives as
# on a cluster: the shaded jtorch-spark-VERSION-all.jar and the examples jar through --jars, the demo as the
# application jar. Spark's own jars come from Maven Central (~/.m2) through a SPARK_HOME of links, since no
# Spark distribution is installed here. Usage: tools/spark/local_cluster.sh [spark-demo options...]
# (docs/spark.md shows the executor command line this prints, with Spark's --add-modules=jdk.incubator.vector).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$root"
./jtorch mvn -q -DskipTests -pl spark,spark-demo -am package
home="$root/spark-demo/target/spark-home"
rm -rf "$home"
mkdir -p "$home/jars"
echo "Spark 4.2.0: links to the Maven Central jars of spark-demo's class path" > "$home/RELEASE"
picocli=""
for j in $(tr ':' ' ' < spark-demo/target/classpath.txt); do
  case "$j" in
    */dev/jtorch/*) ;;                       # jtorch goes through --jars, as on a cluster
    */info/picocli/*) picocli="$j" ;;        # the demo's command line parser: the driver's alone
    *) ln -sf "$j" "$home/jars/" ;;
  esac
done
java_home=""
for c in /usr/lib/jvm/*; do
  if [ -x "$c/bin/java" ] && "$c/bin/java" -version 2>&1 | grep -q 'version "2[5-9]'; then java_home="$c"; fi
done
export JAVA_HOME="${JAVA_HOME_25:-$java_home}" SPARK_HOME="$home" SPARK_SCALA_VERSION=2.13
all=$(ls spark/target/jtorch-spark-*-all.jar | head -1)
examples=$(ls examples/target/jtorch-examples-*.jar | head -1)
app=$(ls spark-demo/target/jtorch-spark-demo-*.jar | head -1)
master="local-cluster[2,1,1536]"
set -x
"$JAVA_HOME/bin/java" -XX:+IgnoreUnrecognizedVMOptions --add-modules=jdk.incubator.vector \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED \
  --add-opens=java.base/java.lang.reflect=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.net=ALL-UNNAMED --add-opens=java.base/java.nio=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
  --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED --add-opens=java.base/sun.nio.cs=ALL-UNNAMED \
  --add-opens=java.base/sun.util.calendar=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -cp "$home/jars/*:$picocli" org.apache.spark.deploy.SparkSubmit \
  --master "$master" --conf spark.driver.host=127.0.0.1 \
  --conf spark.executor.extraJavaOptions=-Djtorch.kernels.threads=1 \
  --jars "$all,$examples,$picocli" --class dev.jtorch.spark.demo.SparkDemo "$app" \
  --master "$master" --progress lines "$@"
set +x
echo "executor command line (worker 0):"
grep -h "Spark Executor Command" "$home"/work/*/0/stderr | head -1

package dev.jtorch.spark.demo;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.Module;
import dev.jtorch.spark.JtorchModel;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.sum;

/**
 * The scaling figure of docs/spark.md ({@code ./jtorch spark-demo --scaling}): one operation scores every verse
 * of Genesis twice over (2,950 rows in 16 slices) with the character model, 32 verses per forward, one jtorch
 * kernel thread per task. {@code spark}: through JtorchModel on local[1] and local[2] (a fresh session per
 * fork, the encoded verses cached); {@code noSpark}: the same forwards in the benchmark's thread, the verses
 * grouped by length over the whole book ({@code book}: full batches) or within the same 16 slices as Spark's
 * partitions ({@code slices}). The checkpoint and batch come from {@code -Djtorch.spark.checkpoint} and
 * {@code -Djtorch.spark.batch}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class ScoringBench {
    static final int COPIES = 2;
    static final int SLICES = 16;

    static SparkDemo.Chars chars() throws IOException {
        return SparkDemo.readChars(Path.of(System.getProperty("jtorch.spark.checkpoint",
                "target/demo/charlm.safetensors")));
    }

    static int batch() {
        return Integer.getInteger("jtorch.spark.batch", 32);
    }

    /** A local Spark session, the cached verses and the transformer. */
    @State(Scope.Benchmark)
    public static class OnSpark {
        /** Spark's master. */
        @Param({"local[1]", "local[2]"})
        public String master;
        SparkSession spark;
        Dataset<Row> verses;
        JtorchModel model;

        /** Starts Spark and caches the encoded verses. */
        @Setup(Level.Trial)
        public void setUp() throws IOException {
            SparkDemo.Chars c = chars();
            spark = SparkDemo.session(master);
            verses = SparkDemo.verseFrame(spark, c.vocab(), COPIES, SLICES).cache();
            verses.count();
            model = SparkDemo.scorer(c, batch());
        }

        /** Stops Spark. */
        @TearDown(Level.Trial)
        public void tearDown() {
            spark.stop();
        }
    }

    /** The model and the verses' batches, without Spark. */
    @State(Scope.Benchmark)
    public static class NoSpark {
        /** How the verses are grouped into batches. */
        @Param({"book", "slices"})
        public String grouping;
        Module model;
        List<Tensor> batches;

        /** Builds the batches. */
        @Setup(Level.Trial)
        public void setUp() throws IOException {
            SparkDemo.Chars c = chars();
            model = c.stateDict().loadInto(c.factory());
            model.eval();
            List<String> texts = new ArrayList<>();
            for (int k = 0; k < COPIES; k++) {
                texts.addAll(SparkDemo.verseTexts());
            }
            List<List<String>> slices = new ArrayList<>();
            int n = grouping.equals("book") ? 1 : SLICES;
            for (int i = 0; i < n; i++) {
                slices.add(texts.subList(i * texts.size() / n, (i + 1) * texts.size() / n));
            }
            batches = new ArrayList<>();
            for (List<String> slice : slices) {
                Map<Integer, List<float[]>> byLength = new TreeMap<>();
                for (String t : slice) {
                    byLength.computeIfAbsent(SparkDemo.padded(t), _ -> new ArrayList<>()).add(SparkDemo.ids(t,
                            c.vocab()));
                }
                for (Map.Entry<Integer, List<float[]>> e : byLength.entrySet()) {
                    List<float[]> g = e.getValue();
                    for (int s = 0; s < g.size(); s += batch()) {
                        int b = Math.min(batch(), g.size() - s);
                        float[] flat = new float[b * e.getKey()];
                        for (int r = 0; r < b; r++) {
                            System.arraycopy(g.get(s + r), 0, flat, r * e.getKey(), e.getKey());
                        }
                        batches.add(Torch.tensor(flat, b, e.getKey()));
                    }
                }
            }
        }
    }

    /** One pass through JtorchModel; the sum makes every forward run. */
    @Benchmark
    public Row spark(OnSpark s) {
        return s.model.transform(s.verses).agg(sum(col("nll").getItem(0))).first();
    }

    /** One pass of the same forwards without Spark. */
    @Benchmark
    public double noSpark(NoSpark s) {
        double acc = 0;
        try (var _ = Autograd.noGrad()) {
            for (Tensor x : s.batches) {
                acc += s.model.call(x).select(1, 0).sum().item();
            }
        }
        return acc;
    }

    /** The rows one operation scores. */
    static int rows() throws IOException {
        return COPIES * SparkDemo.verseTexts().size();
    }
}

package dev.jtorch.spark;

import dev.jtorch.DType;
import dev.jtorch.Generator;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.Parameter;
import dev.jtorch.nn.functional.F;
import dev.jtorch.optim.Adam;
import dev.jtorch.optim.Optimizer;
import dev.jtorch.optim.SGD;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Data-parallel training against single-JVM training on the same batches (the generator of the expected
 * parameters), in float64: synchronous SGD and Adam, model averaging, a retried task, and bad rows.
 */
class TrainerTest {
    static SparkSession spark;
    static Dataset<Row> data;
    /** Each partition's rows, as Spark holds them. */
    static List<List<Row>> partitions;
    static StateDict initial;
    static final int BATCH = 8;

    @BeforeAll
    static void setUp() {
        spark = LocalSpark.get();
        Generator g = new Generator(15);
        int n = 61;
        Tensor xs = Torch.randn(g, DType.FLOAT64, n, 8);
        double[] x = xs.to(DType.FLOAT64).toDoubleArray();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Double[] f = new Double[8];
            double s = 0;
            for (int j = 0; j < 8; j++) {
                f[j] = x[i * 8 + j];
                s += f[j] * (j % 3 - 1);
            }
            rows.add(RowFactory.create(f, s > 0.5 ? 2 : s < -0.5 ? 0 : 1));
        }
        StructType schema = new StructType().add("f", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("label", DataTypes.IntegerType);
        // three partitions of unequal sizes (20, 20, 21): the last steps see fewer rows
        data = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(rows, 3),
                schema);
        partitions = data.javaRDD().glom().collect();
        Torch.manualSeed(3);
        initial = StateDict.of(new TestModels.Mlp64().get());
    }

    static ModelFactory mlp64() {
        return () -> new TestModels.Mlp64().get();
    }

    /** One JVM: step s trains on the concatenation of every partition's rows [s * BATCH, (s + 1) * BATCH). */
    static Module singleJvm(Function<List<Parameter>, Optimizer> optimizer, int epochs) {
        Module m = initial.loadInto(mlp64());
        m.train();
        Optimizer opt = optimizer.apply(m.parameters());
        int largest = partitions.stream().mapToInt(List::size).max().orElseThrow();
        for (int e = 0; e < epochs; e++) {
            for (int s = 0; s * BATCH < largest; s++) {
                List<Row> batch = new ArrayList<>();
                for (List<Row> p : partitions) {
                    batch.addAll(p.subList(Math.min(p.size(), s * BATCH), Math.min(p.size(), (s + 1) * BATCH)));
                }
                opt.zeroGrad();
                F.crossEntropy(m.call(features(batch)), labels(batch)).backward();
                opt.step();
            }
        }
        return m;
    }

    static double maxDiff(Module a, Module b) {
        double d = 0;
        List<Parameter> pa = a.parameters();
        List<Parameter> pb = b.parameters();
        for (int i = 0; i < pa.size(); i++) {
            double[] x = pa.get(i).detach().toDoubleArray();
            double[] y = pb.get(i).detach().toDoubleArray();
            for (int j = 0; j < x.length; j++) {
                d = Math.max(d, Math.abs(x[j] - y[j]));
            }
        }
        return d;
    }

    SparkTrainer trainer() {
        return SparkTrainer.of(mlp64()).featuresCol("f").labelCol("label").inputShape(8).batchSize(BATCH)
                .initialState(initial);
    }

    @Test
    void syncSgdOverThreePartitionsEqualsOneJvmOnTheConcatenatedData() {
        assertEquals(3, partitions.size());
        assertTrue(partitions.get(2).size() != partitions.get(0).size(), "partitions of unequal sizes");
        SparkTrainer.Result r = trainer().optimizer(OptimizerFactory.sgd(0.1)).epochs(2).fit(data);
        assertEquals(6, r.losses().length, "3 steps per epoch (21 rows in the largest partition)");
        assertEquals(61, r.rows());
        Module one = singleJvm(p -> new SGD(p, 0.1), 2);
        double d = maxDiff(r.model(), one);
        assertTrue(d < 1e-13, "parameters differ by " + d);
        assertTrue(maxDiff(r.model(), initial.loadInto(mlp64())) > 1e-3, "training moved the parameters");
    }

    @Test
    void syncAdamEqualsOneJvm() {
        SparkTrainer.Result r = trainer().optimizer(OptimizerFactory.adam(0.01)).epochs(2).fit(data);
        double d = maxDiff(r.model(), singleJvm(p -> new Adam(p, 0.01), 2));
        assertTrue(d < 1e-12, "parameters differ by " + d);
    }

    @Test
    void modelAveragingWithOneLocalSgdStepIsSyncSgd() {
        SparkTrainer.Result avg = trainer().optimizer(OptimizerFactory.sgd(0.1)).modelAveraging(1).fit(data);
        double d = maxDiff(avg.model(), singleJvm(p -> new SGD(p, 0.1), 1));
        assertTrue(d < 1e-13, "parameters differ by " + d);
        SparkTrainer.Result local = trainer().optimizer(OptimizerFactory.sgd(0.2)).modelAveraging(3).epochs(8)
                .fit(data);
        assertEquals(8, local.losses().length, "one round of 3 local steps per epoch");
        assertTrue(local.losses()[7] < 0.8 * local.losses()[0], java.util.Arrays.toString(local.losses()));
    }

    static final AtomicInteger CALLS = new AtomicInteger();
    static final AtomicInteger FAILED = new AtomicInteger();

    @Test
    void aRetriedTaskIsCountedOnce() {
        CALLS.set(0);
        FAILED.set(0);
        // partition 1's task of step 1 fails on its first attempt after its gradients are computed (a completion
        // listener throws once the task's work is done): Spark runs it again, and the step must count it once
        LossFunction flaky = (out, y) -> {
            TaskContext tc = TaskContext.get();
            if (tc.partitionId() == 1 && tc.attemptNumber() == 0 && CALLS.incrementAndGet() == 2) {
                tc.addTaskCompletionListener((org.apache.spark.util.TaskCompletionListener) ctx -> {
                    FAILED.incrementAndGet();
                    throw new IllegalStateException("injected failure after the gradients");
                });
            }
            return F.crossEntropy(out, y);
        };
        SparkTrainer.Result r = trainer().optimizer(OptimizerFactory.sgd(0.1)).loss(flaky).epochs(1).fit(data);
        assertEquals(1, FAILED.get(), "one task failed after its work and was retried");
        double d = maxDiff(r.model(), singleJvm(p -> new SGD(p, 0.1), 1));
        assertTrue(d < 1e-13, "parameters differ by " + d);
    }

    /** Linear(8, 6), BatchNorm1d(6), ReLU, Linear(6, 3) in float64: running statistics and a scalar buffer. */
    static ModelFactory bn64() {
        return () -> new dev.jtorch.nn.Sequential(new dev.jtorch.nn.Linear(8, 6), new dev.jtorch.nn.BatchNorm1d(6),
                new dev.jtorch.nn.ReLU(), new dev.jtorch.nn.Linear(6, 3)).to(DType.FLOAT64);
    }

    static double maxStateDiff(Module a, Module b) {
        double d = 0;
        for (var e : a.stateDict().entrySet()) {
            double[] x = e.getValue().detach().to(DType.FLOAT64).toDoubleArray();
            double[] y = b.stateDict().get(e.getKey()).detach().to(DType.FLOAT64).toDoubleArray();
            for (int j = 0; j < x.length; j++) {
                d = Math.max(d, Math.abs(x[j] - y[j]));
            }
        }
        return d;
    }

    @Test
    void batchNormBuffersOnOnePartitionEqualOneJvmAndAreAveragedOverMany() {
        Torch.manualSeed(5);
        StateDict init = StateDict.of(bn64().create());
        Dataset<Row> one = data.coalesce(1);
        SparkTrainer.Result r = SparkTrainer.of(bn64()).featuresCol("f").inputShape(8).batchSize(16)
                .initialState(init).optimizer(OptimizerFactory.sgd(0.1)).fit(one);
        Module m = init.loadInto(bn64());
        m.train();
        SGD sgd = new SGD(m.parameters(), 0.1);
        List<Row> rows = one.javaRDD().glom().collect().get(0);
        for (int s = 0; s * 16 < rows.size(); s++) {
            List<Row> batch = rows.subList(s * 16, Math.min(rows.size(), (s + 1) * 16));
            sgd.zeroGrad();
            F.crossEntropy(m.call(features(batch)), labels(batch)).backward();
            sgd.step();
        }
        double d = maxStateDiff(r.model(), m);
        assertTrue(d < 1e-13, "state differs by " + d);
        assertEquals(4, r.model().stateDict().get("1.num_batches_tracked").item(), "num_batches_tracked: 4 steps");
        // three partitions, one full-shard step: running_mean is the rows-weighted mean of the partitions'
        // updates, which is one JVM's update over all rows; running_var the weighted mean of theirs
        SparkTrainer.Result three = SparkTrainer.of(bn64()).featuresCol("f").inputShape(8).batchSize(1000)
                .initialState(init).fit(data);
        assertEquals(1, three.model().stateDict().get("1.num_batches_tracked").item(), "1 step on 3 partitions");
        Module first = init.loadInto(bn64());
        Tensor lin = Torch.tensor(new double[0], 0, 6);
        double[] varSum = new double[6];
        for (List<Row> p : partitions) {
            Tensor h = first.child("0").call(features(p)).detach();
            lin = Torch.cat(new Tensor[] {lin, h}, 0);
            double[] v = h.var(new int[] {0}, 1, false).toDoubleArray(); // unbiased, as BatchNorm's running_var
            for (int j = 0; j < 6; j++) {
                varSum[j] += v[j] * p.size();
            }
        }
        double[] mean = lin.mean(0, false).toDoubleArray();
        double[] rm = three.model().stateDict().get("1.running_mean").toDoubleArray();
        double[] rv = three.model().stateDict().get("1.running_var").toDoubleArray();
        for (int j = 0; j < 6; j++) {
            assertEquals(0.1 * mean[j], rm[j], 1e-14, "running_mean " + j);
            assertEquals(0.9 + 0.1 * varSum[j] / lin.size(0), rv[j], 1e-14, "running_var " + j);
        }
    }

    /** The labels of rows (the second column), int64. */
    static Tensor labels(List<Row> rows) {
        long[] y = new long[rows.size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = rows.get(i).getInt(1);
        }
        return Torch.tensor(y, y.length);
    }

    /** The features of rows (the first column, 8 doubles each), (n, 8) float64. */
    static Tensor features(List<Row> rows) {
        double[] x = new double[rows.size() * 8];
        for (int i = 0; i < rows.size(); i++) {
            List<Object> f = rows.get(i).getList(0);
            for (int j = 0; j < 8; j++) {
                x[i * 8 + j] = (Double) f.get(j);
            }
        }
        return Torch.tensor(x, rows.size(), 8);
    }

    @Test
    void fullShardGradientsAndDoubleLabels() {
        // Spark ML's double labels are classes for the default cross entropy; batchSize beyond the largest
        // partition gives one full-shard step per epoch (no int overflow)
        Dataset<Row> dbl = data.withColumn("label", data.col("label").cast("double"));
        SparkTrainer.Result r = SparkTrainer.of(mlp64()).featuresCol("f").inputShape(8).batchSize(Integer.MAX_VALUE)
                .initialState(initial).optimizer(OptimizerFactory.sgd(0.1)).epochs(2).fit(dbl);
        assertEquals(2, r.losses().length);
        Module m = initial.loadInto(mlp64());
        SGD sgd = new SGD(m.parameters(), 0.1);
        List<Row> all = new ArrayList<>();
        partitions.forEach(all::addAll);
        for (int e = 0; e < 2; e++) {
            sgd.zeroGrad();
            F.crossEntropy(m.call(features(all)), labels(all)).backward();
            sgd.step();
        }
        double d = maxDiff(r.model(), m);
        assertTrue(d < 1e-13, "parameters differ by " + d);
        // a cross entropy of the user's own: classLabels(true) says the double column holds classes
        SparkTrainer.Result own = SparkTrainer.of(mlp64()).featuresCol("f").inputShape(8).batchSize(Integer.MAX_VALUE)
                .initialState(initial).optimizer(OptimizerFactory.sgd(0.1)).epochs(2).classLabels(true)
                .loss((out, t) -> F.crossEntropy(out, t)).fit(dbl);
        assertTrue(maxDiff(own.model(), m) < 1e-13);
        Dataset<Row> half = data.withColumn("label", data.col("label").cast("double").plus(0.5));
        String msg = InferenceTest.causes(assertThrows(Exception.class, () -> trainer().fit(half)));
        assertTrue(msg.contains("label column 'label' holds 0.5; a class index (an integer) was expected")
                || msg.contains("holds 1.5") || msg.contains("holds 2.5"), msg);
    }

    @Test
    void aNaNStopsTheRunNamingTheStep() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Double[] f = new Double[8];
            java.util.Arrays.fill(f, i == 9 ? Double.NaN : 0.1 * i);
            rows.add(RowFactory.create(f, i % 3));
        }
        StructType schema = new StructType().add("f", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("label", DataTypes.IntegerType);
        Dataset<Row> nan = spark.createDataFrame(rows, schema).coalesce(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> trainer().batchSize(4).fit(nan));
        assertTrue(e.getMessage().startsWith("epoch 0, step 2: the loss summed over 4 rows"), e.getMessage());
        IllegalStateException avg = assertThrows(IllegalStateException.class, () -> trainer().batchSize(4)
                .modelAveraging(2).fit(nan));
        assertTrue(avg.getMessage().startsWith("epoch 0, round 1: the loss summed over 4 rows"), avg.getMessage());
        IllegalStateException diverged = assertThrows(IllegalStateException.class, () -> trainer()
                .optimizer(OptimizerFactory.sgd(1e308)).fit(data));
        assertTrue(diverged.getMessage().contains("is not finite"), diverged.getMessage());
    }

    @Test
    void aTrainingRowOfTheWrongShapeIsNamed() {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            Double[] f = new Double[i == 4 ? 9 : 8];
            java.util.Arrays.fill(f, 0.25);
            rows.add(RowFactory.create(f, 1));
        }
        StructType schema = new StructType().add("f", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("label", DataTypes.IntegerType);
        Dataset<Row> bad = spark.createDataFrame(rows, schema).coalesce(1);
        Exception e = assertThrows(Exception.class, () -> trainer().fit(bad));
        String msg = InferenceTest.causes(e);
        assertTrue(msg.contains("row 4 of partition 0: column 'f' holds 9 values; expected 8 for the input shape [8]"),
                msg);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> trainer().labelCol("f").featuresCol("label")
                .fit(data)).getMessage().contains("must hold arrays of numbers"));
    }
}

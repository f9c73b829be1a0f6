package dev.jtorch.spark;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.Parameter;
import dev.jtorch.optim.Optimizer;

import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Data-parallel training of a jtorch model on a Spark {@code Dataset}, synchronous: each step the driver
 * broadcasts the parameters (and buffers) as safetensors, every partition computes the gradient of its part of
 * the step's batch, {@code treeAggregate} sums them, and the optimizer steps on the driver. The step's batch is
 * rows {@code [s * batchSize, (s + 1) * batchSize)} of every partition (in stored order, or a per-epoch
 * permutation with {@link #shuffle}), so a step sees up to {@code batchSize} rows per partition, like
 * PyTorch's DistributedDataParallel with a per-process batch; an epoch is as many steps as the largest
 * partition needs. The gradient is the mean over all of the step's rows, exactly as one JVM would compute on
 * their concatenation (up to the order of float64 sums).
 *
 * <p>With {@link #modelAveraging(int)}, each partition instead takes {@code localSteps} optimizer steps on its
 * own from the broadcast state, and the driver averages the resulting parameters, weighted by rows. Each round
 * starts a fresh optimizer on every partition: Adam's moments and SGD's momentum last {@code localSteps} steps.
 *
 * <p>Partition results come back only through {@code treeAggregate}'s return value, never through
 * accumulators: a task Spark retries is counted once. BatchNorm running statistics are averaged over the
 * partitions, weighted by rows (as DistributedDataParallel without SyncBatchNorm: each partition normalises
 * with its own batch statistics). Dropout draws from each executor's global generator, so a retried task may
 * draw other masks.
 *
 * <p>Args (setters, with defaults): {@code featuresCol} ("features": arrays of numbers or ml Vectors),
 * {@code labelCol} ("label": an integer column gives int64 classes, a floating one targets (B), or classes
 * with the default cross entropy, as Spark ML's double labels are; an array column targets (B, width)), {@code inputShape} (none: a vector per row), {@code loss}
 * ({@link LossFunction#crossEntropy()}), {@code optimizer} ({@code OptimizerFactory.sgd(0.01)}),
 * {@code batchSize} (32, per partition and step), {@code epochs} (1), {@code shuffle} (false) and {@code seed}
 * (0), {@code modelAveraging} (0: synchronous gradients), {@code treeDepth} (2), {@code initialState} (none:
 * the factory's initialisation), {@code onStep} (none).
 *
 * <p>Example:
 * <pre>{@code
 * SparkTrainer.Result r = SparkTrainer.of(DigitsNet::new)
 *         .featuresCol("pixels").inputShape(1, 8, 8).labelCol("digit")
 *         .optimizer(OptimizerFactory.adam(0.005)).batchSize(16).epochs(10)
 *         .fit(train);
 * Module trained = r.model();
 * }</pre>
 */
public final class SparkTrainer {
    /** Called on the driver after each step (or averaging round). */
    @FunctionalInterface
    public interface StepListener {
        /**
         * @param epoch the epoch, from 0
         * @param step the step within the epoch, from 0
         * @param steps the steps of an epoch
         * @param loss the mean loss over the step's rows
         * @param rows the rows of the step, over all partitions
         */
        void onStep(int epoch, int step, int steps, double loss, long rows);
    }

    /**
     * A finished training run.
     *
     * @param model the trained model, on the driver
     * @param losses each step's mean loss, in order
     * @param rows the rows trained on per epoch
     * @param partitions the partitions of the data
     */
    public record Result(Module model, double[] losses, long rows, int partitions) {
    }

    private final ModelFactory factory;
    private String featuresCol = "features";
    private String labelCol = "label";
    private int[] inputShape;
    private LossFunction loss = LossFunction.CROSS_ENTROPY;
    private OptimizerFactory optimizer = OptimizerFactory.sgd(0.01);
    private int batchSize = 32;
    private int epochs = 1;
    private boolean shuffle;
    private long seed;
    private int localSteps;
    private int treeDepth = 2;
    private StateDict initialState;
    private StepListener listener;
    private Boolean classLabels;

    private SparkTrainer(ModelFactory factory) {
        if (factory == null) {
            throw new IllegalArgumentException("a model factory was expected, got null");
        }
        this.factory = factory;
    }

    /** A trainer of the module {@code factory} builds. */
    public static SparkTrainer of(ModelFactory factory) {
        return new SparkTrainer(factory);
    }

    /** The features column (default "features"). */
    public SparkTrainer featuresCol(String col) {
        this.featuresCol = col;
        return this;
    }

    /** The label column (default "label"). */
    public SparkTrainer labelCol(String col) {
        this.labelCol = col;
        return this;
    }

    /** Each row's shape without the batch dimension (default: a vector per row). */
    public SparkTrainer inputShape(int... shape) {
        if (shape != null && shape.length > 0) {
            Values.numel(shape, "the input shape");
        }
        this.inputShape = shape == null || shape.length == 0 ? null : shape.clone();
        return this;
    }

    /** The loss (default cross entropy). */
    public SparkTrainer loss(LossFunction loss) {
        this.loss = require(loss, "loss function");
        return this;
    }

    /** The optimizer (default SGD at 0.01). */
    public SparkTrainer optimizer(OptimizerFactory optimizer) {
        this.optimizer = require(optimizer, "optimizer factory");
        return this;
    }

    /** Rows per partition and step (default 32); at least a partition's size gives full-shard gradients. */
    public SparkTrainer batchSize(int rows) {
        this.batchSize = atLeast(rows, 1, "batchSize");
        return this;
    }

    /** Passes over the data (default 1). */
    public SparkTrainer epochs(int n) {
        this.epochs = atLeast(n, 0, "epochs");
        return this;
    }

    /** Visits each partition's rows in a per-epoch permutation (default false: stored order). */
    public SparkTrainer shuffle(boolean shuffle) {
        this.shuffle = shuffle;
        return this;
    }

    /** The seed of the permutations (default 0). */
    public SparkTrainer seed(long seed) {
        this.seed = seed;
        return this;
    }

    /** Model averaging: {@code localSteps} local steps per round, then the mean (default 0: off). */
    public SparkTrainer modelAveraging(int localSteps) {
        this.localSteps = atLeast(localSteps, 0, "modelAveraging's localSteps");
        return this;
    }

    /** {@code treeAggregate}'s depth (default 2). */
    public SparkTrainer treeDepth(int depth) {
        this.treeDepth = atLeast(depth, 1, "treeDepth");
        return this;
    }

    /** Starts from this state dict instead of the factory's initialisation (checked on the driver). */
    public SparkTrainer initialState(StateDict sd) {
        this.initialState = sd;
        return this;
    }

    /**
     * Whether a floating label column holds class indices (int64 targets, each checked to be an integer) or
     * floating targets. Default (null): classes for an integer column, and for a floating one with the default
     * loss, {@link LossFunction#CROSS_ENTROPY} (Spark ML's double labels); targets otherwise.
     */
    public SparkTrainer classLabels(Boolean classes) {
        this.classLabels = classes;
        return this;
    }

    /** Called on the driver after each step. */
    public SparkTrainer onStep(StepListener l) {
        this.listener = l;
        return this;
    }

    /** Trains on {@code data}; returns the model (on the driver) and the step losses. */
    public Result fit(Dataset<?> data) {
        Module model = initialState != null ? initialState.loadInto(factory) : factory.create();
        if (model == null) {
            throw new IllegalArgumentException("the model factory returned null");
        }
        DType dt = Inference.modelDType(model);
        StructType schema = data.schema();
        int fi = Values.index(schema, featuresCol, "features");
        int li = Values.index(schema, labelCol, "label");
        Values.checkNumbers(schema.fields()[fi], "features");
        Shard.LabelKind kind = labelKind(schema.fields()[li].dataType());
        if (kind != Shard.LabelKind.ARRAY) {
            // Spark ML's classifiers take double labels (StringIndexer's output): classes for cross entropy
            boolean classes = classLabels != null ? classLabels
                    : kind == Shard.LabelKind.CLASS || loss == LossFunction.CROSS_ENTROPY;
            kind = classes ? Shard.LabelKind.CLASS : Shard.LabelKind.SCALAR;
        } else if (Boolean.TRUE.equals(classLabels)) {
            throw new IllegalArgumentException("classLabels(true) needs a numeric label column; '" + labelCol
                    + "' holds arrays");
        }
        checkSerializable(factory, "model factory");
        checkSerializable(loss, "loss function");
        checkSerializable(optimizer, "optimizer factory");
        String fc = featuresCol;
        String lc = labelCol;
        int[] shape = inputShape;
        boolean f64 = dt == DType.FLOAT64;
        JavaRDD<Row> rows = data.toDF().javaRDD();
        Shard.LabelKind labels = kind;
        JavaRDD<Shard> shards = rows.mapPartitionsWithIndex((p, it) -> List.of(
                Shard.read(p, it, fi, li, fc, lc, shape, labels, f64)).iterator(), true)
                .persist(StorageLevel.MEMORY_AND_DISK());
        try {
            List<int[]> info = shards.map(s -> s.shape == null ? new int[] {s.rows}
                    : concat(s.rows, s.shape)).collect();
            long total = 0;
            int largest = 0;
            int[] seen = null;
            for (int[] i : info) {
                total += i[0];
                largest = Math.max(largest, i[0]);
                if (i[0] > 0) {
                    int[] s = Arrays.copyOfRange(i, 1, i.length);
                    if (seen != null && !Arrays.equals(seen, s)) {
                        throw new IllegalArgumentException("the partitions' rows have different shapes, "
                                + Arrays.toString(seen) + " and " + Arrays.toString(s) + "; set inputShape");
                    }
                    seen = s;
                }
            }
            if (total == 0) {
                throw new IllegalArgumentException("the data has no rows to train on");
            }
            // largest >= 1 here; no int overflow for any batchSize or localSteps
            int steps = (largest - 1) / batchSize + 1;
            int rounds = localSteps > 0 ? (steps - 1) / localSteps + 1 : steps;
            if ((long) epochs * rounds > MAX_STEPS) {
                throw new IllegalArgumentException(epochs + " epochs of " + rounds + " steps are more than "
                        + MAX_STEPS + " steps");
            }
            JavaSparkContext jsc = JavaSparkContext.fromSparkContext(data.sparkSession().sparkContext());
            Optimizer opt = localSteps > 0 ? null : optimizer.create(model.parameters());
            String run = UUID.randomUUID().toString();
            double[] losses = new double[epochs * rounds];
            for (int e = 0; e < epochs; e++) {
                for (int r = 0; r < rounds; r++) {
                    Broadcast<byte[]> bc = jsc.broadcast(SafeTensors.serialize(model.stateDict(), Map.of()));
                    TrainStep step = new TrainStep(run, factory, bc, loss, optimizer, batchSize, e,
                            localSteps > 0 ? r * localSteps : r, Math.max(localSteps, 1), localSteps > 0, shuffle,
                            seed, dt);
                    TrainStep.Sums sums;
                    try {
                        sums = shards.treeAggregate(new TrainStep.Sums(), step::add, TrainStep.Sums::merge,
                                treeDepth);
                    } finally {
                        bc.destroy();
                    }
                    double l = sums.rows == 0 ? Double.NaN : sums.loss / sums.rows;
                    checkFinite(sums, e, r, localSteps > 0);
                    apply(model, opt, sums);
                    checkParameters(model, e, r, localSteps > 0);
                    losses[e * rounds + r] = l;
                    if (listener != null) {
                        listener.onStep(e, r, rounds, l, sums.rows);
                    }
                }
            }
            return new Result(model, losses, total, info.size());
        } finally {
            shards.unpersist(false);
        }
    }

    /** Steps of one fit at most (the step losses are kept). */
    static final long MAX_STEPS = 100_000_000L;

    /** A NaN or infinite loss, gradient or parameter stops the run, naming the step: never a silent NaN. */
    private static void checkFinite(TrainStep.Sums s, int epoch, int step, boolean averaging) {
        if (s.rows == 0) {
            return;
        }
        String what = !Double.isFinite(s.loss) ? "loss" : null;
        for (int i = 0; what == null && s.values != null && i < s.values.length; i++) {
            if (s.values[i] != null) {
                for (double v : s.values[i]) {
                    if (!Double.isFinite(v)) {
                        what = "parameter " + i + "'s " + (averaging ? "value" : "gradient");
                        break;
                    }
                }
            }
        }
        if (what != null) {
            throw new IllegalStateException("epoch " + epoch + ", " + (averaging ? "round " : "step ") + step
                    + ": the " + what + " summed over " + s.rows + " rows of " + s.partitions + " partitions is not "
                    + "finite (a NaN or infinity in the features or labels, or a diverging learning rate)");
        }
    }

    /** After the driver's update: the optimizer's step itself may overflow. */
    private static void checkParameters(Module model, int epoch, int step, boolean averaging) {
        List<Parameter> ps = model.parameters();
        for (int i = 0; i < ps.size(); i++) {
            Tensor p = ps.get(i).detach();
            if (p.dtype().isFloatingPoint() && !finite(p.to(DType.FLOAT64).contiguous().toDoubleArray())) {
                throw new IllegalStateException("epoch " + epoch + ", " + (averaging ? "round " : "step ") + step
                        + ": parameter " + i + " is not finite after the update (a diverging learning rate?)");
            }
        }
    }

    private static boolean finite(double[] v) {
        for (double x : v) {
            if (!Double.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    /** Java-serializes what the executors get, on the driver, so that a lambda capturing something that is not
     *  serializable fails here with its name rather than in the middle of a job. */
    private static void checkSerializable(Object o, String what) {
        try (java.io.ObjectOutputStream out = new java.io.ObjectOutputStream(java.io.OutputStream.nullOutputStream())) {
            out.writeObject(o);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("the " + what + " cannot be serialized for the executors: " + e, e);
        }
    }

    /** The driver's update: an optimizer step on the mean gradient, or the mean parameters. */
    private static void apply(Module model, Optimizer opt, TrainStep.Sums s) {
        if (s.rows == 0 || s.values == null) {
            return;
        }
        List<Parameter> ps = model.parameters();
        double inv = 1.0 / s.rows;
        try (var _ = Autograd.noGrad()) {
            for (int i = 0; i < ps.size(); i++) {
                Parameter p = ps.get(i);
                double[] v = s.values[i];
                if (opt != null) {
                    p.setGrad(v == null ? null : mean(v, inv, p));
                } else if (v != null) {
                    p.copy_(mean(v, inv, p));
                }
            }
            List<Tensor> bs = model.buffers();
            for (int i = 0; i < bs.size(); i++) {
                Tensor b = bs.get(i);
                if (s.buffers[i] != null) {
                    b.copy_(mean(s.buffers[i], inv, b));
                } else if (s.counts[i] != null) {
                    b.copy_(Torch.tensor(s.counts[i], s.counts[i].length).reshape(b.shape()).to(b.dtype()));
                }
            }
        }
        if (opt != null) {
            opt.step();
        }
    }

    private static Tensor mean(double[] sum, double inv, Tensor like) {
        double[] m = new double[sum.length];
        for (int j = 0; j < m.length; j++) {
            m[j] = sum[j] * inv;
        }
        return Torch.tensor(m, m.length).reshape(like.shape()).to(like.dtype());
    }

    private static Shard.LabelKind labelKind(DataType t) {
        if (t.equals(DataTypes.IntegerType) || t.equals(DataTypes.LongType) || t.equals(DataTypes.ShortType)
                || t.equals(DataTypes.ByteType)) {
            return Shard.LabelKind.CLASS;
        }
        if (t instanceof NumericType) {
            return Shard.LabelKind.SCALAR;
        }
        if (t instanceof ArrayType a && a.elementType() instanceof NumericType
                || t.equals(org.apache.spark.ml.linalg.SQLDataTypes.VectorType())) {
            return Shard.LabelKind.ARRAY;
        }
        throw new IllegalArgumentException("the label column must hold numbers (integers for classes) or arrays "
                + "of numbers; it holds " + t.simpleString());
    }

    private static int[] concat(int first, int[] rest) {
        int[] r = new int[rest.length + 1];
        r[0] = first;
        System.arraycopy(rest, 0, r, 1, rest.length);
        return r;
    }

    private static <T> T require(T v, String what) {
        if (v == null) {
            throw new IllegalArgumentException("a " + what + " was expected, got null");
        }
        return v;
    }

    private static int atLeast(int v, int min, String what) {
        if (v < min) {
            throw new IllegalArgumentException(what + " must be at least " + min + ", got " + v);
        }
        return v;
    }
}

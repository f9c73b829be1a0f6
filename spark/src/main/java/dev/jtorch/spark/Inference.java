package dev.jtorch.spark;

import dev.jtorch.DType;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.Parameter;

import org.apache.spark.SparkContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.io.Serializable;
import java.util.Arrays;

/**
 * Batch inference over a Spark {@code Dataset}, for users not on Spark ML ({@link JtorchModel} wraps this as a
 * Spark ML {@code Transformer}). The state dict is checked on the driver (built into the model, strictly) when
 * this object is made, broadcast once per Spark context at the first {@link #transform}, and each executor JVM
 * builds the model from it once and shares it read-only across its task threads (an eval-mode forward under
 * no-grad is thread-safe). Rows are stacked into batches of {@link #batchSize} for each forward; output rows
 * keep the input's columns and order, plus the output column.
 *
 * <p>Args:
 * <ul>
 *   <li>{@code factory}: builds the untrained module ({@link ModelFactory}).</li>
 *   <li>{@code stateDict}: its weights ({@link StateDict}, safetensors or {@code .pt}).</li>
 *   <li>{@code inputCol} (default "features"): arrays of numbers (float, double, int...) or ml Vectors.</li>
 *   <li>{@code outputCol} (default "output").</li>
 *   <li>{@code inputShape} (default none): each row's shape without the batch dimension, e.g. {1, 8, 8}; a row
 *       with another element count fails with its index and this shape. Without it (and without a shape
 *       column) each row is a vector of its own length.</li>
 *   <li>{@code shapeCol} (default none): a column of integer arrays giving each row's shape; rows of different
 *       shapes go into different batches.</li>
 *   <li>{@code batchSize} (default 64): rows per forward.</li>
 *   <li>{@code outputMode} (default {@link OutputMode#OUTPUT}): the output flattened, its argmax, or its
 *       softmax.</li>
 * </ul>
 *
 * <p>Shape: input rows of {@code inputShape} (or their shape column's) are stacked into (B, *inputShape) in the
 * model's dtype; the model must return (B, *) with the batch in dim 0; ARGMAX and PROBABILITIES need (B, C).
 *
 * <p>Example:
 * <pre>{@code
 * Inference inf = Inference.of(DigitsNet::new, StateDict.read("digits.safetensors"))
 *         .inputCol("pixels").inputShape(1, 8, 8).outputCol("digit").outputMode(OutputMode.ARGMAX);
 * Dataset<Row> scored = inf.transform(images);
 * }</pre>
 */
public final class Inference {
    private final Loaded loaded;
    private String inputCol = "features";
    private String outputCol = "output";
    private String shapeCol;
    private int[] inputShape;
    private int batchSize = 64;
    private OutputMode outputMode = OutputMode.OUTPUT;

    private Inference(Loaded loaded) {
        this.loaded = loaded;
    }

    /**
     * Inference with the module {@code factory} builds, loaded with {@code stateDict}. The driver builds the
     * model once here and loads the state dict strictly, so a state dict that does not fit fails now, before
     * any Spark job, with the loader's message.
     */
    public static Inference of(ModelFactory factory, StateDict stateDict) {
        if (factory == null || stateDict == null) {
            throw new IllegalArgumentException("a model factory and a state dict were expected, got "
                    + (factory == null ? "no factory" : "no state dict"));
        }
        return new Inference(new Loaded(new ModelSpec(factory, stateDict),
                modelDType(stateDict.loadInto(factory))));
    }

    /**
     * A copy of this configuration over the same checked model and broadcast: what a caller that changes the
     * columns per call (JtorchModel's params) configures, so that concurrent calls do not share settings.
     */
    public Inference copy() {
        Inference c = new Inference(loaded);
        c.inputCol = inputCol;
        c.outputCol = outputCol;
        c.shapeCol = shapeCol;
        c.inputShape = inputShape;
        c.batchSize = batchSize;
        c.outputMode = outputMode;
        return c;
    }

    /** The input column (default "features"). */
    public Inference inputCol(String col) {
        this.inputCol = requireName(col, "input");
        return this;
    }

    /** The output column (default "output"). */
    public Inference outputCol(String col) {
        this.outputCol = requireName(col, "output");
        return this;
    }

    /** A column of integer arrays, each row's shape (default: none). */
    public Inference shapeCol(String col) {
        this.shapeCol = col == null || col.isEmpty() ? null : col;
        return this;
    }

    /** Each row's shape, without the batch dimension (default: none, a vector per row). */
    public Inference inputShape(int... shape) {
        if (shape != null && shape.length > 0) {
            Values.numel(shape, "the input shape");
        }
        this.inputShape = shape == null || shape.length == 0 ? null : shape.clone();
        return this;
    }

    /** Rows per forward (default 64). */
    public Inference batchSize(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, got " + rows);
        }
        this.batchSize = rows;
        return this;
    }

    /** What goes into the output column (default {@link OutputMode#OUTPUT}). */
    public Inference outputMode(OutputMode mode) {
        if (mode == null) {
            throw new IllegalArgumentException("an output mode was expected, got null");
        }
        this.outputMode = mode;
        return this;
    }

    /** The dtype the model's parameters have (inputs are converted to it). */
    public DType dtype() {
        return loaded.dtype;
    }

    /** The output schema: the input's columns and the output column; checks the columns' types. */
    public StructType transformSchema(StructType schema) {
        Values.checkNumbers(schema.fields()[Values.index(schema, inputCol, "input")], "input");
        if (shapeCol != null) {
            Values.checkShape(schema.fields()[Values.index(schema, shapeCol, "shape")]);
        }
        if (Arrays.asList(schema.fieldNames()).contains(outputCol)) {
            throw new IllegalArgumentException("the output column '" + outputCol + "' is already in the data");
        }
        DataType element = loaded.dtype == DType.FLOAT64 ? DataTypes.DoubleType : DataTypes.FloatType;
        DataType out = outputMode == OutputMode.ARGMAX ? DataTypes.IntegerType
                : DataTypes.createArrayType(element, false);
        return schema.add(new StructField(outputCol, out, false, org.apache.spark.sql.types.Metadata.empty()));
    }

    /**
     * Scores {@code data}: the input's rows with the output column added, in the input's order. Lazy, as Spark
     * transformations are; the state dict is broadcast at the first call on a Spark context.
     */
    public Dataset<Row> transform(Dataset<?> data) {
        StructType in = data.schema();
        StructType out = transformSchema(in);
        int input = Values.index(in, inputCol, "input");
        int shape = shapeCol == null ? -1 : Values.index(in, shapeCol, "shape");
        SparkContext sc = data.sparkSession().sparkContext();
        BatchScorer fn = new BatchScorer(sc.applicationId(), loaded.broadcast(sc), input, shape, inputCol,
                shapeCol, inputShape, batchSize, outputMode, loaded.dtype.name());
        return data.toDF().mapPartitions(fn, Encoders.row(out));
    }

    /** Frees the broadcast state dict on the executors (a later transform broadcasts again). */
    public void unpersist() {
        loaded.unpersist();
    }

    /** The checked model spec and its broadcast, shared by copies. */
    private static final class Loaded {
        final ModelSpec spec;
        final DType dtype;
        private Broadcast<ModelSpec> broadcast;
        private SparkContext context;

        Loaded(ModelSpec spec, DType dtype) {
            this.spec = spec;
            this.dtype = dtype;
        }

        /** The broadcast of the factory and state dict, made once per Spark context. */
        synchronized Broadcast<ModelSpec> broadcast(SparkContext sc) {
            if (broadcast == null || context != sc || sc.isStopped()) {
                broadcast = JavaSparkContext.fromSparkContext(sc).broadcast(spec);
                context = sc;
            }
            return broadcast;
        }

        synchronized void unpersist() {
            if (broadcast != null && context != null && !context.isStopped()) {
                broadcast.unpersist(false);
            }
            broadcast = null;
        }
    }

    private static String requireName(String col, String role) {
        if (col == null || col.isEmpty()) {
            throw new IllegalArgumentException("the " + role + " column name must not be empty");
        }
        return col;
    }

    /** The dtype of a module's first floating parameter (float32 if it has none). */
    static DType modelDType(Module m) {
        for (Parameter p : m.parameters()) {
            if (p.dtype().isFloatingPoint()) {
                return p.dtype();
            }
        }
        return DType.FLOAT32;
    }

    /** What the executors get: the factory and the state dict file. */
    record ModelSpec(ModelFactory factory, StateDict stateDict) implements Serializable {
        /** The eval-mode model, with no parameter requiring grad. */
        Module build() {
            Module m = stateDict.loadInto(factory);
            m.eval();
            m.requiresGrad_(false);
            return m;
        }
    }
}

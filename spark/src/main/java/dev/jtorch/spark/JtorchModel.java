package dev.jtorch.spark;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.ml.Transformer;
import org.apache.spark.ml.param.IntArrayParam;
import org.apache.spark.ml.param.IntParam;
import org.apache.spark.ml.param.Param;
import org.apache.spark.ml.param.ParamMap;
import org.apache.spark.ml.param.ParamValidators;
import org.apache.spark.ml.util.DefaultParamsReader$;
import org.apache.spark.ml.util.DefaultParamsWriter$;
import org.apache.spark.ml.util.Identifiable$;
import org.apache.spark.ml.util.MLReader;
import org.apache.spark.ml.util.MLWritable;
import org.apache.spark.ml.util.MLWriter;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.types.StructType;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Properties;

/**
 * A Spark ML {@code Transformer} that scores a column with a jtorch model: {@link Inference} behind Spark ML's
 * params, pipelines and persistence ({@code save}/{@link #load}). The model comes from a factory (a class name,
 * the {@link #modelClass()} param, or a serializable {@link ModelFactory}) and a state dict (safetensors or
 * {@code .pt}), broadcast once; each executor JVM builds the model once and shares it across its task threads.
 *
 * <p>Args (params, with their defaults):
 * <ul>
 *   <li>{@code inputCol} ("features"), {@code outputCol} ("output").</li>
 *   <li>{@code inputShape} (empty: a vector per row): each row's shape without the batch dimension.</li>
 *   <li>{@code shapeCol} (""): a column of integer arrays, each row's shape.</li>
 *   <li>{@code batchSize} (64): rows per forward.</li>
 *   <li>{@code outputMode} ("output"): "output" (the output, flattened, as an array), "argmax" (an integer
 *       class) or "probabilities" (the softmax of (batch, classes) logits).</li>
 *   <li>{@code modelClass} (""): the factory's class name, when the factory is one.</li>
 * </ul>
 *
 * <p>Shape: as {@link Inference}.
 *
 * <p>Persistence: {@code save(path)} writes Spark ML's metadata and the state dict file unchanged under
 * {@code path/data}. A factory given as an object (a lambda) is saved with Java serialization: load such a
 * directory only if you wrote it. A {@code modelClass} factory saves no serialized object.
 *
 * <p>Example:
 * <pre>{@code
 * JtorchModel digits = new JtorchModel("com.example.DigitsNet", StateDict.read("digits.safetensors"))
 *         .setInputCol("pixels").setInputShape(1, 8, 8).setOutputCol("digit").setOutputMode("argmax");
 * digits.transform(images).show();
 * digits.write().overwrite().save("models/digits");
 * JtorchModel again = JtorchModel.load("models/digits");
 * }</pre>
 */
public final class JtorchModel extends Transformer implements MLWritable {
    private static final long serialVersionUID = 1L;

    private final String uid;
    private final transient ModelFactory factory;
    private final transient StateDict stateDict;
    private final transient Shared shared;

    private final Param<String> inputCol;
    private final Param<String> outputCol;
    private final Param<String> shapeCol;
    private final IntArrayParam inputShape;
    private final IntParam batchSize;
    private final Param<String> outputMode;
    private final Param<String> modelClass;

    /** A transformer over the module {@code factory} builds, with {@code stateDict}'s weights. */
    public JtorchModel(ModelFactory factory, StateDict stateDict) {
        this(Identifiable$.MODULE$.randomUID("jtorch"), factory, stateDict);
    }

    /** A transformer over an instance of {@code modelClass} (see {@link ModelFactory#ofClass}). */
    public JtorchModel(String modelClass, StateDict stateDict) {
        this(ModelFactory.ofClass(modelClass), stateDict);
    }

    private JtorchModel(String uid, ModelFactory factory, StateDict stateDict) {
        this(uid, factory, stateDict, null);
    }

    private JtorchModel(String uid, ModelFactory factory, StateDict stateDict, Shared shared) {
        if (factory == null || stateDict == null) {
            throw new IllegalArgumentException("a model factory and a state dict were expected, got "
                    + (factory == null ? "no factory" : "no state dict"));
        }
        this.uid = uid;
        // the params name their parent by its uid, so they are made after it
        inputCol = new Param<>(this, "inputCol",
                "input column: arrays of numbers or ml Vectors");
        outputCol = new Param<>(this, "outputCol", "output column");
        shapeCol = new Param<>(this, "shapeCol",
                "column of integer arrays, each row's shape (empty: none)");
        inputShape = new IntArrayParam(this, "inputShape",
                "each row's shape without the batch dimension (empty: a vector per row)");
        batchSize = new IntParam(this, "batchSize", "rows per forward (>= 1)",
                ParamValidators.gtEq(1));
        outputMode = new Param<>(this, "outputMode",
                "output (the output as an array), argmax (the class) or probabilities (softmax over classes)",
                ParamValidators.inArray(new String[] {"output", "argmax", "probabilities"}));
        modelClass = new Param<>(this, "modelClass",
                "class name of the model factory: a Module or Supplier<Module> with a no-argument constructor");
        this.factory = factory;
        this.stateDict = stateDict;
        this.shared = shared != null ? shared : new Shared();
        setDefault(inputCol, "features");
        setDefault(outputCol, "output");
        setDefault(shapeCol, "");
        setDefault(inputShape, new int[0]);
        setDefault(batchSize, 64);
        setDefault(outputMode, "output");
        setDefault(modelClass, factory.className() == null ? "" : factory.className());
        if (factory.className() != null) {
            set(modelClass, factory.className());
        }
    }

    @Override
    public String uid() {
        return uid;
    }

    /** The input column param. */
    public Param<String> inputCol() {
        return inputCol;
    }

    /** The output column param. */
    public Param<String> outputCol() {
        return outputCol;
    }

    /** The shape column param. */
    public Param<String> shapeCol() {
        return shapeCol;
    }

    /** The per-row input shape param. */
    public IntArrayParam inputShape() {
        return inputShape;
    }

    /** The batch size param. */
    public IntParam batchSize() {
        return batchSize;
    }

    /** The output mode param. */
    public Param<String> outputMode() {
        return outputMode;
    }

    /** The factory class name param (empty for a factory given as an object). */
    public Param<String> modelClass() {
        return modelClass;
    }

    /** Sets {@code inputCol}. */
    public JtorchModel setInputCol(String v) {
        set(inputCol, v);
        return this;
    }

    /** Sets {@code outputCol}. */
    public JtorchModel setOutputCol(String v) {
        set(outputCol, v);
        return this;
    }

    /** Sets {@code shapeCol}. */
    public JtorchModel setShapeCol(String v) {
        set(shapeCol, v == null ? "" : v);
        return this;
    }

    /** Sets {@code inputShape}. */
    public JtorchModel setInputShape(int... v) {
        set(inputShape, v == null ? new int[0] : v.clone());
        return this;
    }

    /** Sets {@code batchSize}. */
    public JtorchModel setBatchSize(int v) {
        set(batchSize, v);
        return this;
    }

    /** Sets {@code outputMode}: "output", "argmax" or "probabilities". */
    public JtorchModel setOutputMode(String v) {
        set(outputMode, v == null ? null : v.toLowerCase(Locale.ROOT));
        return this;
    }

    /** The state dict this transformer broadcasts. */
    public StateDict getStateDict() {
        return stateDict;
    }

    /** The model factory. */
    public ModelFactory getFactory() {
        return factory;
    }

    @Override
    public StructType transformSchema(StructType schema) {
        return configured().transformSchema(schema);
    }

    @Override
    public Dataset<Row> transform(Dataset<?> dataset) {
        return configured().transform(dataset);
    }

    /**
     * A fresh Inference with this transformer's params, over the model checked (and the state dict broadcast)
     * once for this transformer and its copies.
     */
    private Inference configured() {
        String cls = getOrDefault(modelClass);
        if (!cls.isEmpty() && !cls.equals(factory.className())) {
            throw new IllegalArgumentException("modelClass is " + cls + " but this JtorchModel's factory is "
                    + (factory.className() == null ? "an object" : factory.className()) + "; the factory cannot "
                    + "be changed by a param: make a new JtorchModel");
        }
        if (factory == null || shared == null) {
            throw new IllegalStateException("this JtorchModel came through Java serialization, which does not carry "
                    + "its model: save it with write().save(path) and load it with JtorchModel.load(path)");
        }
        return shared.base(factory, stateDict).copy().inputCol(getOrDefault(inputCol)).outputCol(getOrDefault(outputCol))
                .shapeCol(getOrDefault(shapeCol)).inputShape(getOrDefault(inputShape))
                .batchSize((Integer) getOrDefault(batchSize))
                .outputMode(OutputMode.valueOf(getOrDefault(outputMode).toUpperCase(Locale.ROOT)));
    }

    @Override
    public JtorchModel copy(ParamMap extra) {
        // the same weights: share the driver's check and the broadcast
        return copyValues(new JtorchModel(uid, factory, stateDict, shared), extra);
    }

    /**
     * The writer; a factory given as an object is serialized here, before {@code overwrite()} lets Spark delete
     * an earlier save, so that one that cannot be serialized fails with nothing deleted.
     */
    @Override
    public MLWriter write() {
        return new Writer(this);
    }

    /** The reader of {@link #write()}'s directories. */
    public static MLReader<JtorchModel> read() {
        return new Reader();
    }

    /** Loads a transformer saved with {@code write().save(path)}. */
    public static JtorchModel load(String path) {
        return read().load(path);
    }

    @Override
    public String toString() {
        return "JtorchModel(uid=" + uid + ", " + (factory.className() != null ? factory.className()
                : "factory " + factory.getClass().getName()) + ", " + stateDict + ")";
    }

    private static final String PROPS = "data/jtorch.properties";

    /** The checked model, made at the first transform and shared with copies. */
    private static final class Shared {
        private Inference base;

        synchronized Inference base(ModelFactory factory, StateDict stateDict) {
            if (base == null) {
                base = Inference.of(factory, stateDict);
            }
            return base;
        }
    }

    private static final class Writer extends MLWriter {
        private final JtorchModel instance;
        private final byte[] factoryBytes;

        Writer(JtorchModel instance) {
            this.instance = instance;
            if (instance.factory == null) {
                throw new IllegalStateException("this JtorchModel came through Java serialization, which does not "
                        + "carry its model; it cannot be saved");
            }
            this.factoryBytes = serializeFactory(instance.factory);
        }

        private static byte[] serializeFactory(ModelFactory factory) {
            byte[] factoryBytes = null;
            if (factory.className() == null) {
                ByteArrayOutputStream b = new ByteArrayOutputStream();
                try (ObjectOutputStream o = new ObjectOutputStream(b)) {
                    o.writeObject(factory);
                } catch (IOException e) {
                    throw new UncheckedIOException("the model factory " + factory.getClass().getName()
                            + " cannot be serialized (" + e + "); give a class name (modelClass) instead", e);
                }
                factoryBytes = b.toByteArray();
            }
            return factoryBytes;
        }

        @Override
        public void saveImpl(String path) {
            DefaultParamsWriter$.MODULE$.saveMetadata(instance, path, sparkSession());
            Configuration conf = sparkSession().sparkContext().hadoopConfiguration();
            StateDict sd = instance.stateDict;
            String file = "data/state_dict." + (sd.format() == StateDict.Format.TORCH ? "pt" : "safetensors");
            Properties p = new Properties();
            p.setProperty("stateDict", file);
            p.setProperty("stateDictSource", sd.source());
            write(conf, new Path(path, file), sd.bytes());
            if (factoryBytes != null) {
                p.setProperty("factory", "data/factory.ser");
                write(conf, new Path(path, "data/factory.ser"), factoryBytes);
            }
            ByteArrayOutputStream props = new ByteArrayOutputStream();
            try {
                p.store(props, "jtorch-spark JtorchModel");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            write(conf, new Path(path, PROPS), props.toByteArray());
        }

        private static void write(Configuration conf, Path p, byte[] bytes) {
            try {
                FileSystem fs = p.getFileSystem(conf);
                try (FSDataOutputStream out = fs.create(p, true)) {
                    out.write(bytes);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + p + ": " + e.getMessage(), e);
            }
        }
    }

    private static final class Reader extends MLReader<JtorchModel> {
        @Override
        public JtorchModel load(String path) {
            var md = DefaultParamsReader$.MODULE$.loadMetadata(path, sparkSession(), JtorchModel.class.getName());
            Configuration conf = sparkSession().sparkContext().hadoopConfiguration();
            Properties p = new Properties();
            try (InputStream in = new ByteArrayInputStream(readAll(conf, new Path(path, PROPS)))) {
                p.load(new java.io.InputStreamReader(in, StandardCharsets.ISO_8859_1));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + path + "/" + PROPS + ": " + e.getMessage(), e);
            }
            String file = p.getProperty("stateDict");
            if (file == null || !(file.equals("data/state_dict.pt") || file.equals("data/state_dict.safetensors"))) {
                throw new IllegalArgumentException(path + "/" + PROPS + " names no state dict file (stateDict="
                        + file + ")");
            }
            StateDict sd = StateDict.of(readAll(conf, new Path(path, file)), path + "/" + file + " (saved from "
                    + p.getProperty("stateDictSource", "?") + ")");
            ModelFactory f;
            if (p.getProperty("factory") != null) {
                f = deserialize(readAll(conf, new Path(path, "data/factory.ser")), path);
            } else {
                org.json4s.JValue v = md.params();
                String cls = null;
                if (v instanceof org.json4s.JObject o) {
                    for (scala.Tuple2<String, org.json4s.JValue> t : scala.jdk.javaapi.CollectionConverters.asJava(
                            o.obj())) {
                        if (t._1().equals("modelClass") && t._2() instanceof org.json4s.JString s) {
                            cls = s.s();
                        }
                    }
                }
                f = ModelFactory.ofClass(cls);
            }
            JtorchModel m = new JtorchModel(md.uid(), f, sd);
            md.getAndSetParams(m, scala.Option.empty());
            return m;
        }

        private static byte[] readAll(Configuration conf, Path p) {
            try {
                FileSystem fs = p.getFileSystem(conf);
                long len = fs.getFileStatus(p).getLen();
                if (len > StateDict.MAX_BYTES) {
                    throw new IOException(len + " bytes, more than " + StateDict.MAX_BYTES);
                }
                byte[] b = new byte[(int) len];
                try (var in = fs.open(p)) {
                    in.readFully(0, b);
                }
                return b;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + p + ": " + e.getMessage(), e);
            }
        }

        private static ModelFactory deserialize(byte[] b, String path) {
            try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(b)) {
                @Override
                protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
                    ClassLoader ctx = Thread.currentThread().getContextClassLoader();
                    try {
                        return Class.forName(desc.getName(), false, ctx);
                    } catch (ClassNotFoundException e) {
                        return super.resolveClass(desc);
                    }
                }
            }) {
                // bounds on what the stream may build (a lambda and its captured values, nothing large or deep),
                // on top of the JVM-wide filter (jdk.serialFilter) where one is set
                ObjectInputFilter limits = ObjectInputFilter.Config.createFilter(
                        "maxdepth=20;maxrefs=10000;maxarray=1000000;maxbytes=" + b.length);
                ObjectInputFilter jvm = ObjectInputFilter.Config.getSerialFilter();
                in.setObjectInputFilter(jvm == null ? limits : ObjectInputFilter.merge(jvm, limits));
                Object o = in.readObject();
                if (!(o instanceof ModelFactory f)) {
                    throw new IllegalArgumentException(path + "/data/factory.ser holds a "
                            + (o == null ? "null" : o.getClass().getName()) + ", not a ModelFactory");
                }
                return f;
            } catch (IOException | ClassNotFoundException e) {
                throw new IllegalArgumentException("cannot read the model factory of " + path + ": " + e, e);
            }
        }
    }
}

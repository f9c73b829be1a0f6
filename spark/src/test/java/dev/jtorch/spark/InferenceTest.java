package dev.jtorch.spark;

import dev.jtorch.Tensor;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.io.SafeTensorsException;
import dev.jtorch.io.TorchLoadException;

import org.apache.spark.ml.linalg.Vectors;
import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Batch inference against PyTorch's outputs (tools/parity/gen_spark_goldens.py): the .pt and safetensors state
 * dicts, every output mode and input type, one model per JVM, row order, and the failures the driver and
 * executors must report.
 */
class InferenceTest {
    static SparkSession spark;
    static float[][] x;
    static float[][] logits;
    static long[] argmax;
    static float[][] probabilities;

    @BeforeAll
    static void setUp() throws IOException {
        spark = LocalSpark.get();
        Map<String, Tensor> io = SafeTensors.load(golden("mlp_io.safetensors"));
        x = rows(io.get("x"));
        logits = rows(io.get("logits"));
        probabilities = rows(io.get("probabilities"));
        argmax = io.get("argmax").toLongArray();
    }

    static byte[] golden(String name) throws IOException {
        try (InputStream in = InferenceTest.class.getResourceAsStream("/goldens/" + name)) {
            if (in == null) {
                throw new IOException(name + " is missing (tools/parity/gen_spark_goldens.py)");
            }
            return in.readAllBytes();
        }
    }

    static float[][] rows(Tensor t) {
        int n = t.size(0);
        int per = (int) (t.numel() / n);
        float[] all = t.contiguous().toFloatArray();
        float[][] r = new float[n][];
        for (int i = 0; i < n; i++) {
            r[i] = Arrays.copyOfRange(all, i * per, (i + 1) * per);
        }
        return r;
    }

    /** The golden inputs as a DataFrame (id, features as array<float>, the same as array<double> and a Vector). */
    static Dataset<Row> frame(int partitions) {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            Double[] d = new Double[x[i].length];
            Float[] f = new Float[x[i].length];
            double[] v = new double[x[i].length];
            for (int j = 0; j < d.length; j++) {
                d[j] = (double) x[i][j];
                f[j] = x[i][j];
                v[j] = x[i][j];
            }
            rows.add(RowFactory.create(i, f, d, Vectors.dense(v)));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("f", DataTypes.createArrayType(DataTypes.FloatType))
                .add("d", DataTypes.createArrayType(DataTypes.DoubleType))
                .add("v", SQLDataTypes.VectorType());
        return spark.createDataFrame(rows, schema).repartition(partitions);
    }

    static StateDict safetensors() throws IOException {
        return StateDict.of(golden("mlp.safetensors"), "mlp.safetensors");
    }

    @Test
    void outputsMatchPyTorchForEveryInputTypeAndBothFileFormats() throws IOException {
        StateDict pt = StateDict.of(golden("mlp.pt"), "mlp.pt");
        assertEquals(StateDict.Format.TORCH, pt.format());
        assertEquals(StateDict.Format.SAFETENSORS, safetensors().format());
        for (StateDict sd : List.of(pt, safetensors())) {
            for (String col : List.of("f", "d", "v")) {
                Inference inf = Inference.of(TestModels.Mlp::new, sd).inputCol(col).outputCol("y").batchSize(5);
                List<Row> out = inf.transform(frame(3)).collectAsList();
                assertEquals(x.length, out.size());
                for (Row r : out) {
                    int id = r.getInt(0);
                    float[] y = floats(r.getList(r.fieldIndex("y")));
                    for (int j = 0; j < y.length; j++) {
                        assertEquals(logits[id][j], y[j], 2e-6, sd.format() + " " + col + " row " + id);
                    }
                }
            }
        }
    }

    @Test
    void argmaxAndProbabilities() throws IOException {
        JtorchModel m = new JtorchModel(TestModels.Mlp.class.getName(), safetensors()).setInputCol("v");
        List<Row> am = m.setOutputCol("cls").setOutputMode("argmax").transform(frame(2)).collectAsList();
        for (Row r : am) {
            assertEquals(argmax[r.getInt(0)], r.getInt(r.fieldIndex("cls")));
        }
        List<Row> pr = m.setOutputMode("probabilities").transform(frame(2)).collectAsList();
        for (Row r : pr) {
            float[] p = floats(r.getList(r.fieldIndex("cls")));
            assertArrayEquals(probabilities[r.getInt(0)], p, 2e-6f);
        }
    }

    @Test
    void float64ModelsGiveDoubleArrays() throws IOException {
        Inference inf = Inference.of(ModelFactory.ofClass(TestModels.Mlp64.class.getName()), safetensors())
                .inputCol("d");
        Dataset<Row> out = inf.transform(frame(2));
        assertEquals(DataTypes.createArrayType(DataTypes.DoubleType, false), out.schema().apply("output").dataType());
        for (Row r : out.collectAsList()) {
            List<Object> y = r.getList(r.fieldIndex("output"));
            for (int j = 0; j < y.size(); j++) {
                assertEquals(logits[r.getInt(0)][j], (Double) y.get(j), 2e-6);
            }
        }
    }

    @Test
    void oneModelPerJvmSharedByTheTaskThreads() throws IOException {
        Inference inf = Inference.of(TestModels.Mlp::new, safetensors()).inputCol("f").batchSize(3);
        int before = ExecutorModels.builds();
        assertEquals(x.length, inf.transform(frame(6)).count());
        assertEquals(x.length, inf.transform(frame(4)).count());
        assertEquals(1, ExecutorModels.builds() - before, "one broadcast, one model for all tasks of this JVM");
    }

    @Test
    void rowOrderIsKeptAndShapeColumnGroupsRows() throws IOException {
        // rows of shape [8] and [2, 4] interleaved (the same numbers): each group batched apart, order kept
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < x.length; i++) {
            Float[] f = new Float[8];
            for (int j = 0; j < 8; j++) {
                f[j] = x[i][j];
            }
            rows.add(RowFactory.create(i, f, i % 2 == 0 ? new Integer[] {8} : new Integer[] {2, 4}));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("f", DataTypes.createArrayType(DataTypes.FloatType))
                .add("shape", DataTypes.createArrayType(DataTypes.IntegerType));
        Dataset<Row> df = spark.createDataFrame(rows, schema).coalesce(1);
        // Flatten first, so that both shapes give the classifier's (B, 8)
        ModelFactory flat = () -> new dev.jtorch.nn.Sequential(new dev.jtorch.nn.Flatten(), new TestModels.Mlp());
        StateDict sd = prefixed(safetensors(), "1.");
        List<Row> out = Inference.of(flat, sd).inputCol("f").shapeCol("shape").batchSize(4).transform(df)
                .collectAsList();
        for (int i = 0; i < out.size(); i++) {
            assertEquals(i, out.get(i).getInt(0), "rows come back in their input order");
            float[] y = floats(out.get(i).getList(3));
            assertArrayEquals(logits[i], y, 2e-6f);
        }
    }

    static StateDict prefixed(StateDict sd, String prefix) {
        Map<String, Tensor> m = new java.util.LinkedHashMap<>();
        sd.tensors().forEach((k, v) -> m.put(prefix + k, v));
        return StateDict.of(SafeTensors.serialize(m, Map.of()), "prefixed");
    }

    @Test
    void aRowOfTheWrongShapeFailsWithItsIndexAndTheExpectedShape() throws IOException {
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Float[] f = new Float[i == 7 ? 7 : 8];
            Arrays.fill(f, 0.5f);
            rows.add(RowFactory.create(i, f));
        }
        StructType schema = new StructType().add("id", DataTypes.IntegerType)
                .add("f", DataTypes.createArrayType(DataTypes.FloatType));
        Dataset<Row> df = spark.createDataFrame(rows, schema).coalesce(1);
        Inference inf = Inference.of(TestModels.Mlp::new, safetensors()).inputCol("f").inputShape(8);
        Exception e = assertThrows(Exception.class, () -> inf.transform(df).collectAsList());
        String msg = causes(e);
        assertTrue(msg.contains("row 7 of partition 0: column 'f' holds 7 values; expected 8 for the input shape "
                + "[8]"), msg);
    }

    @Test
    void aMissingOrCorruptStateDictFailsOnTheDriverBeforeAnyJob(@TempDir Path dir) throws Exception {
        waitForListener();
        int jobs = LocalSpark.jobs();
        String missing = dir.resolve("nope.safetensors").toString();
        UncheckedIOException e1 = assertThrows(UncheckedIOException.class, () -> new JtorchModel(
                TestModels.Mlp.class.getName(), StateDict.read(missing)));
        assertTrue(e1.getMessage().contains("state dict file not found: " + missing), e1.getMessage());

        byte[] bad = golden("mlp.safetensors");
        bad[3] = 0x7f; // a header length beyond the file
        Path corrupt = dir.resolve("corrupt.safetensors");
        Files.write(corrupt, bad);
        SafeTensorsException e2 = assertThrows(SafeTensorsException.class, () -> StateDict.read(corrupt.toString()));
        String loader = assertThrows(SafeTensorsException.class, () -> SafeTensors.load(bad)).getMessage();
        assertEquals(loader, e2.getMessage(), "the loader's own message");

        byte[] pt = golden("mlp.pt");
        Path truncated = dir.resolve("truncated.pt");
        Files.write(truncated, Arrays.copyOf(pt, pt.length / 2));
        assertThrows(TorchLoadException.class, () -> StateDict.read(truncated.toString()));

        // a state dict of another model: the driver's strict load names the keys, before any job
        StateDict other = StateDict.of(new dev.jtorch.nn.Linear(8, 3));
        JtorchModel m = new JtorchModel(TestModels.Mlp.class.getName(), other).setInputCol("f");
        Dataset<Row> df = frame(2);
        IllegalArgumentException e3 = assertThrows(IllegalArgumentException.class, () -> m.transform(df));
        assertTrue(e3.getMessage().contains("does not fit the model") && e3.getMessage().contains("0.weight"),
                e3.getMessage());
        waitForListener();
        assertEquals(jobs, LocalSpark.jobs(), "no Spark job ran");
    }

    @Test
    void badColumnsAreNamed() throws IOException {
        Inference inf = Inference.of(TestModels.Mlp::new, safetensors());
        Dataset<Row> df = frame(1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> inf.inputCol("nope").transform(df))
                .getMessage().contains("'nope' is not in the data"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> inf.inputCol("id").transform(df))
                .getMessage().contains("must hold arrays of numbers"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> inf.inputCol("f").outputCol("d").transform(df))
                .getMessage().contains("already in the data"));
    }

    static void waitForListener() throws InterruptedException {
        Thread.sleep(300);
    }

    static String causes(Throwable t) {
        StringBuilder s = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            s.append(c.getMessage()).append(" | ");
        }
        return s.toString();
    }

    static float[] floats(List<Object> l) {
        float[] f = new float[l.size()];
        for (int i = 0; i < f.length; i++) {
            f[i] = ((Number) l.get(i)).floatValue();
        }
        return f;
    }
}

package dev.jtorch.spark;

import org.apache.spark.ml.Pipeline;
import org.apache.spark.ml.PipelineModel;
import org.apache.spark.ml.PipelineStage;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** JtorchModel through Spark ML's persistence: alone and inside a saved PipelineModel, both factory forms. */
class PersistenceTest {
    @BeforeAll
    static void setUp() throws IOException {
        LocalSpark.get();
        InferenceTest.setUp();
    }

    static void checkArgmax(Dataset<Row> out, String col) {
        for (Row r : out.collectAsList()) {
            assertEquals(InferenceTest.argmax[r.getInt(0)], r.getInt(r.fieldIndex(col)));
        }
    }

    @Test
    void savedAndLoadedWithItsParamsAndStateDict(@TempDir Path dir) throws IOException {
        StateDict pt = StateDict.of(InferenceTest.golden("mlp.pt"), "mlp.pt");
        JtorchModel m = new JtorchModel(TestModels.Mlp.class.getName(), pt).setInputCol("f").setOutputCol("cls")
                .setOutputMode("argmax").setBatchSize(7).setInputShape(8);
        String path = dir.resolve("model").toString();
        m.write().overwrite().save(path);
        assertTrue(Files.exists(dir.resolve("model/data/state_dict.pt")), "the .pt file is saved unchanged");
        assertArrayEquals(InferenceTest.golden("mlp.pt"), Files.readAllBytes(dir.resolve("model/data/state_dict.pt")));
        JtorchModel back = JtorchModel.load(path);
        assertEquals(m.uid(), back.uid());
        assertEquals(7, (int) back.getOrDefault(back.batchSize()));
        assertArrayEquals(new int[] {8}, back.getOrDefault(back.inputShape()));
        assertEquals(TestModels.Mlp.class.getName(), back.getOrDefault(back.modelClass()));
        assertEquals(pt, back.getStateDict());
        checkArgmax(back.transform(InferenceTest.frame(2)), "cls");
    }

    @Test
    void aLambdaFactoryInsideASavedPipeline(@TempDir Path dir) throws IOException {
        ModelFactory lambda = TestModels.Mlp::new;
        JtorchModel m = new JtorchModel(lambda, InferenceTest.safetensors()).setInputCol("v").setOutputCol("k")
                .setOutputMode("argmax");
        Dataset<Row> df = InferenceTest.frame(3);
        PipelineModel pm = new Pipeline().setStages(new PipelineStage[] {m}).fit(df);
        String path = dir.resolve("pipeline").toString();
        pm.write().overwrite().save(path);
        PipelineModel back = PipelineModel.load(path);
        assertTrue(back.stages()[0] instanceof JtorchModel);
        checkArgmax(back.transform(df), "k");
        JtorchModel stage = (JtorchModel) back.stages()[0];
        JtorchModel copy = stage.copy(new org.apache.spark.ml.param.ParamMap().put(stage.outputCol().w("k2")));
        assertEquals("k2", copy.getOrDefault(copy.outputCol()));
        assertEquals("k", stage.getOrDefault(stage.outputCol()), "the original keeps its params");
        checkArgmax(copy.transform(df), "k2");
        // transform with extra params: a copy, configured on its own
        checkArgmax(stage.transform(df, new org.apache.spark.ml.param.ParamMap().put(stage.outputCol().w("k3"))),
                "k3");
    }

    @Test
    void theFactoryCannotBeChangedByAParamAndAFailedSaveDeletesNothing(@TempDir Path dir) throws IOException {
        JtorchModel m = new JtorchModel(TestModels.Mlp.class.getName(), InferenceTest.safetensors()).setInputCol("f");
        m.set(m.modelClass(), TestModels.Mlp64.class.getName());
        Dataset<Row> df = InferenceTest.frame(1);
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> m.transform(df))
                .getMessage().contains("the factory cannot be changed by a param"));
        String path = dir.resolve("m").toString();
        new JtorchModel(TestModels.Mlp.class.getName(), InferenceTest.safetensors()).write().save(path);
        Object notSerializable = new Object();
        JtorchModel bad = new JtorchModel(() -> {
            notSerializable.hashCode();
            return new TestModels.Mlp();
        }, InferenceTest.safetensors());
        org.junit.jupiter.api.Assertions.assertThrows(java.io.UncheckedIOException.class,
                () -> bad.write().overwrite().save(path));
        assertTrue(Files.exists(dir.resolve("m/data/state_dict.safetensors")), "the earlier save is still there");
        assertEquals(TestModels.Mlp.class.getName(), JtorchModel.load(path).getOrDefault(
                JtorchModel.load(path).modelClass()));
    }
}

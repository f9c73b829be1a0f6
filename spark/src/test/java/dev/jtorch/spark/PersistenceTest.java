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
        List<Row> copy = ((JtorchModel) back.stages()[0]).copy(new org.apache.spark.ml.param.ParamMap())
                .setOutputCol("k2").transform(df).collectAsList();
        assertEquals(InferenceTest.x.length, copy.size());
    }
}

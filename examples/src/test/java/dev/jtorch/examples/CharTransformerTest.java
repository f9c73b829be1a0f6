package dev.jtorch.examples;

import dev.jtorch.Generator;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code demo-transformer} ({@link CharTransformer}) on a tiny model and a few steps: the loss falls, the checkpoint
 * reloads into a model that gives the same logits, sampling is deterministic for a seed, and the causal mask keeps
 * a position's logits independent of the characters after it.
 */
class CharTransformerTest {
    @TempDir
    static Path dir;
    static CharTransformer.Result result;
    static Path checkpoint;
    static String printed;

    /** A tiny model (d_model 16, 2 heads, 1 layer, context 16), 60 steps of batch 8: a few seconds. */
    static CharTransformer.Options tiny(Path out) {
        CharTransformer.Options o = new CharTransformer.Options();
        o.steps = 60;
        o.layers = 1;
        o.heads = 2;
        o.dModel = 16;
        o.seq = 16;
        o.batch = 8;
        o.lr = 0.01;
        o.generate = 40;
        o.seed = 1;
        o.out = out;
        o.progress = ProgressBar.Mode.LINES;
        return o;
    }

    static CharTransformer.Result run(CharTransformer.Options o, ByteArrayOutputStream buf) throws IOException {
        return CharTransformer.run(o, new PrintStream(buf, true, StandardCharsets.UTF_8));
    }

    @BeforeAll
    static void train() throws IOException {
        checkpoint = dir.resolve("ct.safetensors");
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        result = run(tiny(checkpoint), buf);
        printed = buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theLossFalls() {
        double[] l = result.losses();
        assertEquals(60, l.length);
        double first = Arrays.stream(l, 0, 5).average().orElseThrow();
        double last = Arrays.stream(l, 55, 60).average().orElseThrow();
        // the first loss is about log(60) = 4.1; a unigram model alone is about 3.1
        assertTrue(first > 3.5, "first losses " + first);
        assertTrue(last < first - 0.8, "last losses " + last + " after " + first);
        assertTrue(printed.contains("60 steps, loss "), printed);
        assertTrue(printed.contains("reloaded: the same logits"), printed);
    }

    @Test
    void theCheckpointReproducesTheLogits() throws IOException {
        assertTrue(Files.size(checkpoint) > 0);
        CharTransformer.Loaded loaded = CharTransformer.load(checkpoint);
        assertEquals(result.vocab(), loaded.vocab());
        assertEquals(result.model().stateDict().keySet(), loaded.model().stateDict().keySet());
        loaded.model().eval();
        Tensor ids = CharTransformer.batch(ids(result.vocab()), 16, 3, new Generator(7))[0];
        try (var _ = Autograd.noGrad()) {
            Tensor expected = result.model().call(ids);
            Tensor actual = loaded.model().call(ids);
            assertArrayEquals(new int[] {3, 16, result.vocab().length()}, actual.shape());
            assertArrayEquals(expected.toFloatArray(), actual.toFloatArray());
        }
    }

    @Test
    void samplingIsDeterministicForASeed() {
        CharTransformer.Model m = result.reloaded();
        String a = CharTransformer.sample(m, result.vocab(), "And God said", 50, 0.8, new Generator(5));
        String b = CharTransformer.sample(m, result.vocab(), "And God said", 50, 0.8, new Generator(5));
        String c = CharTransformer.sample(m, result.vocab(), "And God said", 50, 0.8, new Generator(6));
        assertEquals(a, b);
        assertNotEquals(a, c);
        assertEquals("And God said".length() + 50, a.length());
        assertTrue(a.startsWith("And God said"));
        for (char ch : a.toCharArray()) {
            assertTrue(result.vocab().indexOf(ch) >= 0, "'" + ch + "' in the vocabulary");
        }
        // temperature 0: the most likely character each time, whatever the generator
        assertEquals(CharTransformer.sample(m, result.vocab(), "In the", 30, 0, new Generator(1)),
                CharTransformer.sample(m, result.vocab(), "In the", 30, 0, new Generator(2)));
    }

    @Test
    void aRunIsDeterministicForASeed() throws IOException {
        CharTransformer.Options o = tiny(dir.resolve("again.safetensors"));
        CharTransformer.Result again = run(o, new ByteArrayOutputStream());
        assertArrayEquals(result.losses(), again.losses());
        assertEquals(result.sample(), again.sample());
    }

    @Test
    void theMaskIsCausal() {
        CharTransformer.Model m = result.reloaded();
        Tensor ids = CharTransformer.batch(ids(result.vocab()), 16, 1, new Generator(3))[0];
        long[] changed = ids.toLongArray();
        changed[15] = (changed[15] + 1) % result.vocab().length();
        try (var _ = Autograd.noGrad()) {
            Tensor a = m.call(ids).narrow(1, 0, 15);
            Tensor b = m.call(Torch.tensor(changed).view(1, 16)).narrow(1, 0, 15);
            assertTrue(a.allclose(b, 1e-5, 1e-5), "the first 15 positions do not see the last character");
            assertFalse(m.call(ids).narrow(1, 15, 1).allclose(m.call(Torch.tensor(changed).view(1, 16))
                    .narrow(1, 15, 1), 1e-5, 1e-5));
        }
    }

    @Test
    void badShapesAreClearErrors() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new CharTransformer.Model(10, 10, 4, 1, 8));
        assertTrue(e.getMessage().contains("--d-model (10) must be divisible by --heads (4)"), e.getMessage());
        CliTest.Run r = CliTest.run("demo-transformer", "--d-model", "10", "--heads", "4", "--steps", "0",
                "--out", dir.resolve("x.safetensors").toString());
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("jtorch demo-transformer: --d-model (10)"), r.err());
        e = assertThrows(IllegalArgumentException.class,
                () -> result.model().call(Torch.zeros(1, 17).int64()));
        assertTrue(e.getMessage().contains("17 characters, the context is 16"), e.getMessage());
    }

    private static int[] ids(String vocab) {
        String text = "In the beginning God created the heaven and the earth. And the earth was without form";
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocab.indexOf(text.charAt(i));
        }
        return ids;
    }
}

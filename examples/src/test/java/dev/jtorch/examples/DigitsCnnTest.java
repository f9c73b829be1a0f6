package dev.jtorch.examples;

import dev.jtorch.Tensor;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.utils.StateDicts;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A CNN trained by PyTorch (tools/parity/train_digits_cnn.py: the demo-cnn network, saved with torch.save)
 * loads into {@link DigitsCnn#model()} unchanged and gives PyTorch's predictions on all 1,797 digits exactly
 * and its logits to float32 rounding; and the demo itself trains to a held-out accuracy of at least 97%.
 */
class DigitsCnnTest {
    static byte[] resource(String name) throws IOException {
        try (InputStream in = DigitsCnnTest.class.getResourceAsStream("/goldens/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void aPyTorchTrainedCnnGivesPyTorchsPredictions(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path pt = dir.resolve("digits_cnn.pt");
        Files.write(pt, resource("digits_cnn.pt"));
        Module net = DigitsCnn.model();
        StateDicts.loadTorch(net, pt, true);
        net.eval();
        Map<String, Tensor> expected = SafeTensors.load(resource("digits_cnn_expected.safetensors"));
        Tensor[] data = DigitsCnn.load();
        Tensor logits;
        try (var _ = Autograd.noGrad()) {
            logits = net.call(data[0]);
        }
        assertArrayEquals(expected.get("predictions").toLongArray(), logits.argmax(1, false).toLongArray(),
                "predictions of the PyTorch-trained CNN");
        float[] e = expected.get("logits").toFloatArray();
        float[] a = logits.toFloatArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-4 + 1e-4 * Math.abs(e[i]), "logit " + i);
        }
    }

    @Test
    void theDemoReachesNinetySevenPercentHeldOut(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path out = dir.resolve("cnn.safetensors");
        var buf = new java.io.ByteArrayOutputStream();
        var old = System.out;
        System.setOut(new java.io.PrintStream(buf, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            var err = new java.io.StringWriter();
            int code = Main.execute(new String[] {"demo-cnn", "--epochs", "12", "--out", out.toString()},
                    new java.io.PrintWriter(System.out, true), new java.io.PrintWriter(err, true));
            assertEquals(0, code, err.toString());
        } finally {
            System.setOut(old);
        }
        String text = buf.toString(java.nio.charset.StandardCharsets.UTF_8);
        var m = java.util.regex.Pattern.compile("held-out accuracy of the reloaded model ([0-9.]+)%").matcher(text);
        assertTrue(m.find(), text);
        assertTrue(Double.parseDouble(m.group(1)) >= 97.0, text);
        assertTrue(Files.size(out) > 0);
    }
}

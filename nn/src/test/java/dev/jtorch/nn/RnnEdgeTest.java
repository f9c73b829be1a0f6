package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.io.SafeTensors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The recurrent layers and cells at the edges, as PyTorch 1.13 answers them (edges.safetensors, written by
 * tools/parity/gen_edge_goldens.py): an empty batch (time-major, batch-first, bidirectional, one and two
 * layers, with and without initial states) gives empty outputs and states and zero gradients; an empty
 * sequence fails with PyTorch's message; an LSTM state holding h0 only fails with ATen's message.
 * Each case is rebuilt from its key alone.
 */
class RnnEdgeTest {
    static final Map<String, String> PYTORCH;

    static {
        try (InputStream in = RnnEdgeTest.class.getResourceAsStream("/goldens/edges.safetensors")) {
            PYTORCH = new TreeMap<>(SafeTensors.open(in.readAllBytes()).metadata());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static final int IN = 4;
    static final int HID = 3;

    static String shape(Tensor t) {
        return Arrays.toString(t.shape());
    }

    static int[] dims(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /** key=value fields of a case key after its kind and mode. */
    static Map<String, String> fields(String[] parts) {
        Map<String, String> f = new TreeMap<>();
        for (int i = 2; i < parts.length; i++) {
            String[] kv = parts[i].split("=");
            f.put(kv[0], kv[1]);
        }
        return f;
    }

    static RNNBase layer(String mode, int layers, boolean bf, boolean bi) {
        return switch (mode) {
            case "LSTM" -> new LSTM(IN, HID, layers, true, bf, 0, bi, 0);
            case "GRU" -> new GRU(IN, HID, layers, true, bf, 0, bi);
            default -> new RNN(IN, HID, layers, Nonlinearity.TANH, true, bf, 0, bi);
        };
    }

    static RNNBase.Output forward(RNNBase m, Tensor x, Tensor[] hx) {
        if (m instanceof LSTM l) {
            return l.forward(x, hx);
        }
        return m instanceof GRU g ? g.forward(x, hx) : ((RNN) m).forward(x, hx);
    }

    static double gradSum(Module m) {
        double s = 0;
        for (Parameter p : m.parameters()) {
            s += p.grad().abs().sum().item();
        }
        return s;
    }

    /** The answer of a layer case: shapes (and gradients' shapes and sum) or "error=" and the message. */
    static String layerCase(String key) {
        String[] parts = key.split("\\|");
        String mode = parts[1];
        Map<String, String> f = fields(parts);
        int layers = Integer.parseInt(f.get("L"));
        boolean bf = f.get("bf").equals("1");
        boolean bi = f.get("bi").equals("1");
        int[] xs = dims(f.get("x"));
        RNNBase m = layer(mode, layers, bf, bi);
        Tensor x = Torch.randn(xs).requiresGrad_(true);
        Tensor[] hx = null;
        if (f.get("hx").equals("full")) {
            int d = bi ? 2 : 1;
            int[] sh = xs.length == 3 ? new int[] {layers * d, bf ? xs[0] : xs[1], HID} : new int[] {layers * d, HID};
            hx = mode.equals("LSTM") ? new Tensor[] {Torch.zeros(sh), Torch.zeros(sh)} : new Tensor[] {Torch.zeros(sh)};
        }
        RNNBase.Output o;
        try {
            o = forward(m, x, hx);
        } catch (IllegalArgumentException e) {
            return "error=" + e.getMessage();
        }
        String r = "out=" + shape(o.output()) + ";h=" + shape(o.hN()) + (o.cN() != null ? ";c=" + shape(o.cN()) : "");
        Tensor loss = o.output().sum().add(o.hN().sum());
        if (o.cN() != null) {
            loss = loss.add(o.cN().sum());
        }
        loss.backward();
        r += ";dx=" + shape(x.grad()) + ";dw=" + shape(m.parameter("weight_ih_l0").grad());
        return r + ";gradsum=" + gradSum(m);
    }

    static String cellCase(String key) {
        String[] parts = key.split("\\|");
        String mode = parts[1];
        Map<String, String> f = fields(parts);
        int[] xs = dims(f.get("x"));
        boolean full = f.get("hx").equals("full");
        Tensor x = Torch.randn(xs).requiresGrad_(true);
        int[] sh = xs.length == 2 ? new int[] {xs[0], HID} : new int[] {HID};
        RNNCellBase c;
        Tensor h;
        Tensor cs = null;
        switch (mode) {
            case "LSTM" -> {
                LSTMCell l = new LSTMCell(IN, HID);
                c = l;
                Tensor[] hc = l.forward(x, full ? new Tensor[] {Torch.zeros(sh), Torch.zeros(sh)} : null);
                h = hc[0];
                cs = hc[1];
            }
            case "GRU" -> {
                GRUCell g = new GRUCell(IN, HID);
                c = g;
                h = g.forward(x, full ? Torch.zeros(sh) : null);
            }
            default -> {
                RNNCell rc = new RNNCell(IN, HID);
                c = rc;
                h = rc.forward(x, full ? Torch.zeros(sh) : null);
            }
        }
        String r = "h=" + shape(h) + (cs != null ? ";c=" + shape(cs) : "");
        Tensor loss = cs == null ? h.sum() : h.sum().add(cs.sum());
        loss.backward();
        r += ";dx=" + shape(x.grad()) + ";dw=" + shape(c.weightIh.grad());
        return r + ";gradsum=" + gradSum(c);
    }

    @TestFactory
    List<DynamicTest> layersAndCellsAnswerAsPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : PYTORCH.entrySet()) {
            String key = e.getKey();
            if (key.startsWith("layer|")) {
                tests.add(DynamicTest.dynamicTest(key, () -> assertEquals(e.getValue(), layerCase(key))));
            } else if (key.startsWith("cell|")) {
                tests.add(DynamicTest.dynamicTest(key, () -> assertEquals(e.getValue(), cellCase(key))));
            }
        }
        // 3 modes x (2 layouts x 2 directions x 2 depths x 2 inputs x 2 states + 2 unbatched/empty inputs),
        // 3 modes x 2 cell states
        assertEquals(3 * (2 * 2 * 2 * 2 * 2 + 2) + 3 * 2, tests.size());
        return tests;
    }

    static String error(String key) {
        String v = PYTORCH.get(key);
        assertTrue(v.startsWith("error="), key + ": " + v);
        return v.substring("error=".length());
    }

    @Test
    void lstmStateWithoutCellStateFailsAsAten() {
        LSTM lstm = new LSTM(IN, HID);
        Tensor x = Torch.randn(5, 2, IN);
        Tensor h0 = Torch.zeros(1, 2, HID);
        var e = assertThrows(IllegalArgumentException.class, () -> lstm.forward(x, new Tensor[] {h0}));
        assertEquals(error("lstm_h0_only"), e.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> lstm.forward(x, new Tensor[] {h0, h0, h0}));
        assertEquals(error("lstm_three_states"), e3.getMessage());
        var packed = dev.jtorch.nn.utils.rnn.RnnUtils.packPaddedSequence(x, Torch.tensor(new long[] {5, 5}), false, true);
        var ep = assertThrows(IllegalArgumentException.class, () -> lstm.forward(packed, new Tensor[] {h0}));
        assertEquals(error("lstm_h0_only"), ep.getMessage());
        LSTMCell cell = new LSTMCell(IN, HID);
        var ec = assertThrows(IllegalArgumentException.class,
                () -> cell.forward(Torch.randn(2, IN), new Tensor[] {Torch.zeros(2, HID)}));
        assertEquals(error("lstm_cell_h0_only"), ec.getMessage());
    }

    @Test
    void gruAndRnnTakeOneState() {
        Tensor x = Torch.randn(5, 2, IN);
        Tensor h0 = Torch.zeros(1, 2, HID);
        var e = assertThrows(IllegalArgumentException.class, () -> new GRU(IN, HID).forward(x, new Tensor[] {h0, h0}));
        assertEquals("gru expects one hidden state, got 2", e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> new RNN(IN, HID).forward(x, new Tensor[0]));
        assertEquals("rnn expects one hidden state, got 0", e2.getMessage());
        assertArrayEquals(new int[] {1, 2, HID}, new GRU(IN, HID).forward(x, new Tensor[] {h0}).hN().shape());
    }
}

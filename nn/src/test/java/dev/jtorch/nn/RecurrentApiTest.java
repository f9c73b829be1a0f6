package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.utils.rnn.PackedSequence;
import dev.jtorch.nn.utils.rnn.RnnUtils;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The typed calls of the recurrent layers and cells ({@code run}) give what the tuple forms
 * ({@code forward(x, hx)}) give, which RnnModuleTest checks against PyTorch; and the short overloads of RnnUtils
 * take PyTorch's defaults.
 */
class RecurrentApiTest {
    static void same(Tensor a, Tensor b) {
        assertArrayEquals(a.shape(), b.shape());
        assertArrayEquals(a.toDoubleArray(), b.toDoubleArray(), 0.0);
    }

    @Test
    void layersRunWithAndWithoutStates() {
        Torch.manualSeed(1);
        Tensor x = Torch.randn(5, 3, 4);
        LSTM lstm = new LSTM(4, 6, 2, true, false, 0, true, 0);
        Tensor h0 = Torch.randn(4, 3, 6);
        Tensor c0 = Torch.randn(4, 3, 6);
        RNNBase.Output a = lstm.run(x);
        RNNBase.Output b = lstm.forward(x, (Tensor[]) null);
        same(b.output(), a.output());
        same(b.hN(), a.hN());
        same(b.cN(), a.cN());
        same(lstm.forward(x), a.output());
        RNNBase.Output s = lstm.run(x, h0, c0);
        RNNBase.Output t = lstm.forward(x, new Tensor[] {h0, c0});
        same(t.output(), s.output());
        same(t.cN(), s.cN());
        same(b.output(), lstm.run(x, null, null).output());
        var e = assertThrows(IllegalArgumentException.class, () -> lstm.run(x, h0, null));
        assertTrue(e.getMessage().startsWith("lstm expects two hidden states"), e.getMessage());

        GRU gru = new GRU(4, 6);
        Tensor g0 = Torch.randn(1, 3, 6);
        RNNBase.Output g = gru.run(x, g0);
        same(gru.forward(x, new Tensor[] {g0}).output(), g.output());
        assertNull(g.cN());
        same(gru.forward(x, (Tensor[]) null).hN(), gru.run(x).hN());
        RNN rnn = new RNN(4, 6);
        same(rnn.forward(x, new Tensor[] {g0}).hN(), rnn.run(x, g0).hN());

        PackedSequence p = RnnUtils.packPaddedSequence(x, new long[] {5, 4, 2});
        same(lstm.forward(p, (Tensor[]) null).output().data(), lstm.run(p).output().data());
        same(lstm.forward(p, new Tensor[] {h0, c0}).hN(), lstm.run(p, h0, c0).hN());
        same(gru.forward(p, new Tensor[] {g0}).hN(), gru.run(p, g0).hN());
    }

    @Test
    void cellsRunAlike() {
        Torch.manualSeed(2);
        Tensor x = Torch.randn(3, 4);
        Tensor h = Torch.randn(3, 5);
        Tensor c = Torch.randn(3, 5);
        LSTMCell lc = new LSTMCell(4, 5);
        LSTMCell.State st = lc.run(x, h, c);
        Tensor[] hc = lc.forward(x, new Tensor[] {h, c});
        same(hc[0], st.h());
        same(hc[1], st.c());
        same(lc.forward(x), lc.run(x).h());
        assertThrows(IllegalArgumentException.class, () -> lc.run(x, null, c));
        GRUCell gc = new GRUCell(4, 5);
        same(gc.forward(x, h), gc.run(x, h));
        same(gc.forward(x), gc.run(x));
        RNNCell rc = new RNNCell(4, 5);
        same(rc.forward(x, h), rc.run(x, h));
    }

    @Test
    void rnnUtilsShortFormsTakePyTorchsDefaults() {
        Torch.manualSeed(3);
        Tensor x = Torch.randn(4, 2, 3);
        PackedSequence p = RnnUtils.packPaddedSequence(x, new long[] {4, 2});
        same(RnnUtils.packPaddedSequence(x, new long[] {4, 2}, false, true).data(), p.data());
        RnnUtils.Padded full = RnnUtils.padPackedSequence(p, false, 0.0);
        same(full.padded(), RnnUtils.padPackedSequence(p).padded());
        same(full.padded(), RnnUtils.padPackedSequence(p, false).padded());
        assertEquals(6, RnnUtils.padPackedSequence(p, false, 0.0, 6).padded().size(0));
        assertThrows(IllegalArgumentException.class, () -> RnnUtils.padPackedSequence(p, false, 0.0, -1));
        List<Tensor> seqs = List.of(Torch.randn(3, 2), Torch.randn(1, 2));
        same(RnnUtils.padSequence(seqs, false, 0.0), RnnUtils.padSequence(seqs));
        same(RnnUtils.packSequence(seqs, true).data(), RnnUtils.packSequence(seqs).data());
        Tensor padded = RnnUtils.padSequence(seqs);
        same(RnnUtils.unpadSequence(padded, new long[] {3, 1}, false).get(1),
                RnnUtils.unpadSequence(padded, new long[] {3, 1}).get(1));
    }
}

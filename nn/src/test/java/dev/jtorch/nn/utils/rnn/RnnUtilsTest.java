package dev.jtorch.nn.utils.rnn;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.io.SafeTensors;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Packing and padding against torch.nn.utils.rnn (packing.safetensors), including gradients. */
class RnnUtilsTest {
    static final Map<String, Tensor> G;
    static final Map<String, String> META;

    static {
        try (InputStream in = RnnUtilsTest.class.getResourceAsStream("/goldens/packing.safetensors")) {
            SafeTensors.Reader r = SafeTensors.open(in.readAllBytes());
            G = r.all();
            META = r.metadata();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void packUnsortedAndUnpack() {
        Tensor x = G.get("x").clone().requiresGrad_(true);
        PackedSequence p = RnnUtils.packPaddedSequence(x, new long[] {3, 5, 1, 4}, false, false);
        assertTrue(G.get("pack.data").equal(p.data()));
        assertTrue(G.get("pack.batch_sizes").equal(p.batchSizes()));
        assertTrue(G.get("pack.sorted").equal(p.sortedIndices()));
        assertTrue(G.get("pack.unsorted").equal(p.unsortedIndices()));
        p.data().mul(G.get("pack.w")).sum().backward();
        assertTrue(G.get("pack.grad_x").equal(x.grad()));
        RnnUtils.Padded u = RnnUtils.padPackedSequence(p, true, -1.0, 6);
        assertTrue(G.get("unpack.padded").equal(u.padded()));
        assertTrue(G.get("unpack.lengths").equal(u.lengths()));
    }

    @Test
    void packBatchFirstAndSequences() {
        PackedSequence pb = RnnUtils.packPaddedSequence(G.get("xb"), Torch.tensor(new long[] {4, 2}), true, true);
        assertTrue(G.get("packb.data").equal(pb.data()));
        assertTrue(G.get("packb.batch_sizes").equal(pb.batchSizes()));
        assertNull(pb.sortedIndices());
        List<Tensor> seqs = List.of(G.get("seq0"), G.get("seq1"), G.get("seq2"));
        assertTrue(G.get("padseq").equal(RnnUtils.padSequence(seqs, false, 0.5)));
        assertTrue(G.get("padseq_bf").equal(RnnUtils.padSequence(seqs, true, 0)));
        PackedSequence ps = RnnUtils.packSequence(seqs, false);
        assertTrue(G.get("packseq.data").equal(ps.data()));
        assertTrue(G.get("packseq.batch_sizes").equal(ps.batchSizes()));
        List<Tensor> back = RnnUtils.unpackSequence(ps);
        for (int i = 0; i < 3; i++) {
            assertTrue(seqs.get(i).equal(back.get(i)), "sequence " + i);
        }
        assertEquals(META.get("packseq.repr"),
                RnnUtils.packSequence(List.of(Torch.ones(2), Torch.ones(1)), true).toString());
    }

    @Test
    void invalidLengthsFailClearly() {
        Tensor x = Torch.zeros(4, 3, 2);
        var e = assertThrows(IllegalArgumentException.class,
                () -> RnnUtils.packPaddedSequence(x, new long[] {3, 0, 2}, false, false));
        assertTrue(e.getMessage().contains("greater than 0"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class,
                () -> RnnUtils.packPaddedSequence(x, new long[] {2, 3, 1}, false, true));
        assertTrue(e2.getMessage().contains("must be sorted in decreasing order"), e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class,
                () -> RnnUtils.packPaddedSequence(x, new long[] {5, 3, 1}, false, false));
        assertTrue(e3.getMessage().contains("exceeds the sequence dimension"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class,
                () -> RnnUtils.packPaddedSequence(x, new long[] {4, 3}, false, false));
        assertTrue(e4.getMessage().contains("batch_size=3"), e4.getMessage());
        PackedSequence p = RnnUtils.packPaddedSequence(x, new long[] {4, 3, 1}, false, true);
        var e5 = assertThrows(IllegalArgumentException.class, () -> RnnUtils.padPackedSequence(p, false, 0, 3));
        assertTrue(e5.getMessage().contains("total_length=3 and max sequence length being 4"), e5.getMessage());
    }
}

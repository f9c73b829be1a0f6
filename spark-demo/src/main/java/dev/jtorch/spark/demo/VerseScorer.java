package dev.jtorch.spark.demo;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.examples.CharLm;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.functional.Reduction;

/**
 * The character model of {@code ./jtorch demo} as a scorer of whole texts: input (B, L) character indices as
 * floats, padded with -1 at the end; output (B, 2): the summed negative log-likelihood of each text's
 * characters 2..n given those before, and n - 1. Its state dict is the character model's ({@code rnn.*},
 * {@code head.*}), so the demo's checkpoint loads into it unchanged.
 */
public final class VerseScorer extends Module {
    private final CharLm.Model lm;

    /** The scorer of a character model with these sizes. */
    public VerseScorer(int vocab, int hidden, int layers, boolean gru) {
        lm = new CharLm.Model(vocab, hidden, layers, gru);
        registerModule("rnn", lm.rnn);
        registerModule("head", lm.head);
        registerBuffer("eye", Torch.eye(vocab), false);
    }

    @Override
    public Tensor forward(Tensor x) {
        int b = x.size(0);
        int t = x.size(1) - 1;
        int v = lm.vocab;
        Tensor in = x.narrow(1, 0, t).clampMin(0).to(DType.INT64).transpose(0, 1).contiguous().reshape(t * b);
        Tensor oneHot = buffer("eye").indexSelect(0, in).view(t, b, v);
        Tensor logits = lm.step(oneHot, null)[0].reshape(t * b, v);
        Tensor target = x.narrow(1, 1, t).to(DType.INT64).transpose(0, 1).contiguous().reshape(t * b);
        Tensor nll = F.crossEntropy(logits, target, null, -1, Reduction.NONE, 0).view(t, b).sum(0);
        Tensor count = target.ne(-1).to(nll.dtype()).view(t, b).sum(0);
        return Torch.stack(new Tensor[] {nll, count}, 1);
    }
}

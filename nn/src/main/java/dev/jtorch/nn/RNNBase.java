package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.NnOps;
import dev.jtorch.RnnMode;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.init.Init;
import dev.jtorch.nn.utils.rnn.PackedSequence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Shared machinery of {@link RNN}, {@link LSTM} and {@link GRU}, like {@code torch.nn.RNNBase}: PyTorch's
 * parameters ({@code weight_ih_l{k}[_reverse]}, {@code weight_hh_l{k}}, {@code bias_ih_l{k}},
 * {@code bias_hh_l{k}}, {@code weight_hr_l{k}} with a projection) in PyTorch's order, its initialisation
 * (every parameter from U(-1/sqrt(hidden), 1/sqrt(hidden))), input forms (time-major, batch-first,
 * unbatched 2-D, {@link PackedSequence}) and checks. Each layer and direction runs as one fused engine op
 * with its own backward node ({@link NnOps#rnnLayer}); dropout between layers only in training. As in
 * PyTorch, an empty batch (N = 0) gives empty outputs and states (and zero gradients), and an empty sequence
 * (L = 0) is refused.
 */
public abstract class RNNBase extends Module {
    /** Output, final hidden state and (LSTM) final cell state of a tensor input. */
    public record Output(Tensor output, Tensor hN, Tensor cN) {
    }

    /** Output, final hidden state and (LSTM) final cell state of a packed input. */
    public record PackedOutput(PackedSequence output, Tensor hN, Tensor cN) {
    }

    /** The cell, as PyTorch's {@code mode}: RNN_TANH, RNN_RELU, LSTM or GRU. */
    public final RnnMode mode;
    /** Features of the input. */
    public final int inputSize;
    /** Features of the hidden state. */
    public final int hiddenSize;
    /** Stacked layers. */
    public final int numLayers;
    /** Whether the layers have biases. */
    public final boolean bias;
    /** Input and output are (batch, seq, feature). */
    public final boolean batchFirst;
    /** Dropout probability between layers (training only). */
    public final double dropout;
    /** Whether each layer runs in both directions. */
    public final boolean bidirectional;
    /** LSTM projection size (0: none). */
    public final int projSize;

    RNNBase(RnnMode mode, int inputSize, int hiddenSize, int numLayers, boolean bias, boolean batchFirst,
            double dropout, boolean bidirectional, int projSize, DType dtype) {
        if (inputSize <= 0 || hiddenSize <= 0) {
            throw new IllegalArgumentException("hidden_size must be greater than zero and input_size must be positive,"
                    + " got input_size=" + inputSize + ", hidden_size=" + hiddenSize);
        }
        if (numLayers <= 0) {
            throw new IllegalArgumentException("num_layers must be greater than zero, got " + numLayers);
        }
        if (!(dropout >= 0 && dropout <= 1)) {
            throw new IllegalArgumentException("dropout should be a number in range [0, 1] representing the "
                    + "probability of an element being zeroed, got " + dropout);
        }
        if (projSize < 0) {
            throw new IllegalArgumentException("proj_size should be a positive integer or zero to disable projections");
        }
        if (projSize >= hiddenSize && projSize > 0) {
            throw new IllegalArgumentException("proj_size has to be smaller than hidden_size");
        }
        if (projSize > 0 && mode != RnnMode.LSTM) {
            throw new IllegalArgumentException("proj_size argument is only supported for LSTM, not RNN or GRU");
        }
        this.mode = mode;
        this.inputSize = inputSize;
        this.hiddenSize = hiddenSize;
        this.numLayers = numLayers;
        this.bias = bias;
        this.batchFirst = batchFirst;
        this.dropout = dropout;
        this.bidirectional = bidirectional;
        this.projSize = projSize;
        int g = mode.gates();
        int real = projSize > 0 ? projSize : hiddenSize;
        int dirs = bidirectional ? 2 : 1;
        for (int l = 0; l < numLayers; l++) {
            int layerIn = l == 0 ? inputSize : real * dirs;
            for (int d = 0; d < dirs; d++) {
                String sfx = "_l" + l + (d == 1 ? "_reverse" : "");
                registerParameter("weight_ih" + sfx, new Parameter(Torch.empty(dtype, g * hiddenSize, layerIn)));
                registerParameter("weight_hh" + sfx, new Parameter(Torch.empty(dtype, g * hiddenSize, real)));
                if (bias) {
                    registerParameter("bias_ih" + sfx, new Parameter(Torch.empty(dtype, g * hiddenSize)));
                    registerParameter("bias_hh" + sfx, new Parameter(Torch.empty(dtype, g * hiddenSize)));
                }
                if (projSize > 0) {
                    registerParameter("weight_hr" + sfx, new Parameter(Torch.empty(dtype, projSize, hiddenSize)));
                }
            }
        }
        resetParameters();
    }

    /** Every parameter from U(-1/sqrt(hiddenSize), 1/sqrt(hiddenSize)), in registration order. */
    public void resetParameters() {
        double stdv = 1.0 / Math.sqrt(hiddenSize);
        for (Parameter p : parameters()) {
            Init.uniform_(p, -stdv, stdv);
        }
    }

    int directions() {
        return bidirectional ? 2 : 1;
    }

    int outSize() {
        return projSize > 0 ? projSize : hiddenSize;
    }

    private Tensor param(String kind, int layer, int dir) {
        return attr(kind + "_l" + layer + (dir == 1 ? "_reverse" : ""));
    }

    private Tensor optParam(String kind, int layer, int dir) {
        return optAttr(kind + "_l" + layer + (dir == 1 ? "_reverse" : ""));
    }

    /** The layers over packed rows; h0/c0 are (D*L, B, *) in packed (sorted) batch order. */
    Tensor[] runPacked(Tensor x, long[] batchSizes, Tensor h0, Tensor c0) {
        Tensor layerIn = x;
        List<Tensor> hs = new ArrayList<>();
        List<Tensor> cs = new ArrayList<>();
        int dirs = directions();
        for (int l = 0; l < numLayers; l++) {
            Tensor[] outs = new Tensor[dirs];
            for (int d = 0; d < dirs; d++) {
                int idx = l * dirs + d;
                Tensor wih = param("weight_ih", l, d);
                if (l == 0 && d == 0) {
                    checkDtype(x, wih.dtype());   // a parametrized weight is computed once per forward: here
                }
                Tensor[] r = NnOps.rnnLayer(mode, layerIn, batchSizes, d == 1, wih,
                        param("weight_hh", l, d), optParam("bias_ih", l, d), optParam("bias_hh", l, d),
                        projSize > 0 ? param("weight_hr", l, d) : null, h0.select(0, idx),
                        c0 == null ? null : c0.select(0, idx));
                outs[d] = r[0];
                hs.add(r[1]);
                if (r[2] != null) {
                    cs.add(r[2]);
                }
            }
            Tensor out = dirs == 1 ? outs[0] : Torch.cat(outs, 1);
            if (dropout > 0 && isTraining() && l < numLayers - 1) {
                out = F.dropout(out, dropout, true, false);
            }
            layerIn = out;
        }
        Tensor hN = Torch.stack(hs.toArray(new Tensor[0]), 0);
        Tensor cN = cs.isEmpty() ? null : Torch.stack(cs.toArray(new Tensor[0]), 0);
        return new Tensor[] {layerIn, hN, cN};
    }

    void checkInputFeatures(Tensor x) {
        if (x.size(-1) != inputSize) {
            throw new IllegalArgumentException("input.size(-1) must be equal to input_size. Expected " + inputSize
                    + ", got " + x.size(-1));
        }
        if (hasParameter("weight_ih_l0")) {
            // the common case, checked before anything else; a parametrized weight is checked in runPacked
            checkDtype(x, optAttr("weight_ih_l0").dtype());
        }
    }

    private static void checkDtype(Tensor x, DType expected) {
        if (x.dtype() != expected) {
            throw new IllegalArgumentException("input must have the type " + expected + ", got type " + x.dtype());
        }
    }

    static String tuple(int... v) {
        return Repr.tuple(v);
    }

    Tensor state(Tensor given, int batch, int size, boolean unbatched, String what, Tensor like) {
        int layers = numLayers * directions();
        if (given == null) {
            return like.newZeros(like.dtype(), layers, batch, size);
        }
        if (unbatched && given.dim() != 2) {
            throw new IllegalArgumentException("For unbatched 2-D input, " + what + " should also be 2-D but got "
                    + given.dim() + "-D tensor");
        }
        if (!unbatched && given.dim() != 3) {
            throw new IllegalArgumentException("For batched 3-D input, " + what + " should also be 3-D but got "
                    + given.dim() + "-D tensor");
        }
        Tensor g = unbatched ? given.unsqueeze(1) : given;
        int[] expected = {layers, batch, size};
        if (!Arrays.equals(g.shape(), expected)) {
            int[] shown = unbatched ? new int[] {layers, size} : expected;
            throw new IllegalArgumentException("Expected " + (what.equals("hx") ? "hidden" : what) + " size "
                    + tuple(shown) + ", got " + Arrays.toString(given.shape()));
        }
        return g;
    }

    /**
     * The initial states a layer was given: null (zeros), or exactly {@code count} tensors; LSTM words a wrong
     * count as ATen's lstm does (PyTorch's Python module fails earlier, on the tuple index).
     */
    static Tensor[] states(Tensor[] hx, int count, String op) {
        if (hx != null && hx.length != count) {
            throw new IllegalArgumentException(count == 2 ? op + " expects two hidden states"
                    : op + " expects one hidden state, got " + hx.length);
        }
        return hx;
    }

    /** Runs a tensor input; hx / cx may be null (zeros). */
    Output runTensor(Tensor input, Tensor hx, Tensor cx, String hName, String cName) {
        if (input.dim() != 2 && input.dim() != 3) {
            throw new IllegalArgumentException(name() + ": Expected input to be 2-D or 3-D but received "
                    + input.dim() + "-D tensor");
        }
        checkInputFeatures(input);
        boolean unbatched = input.dim() == 2;
        Tensor x = unbatched ? input.unsqueeze(1) : batchFirst ? input.transpose(0, 1) : input;
        int t = x.size(0);
        int b = x.size(1);
        Tensor h0 = state(hx, b, outSize(), unbatched, hName, x);
        Tensor c0 = mode == RnnMode.LSTM ? state(cx, b, hiddenSize, unbatched, cName, x) : null;
        if (t == 0) {
            throw new IllegalArgumentException("Expected sequence length to be larger than 0 in RNN");
        }
        long[] bs = new long[t];
        Arrays.fill(bs, b);
        Tensor[] r = runPacked(x.contiguous().reshape(t * b, inputSize), bs, h0, c0);
        Tensor out = r[0].view(t, b, r[0].size(1));
        if (unbatched) {
            return new Output(out.squeeze(1), r[1].squeeze(1), r[2] == null ? null : r[2].squeeze(1));
        }
        return new Output(batchFirst ? out.transpose(0, 1) : out, r[1], r[2]);
    }

    /** Runs a packed input; states are in the caller's batch order. */
    PackedOutput runPackedInput(PackedSequence input, Tensor hx, Tensor cx, String hName, String cName) {
        checkInputFeatures(input.data());
        long[] bs = input.batchSizes().toLongArray();
        int b = (int) bs[0];
        Tensor h0 = state(hx, b, outSize(), false, hName, input.data());
        Tensor c0 = mode == RnnMode.LSTM ? state(cx, b, hiddenSize, false, cName, input.data()) : null;
        if (input.sortedIndices() != null) {
            h0 = h0.indexSelect(1, input.sortedIndices());
            if (c0 != null) {
                c0 = c0.indexSelect(1, input.sortedIndices());
            }
        }
        Tensor[] r = runPacked(input.data(), bs, h0, c0);
        Tensor hN = r[1];
        Tensor cN = r[2];
        if (input.unsortedIndices() != null) {
            hN = hN.indexSelect(1, input.unsortedIndices());
            if (cN != null) {
                cN = cN.indexSelect(1, input.unsortedIndices());
            }
        }
        return new PackedOutput(input.withData(r[0]), hN, cN);
    }

    /**
     * {@code output, h_n = rnn(input)} from zero initial states: the output with the final states (for an LSTM
     * also c_n), typed. {@link #forward(Tensor)} returns the output only, so the layer fits in a Sequential.
     */
    public Output run(Tensor input) {
        return runTensor(input, null, null, "hx", "cx");
    }

    /** {@link #run(Tensor)} over a packed input: a packed output and the final states. */
    public PackedOutput run(PackedSequence input) {
        return runPackedInput(input, null, null, "hx", "cx");
    }

    /** Both states or neither: a lone one fails with ATen's message. */
    static void bothOrNeither(Tensor h0, Tensor c0) {
        if ((h0 == null) != (c0 == null)) {
            throw new IllegalArgumentException("lstm expects two hidden states: h0 and c0 are both given or both "
                    + "null (zeros), got " + (h0 == null ? "c0" : "h0") + " alone");
        }
    }

    /** The output sequence only (so the layer fits in a Sequential). */
    @Override
    public Tensor forward(Tensor input) {
        return runTensor(input, null, null, "hx", "cx").output();
    }

    @Override
    public String extraRepr() {
        StringBuilder s = new StringBuilder(inputSize + ", " + hiddenSize);
        if (projSize != 0) {
            s.append(", proj_size=").append(projSize);
        }
        if (numLayers != 1) {
            s.append(", num_layers=").append(numLayers);
        }
        if (!bias) {
            s.append(", bias=False");
        }
        if (batchFirst) {
            s.append(", batch_first=True");
        }
        if (dropout != 0) {
            s.append(", dropout=").append(Repr.num(dropout));
        }
        if (bidirectional) {
            s.append(", bidirectional=True");
        }
        return s.toString();
    }
}

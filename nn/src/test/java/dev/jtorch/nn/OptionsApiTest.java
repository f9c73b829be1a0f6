package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.functional.Reduction;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Options objects (issue 13): a module built from options equals the one built from the positional constructor
 * with the same arguments (repr, parameters after the same seed, output), the F overloads taking a loss's options
 * equal the positional ones, and what a layer does not take is refused with PyTorch's message.
 */
class OptionsApiTest {
    static void sameModule(Supplier<Module> a, Supplier<Module> b, Tensor... x) {
        Torch.manualSeed(5);
        Module ma = a.get();
        Torch.manualSeed(5);
        Module mb = b.get();
        assertEquals(ma.toString(), mb.toString());
        Map<String, Tensor> sa = ma.stateDict();
        Map<String, Tensor> sb = mb.stateDict();
        assertEquals(sa.keySet(), sb.keySet());
        for (String k : sa.keySet()) {
            assertEquals(sa.get(k).dtype(), sb.get(k).dtype(), k);
            assertArrayEquals(sa.get(k).toDoubleArray(), sb.get(k).toDoubleArray(), 0.0, k);
        }
        if (x.length > 0) {
            Torch.manualSeed(6);
            double[] ya = ma.call(x).toDoubleArray();
            Torch.manualSeed(6);
            assertArrayEquals(ya, mb.call(x).toDoubleArray(), 0.0);
        }
    }

    @Test
    void recurrentLayersFromOptions() {
        Tensor x = Torch.randn(4, 3, 5).float64();
        sameModule(() -> new LSTM(LSTM.options(5, 7).numLayers(2).bidirectional(true).batchFirst(true).dropout(0.25)
                        .projSize(3).bias(false).dtype(DType.FLOAT64)),
                () -> new LSTM(5, 7, 2, false, true, 0.25, true, 3, DType.FLOAT64), x);
        sameModule(() -> new GRU(GRU.options(5, 7).numLayers(3).dtype(DType.FLOAT64)),
                () -> new GRU(5, 7, 3, true, false, 0, false, DType.FLOAT64), x);
        sameModule(() -> new RNN(RNN.options(5, 7).nonlinearity(Nonlinearity.RELU).dtype(DType.FLOAT64)),
                () -> new RNN(5, 7, 1, Nonlinearity.RELU, true, false, 0, false, DType.FLOAT64), x);
        sameModule(() -> new RNN(RNN.options(5, 7)), () -> new RNN(5, 7));
        var e = assertThrows(IllegalArgumentException.class, () -> new GRU(GRU.options(5, 7).projSize(2)));
        assertEquals("proj_size argument is only supported for LSTM, not RNN or GRU", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new LSTM(LSTM.options(5, 7).nonlinearity(Nonlinearity.RELU)));
        assertThrows(IllegalArgumentException.class, () -> new LSTM((RnnOptions) null));
        // the constructors' own checks still apply
        assertThrows(IllegalArgumentException.class, () -> new LSTM(LSTM.options(5, 7).numLayers(0)));
    }

    @Test
    void layerNormAndLossesFromOptions() {
        Tensor x = Torch.randn(3, 4, 6);
        sameModule(() -> new LayerNorm(LayerNorm.options(4, 6).eps(1e-3).bias(false)),
                () -> new LayerNorm(new int[] {4, 6}, 1e-3, true, false), x);
        Torch.manualSeed(9);
        Tensor in = Torch.randn(5, 4).float64();
        Tensor t = Torch.tensor(new long[] {0, 3, 2, 1, 3});
        Tensor w = Torch.rand(4).float64();
        sameModule(() -> new CrossEntropyLoss(CrossEntropyLoss.options().weight(w).ignoreIndex(2)
                .reduction(Reduction.SUM).labelSmoothing(0.1)),
                () -> new CrossEntropyLoss(w, 2, Reduction.SUM, 0.1), in, t);
        assertEquals(F.crossEntropy(in, t, w, 2, Reduction.SUM, 0.1).item(),
                F.crossEntropy(in, t, CrossEntropyLoss.options().weight(w).ignoreIndex(2).reduction(Reduction.SUM)
                        .labelSmoothing(0.1)).item());
        assertEquals(F.crossEntropy(in, t).item(), F.crossEntropy(in, t, null).item());
        sameModule(() -> new MultiMarginLoss(MultiMarginLoss.options().p(2).margin(0.5)),
                () -> new MultiMarginLoss(2, 0.5, null, Reduction.MEAN), in, t);
        assertEquals(F.multiMarginLoss(in, t, 2, 0.5, null, Reduction.MEAN).item(),
                F.multiMarginLoss(in, t, MultiMarginLoss.options().p(2).margin(0.5)).item());
        Tensor rate = Torch.rand(5, 4).float64();
        Tensor count = Torch.rand(5, 4).mul(3).floor().float64();
        sameModule(() -> new PoissonNLLLoss(PoissonNLLLoss.options().logInput(false).full(true)),
                () -> new PoissonNLLLoss(false, true, 1e-8, Reduction.MEAN), rate, count);
        assertEquals(F.poissonNllLoss(rate, count, false, true, 1e-8, Reduction.MEAN).item(),
                F.poissonNllLoss(rate, count, PoissonNLLLoss.options().logInput(false).full(true)).item());
        Tensor a = Torch.randn(5, 4).float64();
        Tensor p = Torch.randn(5, 4).float64();
        Tensor n = Torch.randn(5, 4).float64();
        sameModule(() -> new TripletMarginLoss(TripletMarginLoss.options().margin(0.5).p(1).swap(true)),
                () -> new TripletMarginLoss(0.5, 1, 1e-6, true, Reduction.MEAN), a, p, n);
        assertEquals(F.tripletMarginLoss(a, p, n, 0.5, 1, 1e-6, true, Reduction.MEAN).item(),
                F.tripletMarginLoss(a, p, n, TripletMarginLoss.options().margin(0.5).p(1).swap(true)).item());
        sameModule(() -> new TripletMarginWithDistanceLoss(TripletMarginWithDistanceLoss.options().margin(0.5)),
                () -> new TripletMarginWithDistanceLoss(null, 0.5, false, Reduction.MEAN), a, p, n);
        var e = assertThrows(IllegalArgumentException.class, () -> new CrossEntropyLoss((CrossEntropyOptions) null));
        assertTrue(e.getMessage().contains("CrossEntropyLoss.options()"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new LayerNorm((LayerNormOptions) null));
    }

    @Test
    void layersRefuseNullOptions() {
        java.util.List<org.junit.jupiter.api.function.Executable> calls = java.util.List.of(
                () -> new Conv2d((ConvOptions) null), () -> new ConvTranspose1d((ConvOptions) null),
                () -> new MaxPool2d((MaxPoolOptions) null), () -> new AvgPool3d((AvgPoolOptions) null),
                () -> new BatchNorm1d((NormOptions) null), () -> new InstanceNorm2d((NormOptions) null),
                () -> new Embedding((EmbeddingOptions) null), () -> new EmbeddingBag((EmbeddingOptions) null),
                () -> new FractionalMaxPool2d((FractionalMaxPoolOptions) null));
        for (var c : calls) {
            var e = assertThrows(IllegalArgumentException.class, c);
            assertTrue(e.getMessage().contains("options must not be null"), e.getMessage());
        }
    }

    @Test
    void optimizersRefuseNullOptions() {
        java.util.List<Parameter> ps = new Linear(2, 2).parameters();
        java.util.List<org.junit.jupiter.api.function.Executable> calls = java.util.List.of(
                () -> new dev.jtorch.optim.SGD(ps, (dev.jtorch.optim.SGDOptions) null),
                () -> new dev.jtorch.optim.Adam(ps, (dev.jtorch.optim.AdamOptions) null),
                () -> new dev.jtorch.optim.AdamW(ps, (dev.jtorch.optim.AdamOptions) null),
                () -> new dev.jtorch.optim.RMSprop(ps, (dev.jtorch.optim.RMSpropOptions) null),
                () -> new dev.jtorch.optim.Adagrad(ps, (dev.jtorch.optim.AdagradOptions) null),
                () -> new dev.jtorch.optim.Adadelta(ps, (dev.jtorch.optim.AdadeltaOptions) null),
                () -> new dev.jtorch.optim.NAdam(ps, (dev.jtorch.optim.NAdamOptions) null),
                () -> new dev.jtorch.optim.LBFGS(ps, (dev.jtorch.optim.LBFGSOptions) null));
        for (var c : calls) {
            var e = assertThrows(IllegalArgumentException.class, c);
            assertTrue(e.getMessage().contains("options must not be null"), e.getMessage());
        }
    }
}

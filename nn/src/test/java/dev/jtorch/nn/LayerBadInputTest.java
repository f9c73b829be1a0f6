package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.nn.functional.EmbeddingBagMode;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.functional.PadMode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Bad inputs and arguments of the convolution, pooling, padding, normalization and sparse layers fail before
 * any work with PyTorch's message: each case mirrors one of tools/parity/nn_layer_cases.py's ERRORS, whose
 * PyTorch 1.13 message (layer_errors.safetensors) the jtorch message must contain.
 */
class LayerBadInputTest {
    static final Map<String, String> PYTORCH;

    static {
        try (InputStream in = LayerBadInputTest.class.getResourceAsStream("/goldens/layer_errors.safetensors")) {
            PYTORCH = SafeTensors.open(in.readAllBytes()).metadata();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static Tensor x4() {
        return Torch.randn(2, 3, 8, 8);
    }

    static Tensor longs(long... v) {
        return Torch.tensor(v, v.length);
    }

    static int[] a(int... v) {
        return v;
    }

    static final Map<String, Runnable> CASES = new LinkedHashMap<>();

    private static void c(String name, Runnable r) {
        CASES.put(name, r);
    }

    static {
        c("conv_channels", () -> new Conv2d(4, 5, 3).call(x4()));
        c("conv_input_rank", () -> new Conv2d(3, 5, 3).call(Torch.randn(5)));
        c("conv1d_input_rank", () -> new Conv1d(3, 5, 3).call(Torch.randn(2, 3, 4, 5)));
        c("conv_kernel_too_big", () -> new Conv2d(3, 5, 9).call(x4()));
        c("conv_groups_in", () -> new Conv2d(Conv2d.options(3, 6, 3).groups(2)));
        c("conv_groups_out", () -> new Conv2d(Conv2d.options(4, 6, 3).groups(4)));
        c("conv_groups_zero", () -> new Conv2d(Conv2d.options(4, 6, 3).groups(0)));
        c("conv_same_strided", () -> new Conv2d(Conv2d.options(3, 6, 3).padding("same").stride(2)));
        c("F_conv_stride0", () -> F.conv2d(x4(), Torch.randn(5, 3, 3, 3), null, a(0), a(0), a(1), 1));
        c("F_conv_negative_padding", () -> F.conv2d(x4(), Torch.randn(5, 3, 3, 3), null, a(1), a(-1), a(1), 1));
        c("F_conv_dilation0", () -> F.conv2d(x4(), Torch.randn(5, 3, 3, 3), null, a(1), a(0), a(0), 1));
        c("F_conv_bias", () -> F.conv2d(x4(), Torch.randn(5, 3, 3, 3), Torch.randn(4)));
        c("F_conv_dtype", () -> F.conv2d(x4().float64(), Torch.randn(5, 3, 3, 3)));
        c("convT_channels", () -> new ConvTranspose2d(4, 5, 3).call(x4()));
        c("convT_output_padding", () -> new ConvTranspose2d(ConvTranspose2d.options(3, 5, 3).stride(2)
                .outputPadding(2)).call(x4()));
        c("convT_output_size", () -> new ConvTranspose2d(ConvTranspose2d.options(3, 5, 3).stride(2))
                .forward(x4(), a(30, 30)));
        c("convT_padding_mode", () -> new ConvTranspose2d(ConvTranspose2d.options(3, 5, 3)
                .paddingMode(PadMode.REFLECT)));
        c("maxpool_padding", () -> new MaxPool2d(MaxPool2d.options(3).padding(2)).call(x4()));
        c("maxpool_too_small", () -> new MaxPool2d(9).call(x4()));
        c("maxpool_rank", () -> new MaxPool2d(2).call(Torch.randn(3, 4)));
        c("maxpool3d_rank", () -> new MaxPool3d(2).call(Torch.randn(2, 3, 4)));
        c("maxpool1d_kernel0", () -> F.maxPool1d(Torch.randn(2, 3, 8), 0));
        c("maxpool1d_padding", () -> F.maxPool1d(Torch.randn(2, 3, 8), a(3), a(1), a(2), a(1), false));
        c("maxpool2d_kernel0", () -> F.maxPool2d(x4(), a(0), a(1), a(0), a(1), false));
        c("maxpool3d_kernel0", () -> F.maxPool3d(Torch.randn(2, 3, 8, 8, 8), a(0), a(1), a(0), a(1), false));
        c("maxpool_long", () -> F.maxPool2d(x4().int64(), 2));
        c("avgpool_padding", () -> new AvgPool2d(AvgPool2d.options(3).padding(2)).call(x4()));
        c("avgpool_too_small", () -> new AvgPool2d(9).call(x4()));
        c("avgpool_divisor0", () -> new AvgPool2d(AvgPool2d.options(2).divisorOverride(0)).call(x4()));
        c("avgpool1d_rank", () -> F.avgPool1d(Torch.randn(8), 2));
        c("adaptive_avg_rank", () -> new AdaptiveAvgPool2d(2).call(Torch.randn(3, 4)));
        c("adaptive_max_rank", () -> new AdaptiveMaxPool2d(2).call(Torch.randn(3, 4)));
        c("adaptive_avg3d_rank", () -> F.adaptiveAvgPool3d(Torch.randn(8, 8), 2));
        c("unpool_output_size", () -> new MaxUnpool2d(2).forward(Torch.randn(1, 1, 2, 2),
                Torch.zeros(DType.INT64, 1, 1, 2, 2), a(9, 9)));
        c("unpool_index", () -> new MaxUnpool2d(2).call(Torch.randn(1, 1, 2, 2),
                Torch.full(a(1, 1, 2, 2), 99, DType.INT64)));
        c("unpool_shapes", () -> F.maxUnpool2d(Torch.randn(1, 1, 2, 2), Torch.zeros(DType.INT64, 1, 1, 2, 3), a(2),
                null, a(0), null));
        c("unpool_rank", () -> F.maxUnpool2d(Torch.randn(4, 4), Torch.zeros(DType.INT64, 4, 4), a(2), null, a(0),
                null));
        c("unpool_index_dtype", () -> F.maxUnpool2d(Torch.randn(1, 1, 2, 2), Torch.zeros(1, 1, 2, 2), a(2), null,
                a(0), null));
        c("frac_no_size", () -> new FractionalMaxPool2d(FractionalMaxPool2d.options(2)));
        c("frac_both", () -> new FractionalMaxPool2d(FractionalMaxPool2d.options(2).outputSize(3).outputRatio(0.5)));
        c("frac_ratio", () -> new FractionalMaxPool2d(FractionalMaxPool2d.options(2).outputRatio(1.5)));
        c("frac_too_large", () -> new FractionalMaxPool2d(FractionalMaxPool2d.options(2).outputSize(9, 9)).call(x4()));
        c("bn_channels", () -> new BatchNorm2d(4).call(x4()));
        c("bn_rank", () -> new BatchNorm2d(3).call(Torch.randn(3, 4)));
        c("bn1d_rank", () -> new BatchNorm1d(3).call(Torch.randn(3, 4, 5, 6)));
        c("bn3d_rank", () -> new BatchNorm3d(3).call(Torch.randn(3, 4)));
        c("bn_one_value", () -> new BatchNorm1d(3).call(Torch.randn(1, 3)));
        c("bn_eval_notrack_weight", () -> new BatchNorm2d(BatchNorm2d.options(4).trackRunningStats(false)).eval()
                .call(x4()));
        c("ln_shape", () -> new LayerNorm(5).call(x4()));
        c("ln_weight", () -> F.layerNorm(x4(), a(8), Torch.ones(7), null, 1e-5));
        c("gn_groups", () -> new GroupNorm(2, 3));
        c("gn_channels", () -> new GroupNorm(2, 4).call(x4()));
        c("in_rank", () -> new InstanceNorm2d(3).call(Torch.randn(3, 4)));
        c("in1d_rank", () -> new InstanceNorm1d(3).call(Torch.randn(3)));
        c("in_one_spatial", () -> new InstanceNorm1d(3).call(Torch.randn(2, 3, 1)));
        c("lrn_rank", () -> new LocalResponseNorm(2).call(Torch.randn(3, 4)));
        c("emb_index", () -> new Embedding(5, 3).call(longs(7)));
        c("emb_negative_index", () -> new Embedding(5, 3).call(longs(-1)));
        c("emb_float_index", () -> new Embedding(5, 3).call(Torch.tensor(new float[] {1}, 1)));
        c("emb_padding", () -> new Embedding(Embedding.options(5, 3).paddingIdx(7L)));
        c("bag_offset0", () -> new EmbeddingBag(5, 3).call(longs(1, 2), longs(1)));
        c("bag_2d_offsets", () -> new EmbeddingBag(5, 3).call(Torch.tensor(new long[] {1, 2}, 1, 2), longs(0)));
        c("bag_psw_mode", () -> new EmbeddingBag(EmbeddingBag.options(5, 3).mode(EmbeddingBagMode.MAX))
                .call(longs(1, 2), longs(0), Torch.tensor(new float[] {1, 2}, 2)));
        c("bag_no_offsets", () -> new EmbeddingBag(5, 3).call(longs(1, 2)));
        c("bag_offsets_past_end", () -> new EmbeddingBag(5, 3).call(longs(1, 2, 3), longs(0, 5)));
        c("bag_psw_shape", () -> new EmbeddingBag(EmbeddingBag.options(5, 3).mode(EmbeddingBagMode.SUM))
                .call(longs(1, 2, 3), longs(0), Torch.ones(2)));
        c("bag_3d", () -> new EmbeddingBag(5, 3).call(Torch.zeros(DType.INT64, 1, 1, 1)));
        c("bag_max_scale", () -> F.embeddingBag(longs(1, 2), Torch.randn(5, 3), longs(0), null, 2, true,
                EmbeddingBagMode.MAX, false, null, false, null));
        c("pad_reflect_too_large", () -> F.pad(Torch.randn(1, 2, 3), a(3, 3), PadMode.REFLECT));
        c("pad_odd_length", () -> F.pad(Torch.randn(1, 2, 3), 1));
        c("pad_too_long", () -> F.pad(Torch.randn(2, 3), 1, 1, 1, 1, 1, 1));
        c("pad_circular_twice", () -> F.pad(Torch.randn(1, 2, 3), a(4, 4), PadMode.CIRCULAR));
        c("pad_value_reflect", () -> F.pad(Torch.randn(1, 2, 3), a(1, 1), PadMode.REFLECT, 2.0));
        c("pad_replicate_rank", () -> F.pad(Torch.randn(3), a(1, 1), PadMode.REPLICATE));
        c("one_hot_small", () -> F.oneHot(longs(3), 2));
        c("one_hot_negative", () -> F.oneHot(longs(-1), 2));
        c("one_hot_float", () -> F.oneHot(Torch.ones(1), 2));
        c("fold_blocks", () -> F.fold(Torch.randn(1, 12, 10), a(4, 5), 2));
        c("fold_channels", () -> F.fold(Torch.randn(1, 13, 12), a(4, 5), 2));
        c("fold_rank", () -> F.fold(Torch.randn(12), a(4, 5), 2));
        c("unfold_kernel", () -> F.unfold(x4(), 9));
        c("cos_sizes", () -> F.cosineSimilarity(Torch.randn(2, 3), Torch.randn(2, 4)));
    }

    @TestFactory
    List<DynamicTest> everyBadInputFailsWithPyTorchsMessage() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : CASES.entrySet()) {
            tests.add(DynamicTest.dynamicTest(e.getKey(), () -> {
                String expected = PYTORCH.get("err." + e.getKey());
                assertTrue(expected != null, "no PyTorch message for " + e.getKey());
                RuntimeException ex = assertThrows(RuntimeException.class, e.getValue()::run, e.getKey());
                assertTrue(ex.getMessage() != null && ex.getMessage().contains(expected),
                        e.getKey() + ":\n  jtorch:  " + ex.getMessage() + "\n  PyTorch: " + expected);
            }));
        }
        return tests;
    }

    @Test
    void everyPyTorchCaseHasAJavaCase() {
        TreeSet<String> golden = new TreeSet<>();
        for (String k : PYTORCH.keySet()) {
            if (k.startsWith("err.")) {
                golden.add(k.substring(4));
            }
        }
        assertEquals(golden, new TreeSet<>(CASES.keySet()));
    }

    @Test
    void paddingStringsAndSparseGradients() {
        RuntimeException e = assertThrows(IllegalArgumentException.class,
                () -> new Conv2d(Conv2d.options(3, 6, 3).padding("foo")));
        assertTrue(e.getMessage().startsWith("Invalid padding string 'foo', should be one of"), e.getMessage());
        e = assertThrows(UnsupportedOperationException.class,
                () -> new Embedding(Embedding.options(5, 3).sparse(true)));
        assertTrue(e.getMessage().contains("sparse"), e.getMessage());
        e = assertThrows(UnsupportedOperationException.class, () -> F.embedding(longs(1), Torch.randn(5, 3), null, null,
                2, false, true));
        assertTrue(e.getMessage().contains("dense gradients"), e.getMessage());
    }
}

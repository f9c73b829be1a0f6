package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.functional.EmbeddingBagMode;
import dev.jtorch.nn.functional.InterpolationMode;
import dev.jtorch.nn.functional.PadMode;
import dev.jtorch.nn.functional.Reduction;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/** The Java side of tools/parity/gen_nn_goldens.py: the same constructor per case name. */
final class ModuleCases {
    private ModuleCases() {
    }

    static final Map<String, Supplier<Module>> CASES = new LinkedHashMap<>();

    private static void c(String name, Supplier<Module> ctor) {
        CASES.put(name, ctor);
    }

    static {
        c("Identity", Identity::new);
        c("Linear", () -> new Linear(5, 3));
        c("Linear_nobias", () -> new Linear(5, 3, false));
        c("Bilinear", () -> new Bilinear(3, 4, 2));
        c("Flatten", Flatten::new);
        c("Unflatten", () -> new Unflatten(1, 2, 3));
        c("ReLU", ReLU::new);
        c("ReLU6", ReLU6::new);
        c("LeakyReLU", () -> new LeakyReLU(0.2, false));
        c("PReLU", PReLU::new);
        c("PReLU_channels", () -> new PReLU(3, 0.1));
        c("RReLU", () -> new RReLU(0.1, 0.3, false));
        c("RReLU_train", () -> new RReLU(0.1, 0.3, false));
        c("ELU", () -> new ELU(0.7, false));
        c("CELU", () -> new CELU(1.3, false));
        c("SELU", SELU::new);
        c("GELU", GELU::new);
        c("GELU_tanh", () -> new GELU("tanh"));
        c("SiLU", SiLU::new);
        c("Mish", Mish::new);
        c("Sigmoid", Sigmoid::new);
        c("Tanh", Tanh::new);
        c("Hardtanh", () -> new Hardtanh(-0.5, 0.7, false));
        c("Hardsigmoid", Hardsigmoid::new);
        c("Hardswish", Hardswish::new);
        c("Hardshrink", () -> new Hardshrink(0.3));
        c("Softshrink", () -> new Softshrink(0.3));
        c("Tanhshrink", Tanhshrink::new);
        c("Softsign", Softsign::new);
        c("Softplus", () -> new Softplus(2, 1.5));
        c("LogSigmoid", LogSigmoid::new);
        c("Threshold", () -> new Threshold(0.1, 20.0));
        c("GLU", GLU::new);
        c("Softmax", () -> new Softmax(1));
        c("Softmin", () -> new Softmin(0));
        c("Softmax2d", Softmax2d::new);
        c("LogSoftmax", () -> new LogSoftmax(1));
        c("Dropout", () -> new Dropout(0.3, false));
        c("Dropout_train", () -> new Dropout(0.3, false));
        c("Dropout1d_train", () -> new Dropout1d(0.4, false));
        c("Dropout2d_train", () -> new Dropout2d(0.4, false));
        c("Dropout3d_train", () -> new Dropout3d(0.4, false));
        c("AlphaDropout_train", () -> new AlphaDropout(0.2, false));
        c("FeatureAlphaDropout_train", () -> new FeatureAlphaDropout(0.2, false));
        c("Sequential", () -> new Sequential(new Linear(4, 6), new Tanh(), new Linear(6, 2)));
        c("Sequential_named", () -> {
            LinkedHashMap<String, Module> m = new LinkedHashMap<>();
            m.put("fc", new Linear(4, 3));
            m.put("act", new ReLU());
            m.put("out", new Linear(3, 2, false));
            return new Sequential(m);
        });
    }

    static Tensor lin(int n) {
        return Torch.linspace(0.5, 2.0, n);
    }

    static {
        c("L1Loss", L1Loss::new);
        c("L1Loss_sum", () -> new L1Loss(Reduction.SUM));
        c("MSELoss", MSELoss::new);
        c("MSELoss_none", () -> new MSELoss(Reduction.NONE));
        c("CrossEntropyLoss", CrossEntropyLoss::new);
        c("CrossEntropyLoss_weighted", () -> new CrossEntropyLoss(lin(5), 2, Reduction.MEAN, 0.1));
        c("CrossEntropyLoss_smooth", () -> new CrossEntropyLoss(null, 1, Reduction.MEAN, 0.2));
        c("CrossEntropyLoss_probs", () -> new CrossEntropyLoss(lin(5), -100, Reduction.MEAN, 0.05));
        c("CrossEntropyLoss_3d_none", () -> new CrossEntropyLoss(null, -100, Reduction.NONE, 0));
        c("CrossEntropyLoss_unbatched", CrossEntropyLoss::new);
        c("NLLLoss", NLLLoss::new);
        c("NLLLoss_weighted_sum", () -> new NLLLoss(lin(5), -100, Reduction.SUM));
        c("NLLLoss_weighted_mean", () -> new NLLLoss(lin(5), 0, Reduction.MEAN));
        c("PoissonNLLLoss", PoissonNLLLoss::new);
        c("PoissonNLLLoss_full", () -> new PoissonNLLLoss(false, true, 1e-8, Reduction.MEAN));
        c("GaussianNLLLoss", GaussianNLLLoss::new);
        c("GaussianNLLLoss_full", () -> new GaussianNLLLoss(true, 1e-6, Reduction.SUM));
        c("KLDivLoss", () -> new KLDivLoss(Reduction.BATCHMEAN, false));
        c("KLDivLoss_log_target", () -> new KLDivLoss(Reduction.SUM, true));
        c("BCELoss", () -> new BCELoss(lin(4), Reduction.MEAN));
        c("BCEWithLogitsLoss", BCEWithLogitsLoss::new);
        c("BCEWithLogitsLoss_pos_weight", () -> new BCEWithLogitsLoss(lin(4), Reduction.MEAN, lin(4)));
        c("MarginRankingLoss", () -> new MarginRankingLoss(0.3, Reduction.MEAN));
        c("HingeEmbeddingLoss", () -> new HingeEmbeddingLoss(0.8, Reduction.MEAN));
        c("MultiLabelMarginLoss", MultiLabelMarginLoss::new);
        c("HuberLoss", () -> new HuberLoss(Reduction.MEAN, 0.7));
        c("SmoothL1Loss", () -> new SmoothL1Loss(Reduction.MEAN, 0.6));
        c("SoftMarginLoss", SoftMarginLoss::new);
        c("MultiLabelSoftMarginLoss", () -> new MultiLabelSoftMarginLoss(lin(4), Reduction.MEAN));
        c("CosineEmbeddingLoss", () -> new CosineEmbeddingLoss(0.2, Reduction.MEAN));
        c("MultiMarginLoss", MultiMarginLoss::new);
        c("MultiMarginLoss_p2", () -> new MultiMarginLoss(2, 0.5, lin(5), Reduction.MEAN));
        c("TripletMarginLoss", TripletMarginLoss::new);
        c("TripletMarginLoss_swap_p1", () -> new TripletMarginLoss(0.5, 1, 1e-6, true, Reduction.MEAN));
        c("TripletMarginWithDistanceLoss", TripletMarginWithDistanceLoss::new);
        c("CTCLoss", CTCLoss::new);
        c("CTCLoss_sum_concat", () -> new CTCLoss(3, Reduction.SUM, true));
    }


    static int[] a(int... v) {
        return v;
    }

    /** The layer cases of tools/parity/nn_layer_cases.py. */
    static {
        c("Conv1d", () -> new Conv1d(Conv1d.options(3, 4, 3).stride(2).padding(1)));
        c("Conv1d_unbatched_same", () -> new Conv1d(Conv1d.options(3, 2, 4).padding("same")));
        c("Conv2d", () -> new Conv2d(Conv2d.options(3, 4, 3).padding(1)));
        c("Conv2d_groups_strided", () -> new Conv2d(Conv2d.options(4, 6, 3, 2).stride(2, 1).padding(1, 0).dilation(1, 2)
                .groups(2).bias(false)));
        c("Conv2d_depthwise", () -> new Conv2d(Conv2d.options(3, 6, 3).padding(1).groups(3)));
        c("Conv2d_reflect", () -> new Conv2d(Conv2d.options(2, 3, 3).padding(1).paddingMode(PadMode.REFLECT)));
        c("Conv2d_replicate_same", () -> new Conv2d(Conv2d.options(2, 3, 2, 3).padding("same")
                .paddingMode(PadMode.REPLICATE)));
        c("Conv2d_circular", () -> new Conv2d(Conv2d.options(2, 2, 3).padding(1, 2).paddingMode(PadMode.CIRCULAR)));
        c("Conv2d_valid_pointwise", () -> new Conv2d(Conv2d.options(5, 3, 1).padding("valid")));
        c("Conv3d", () -> new Conv3d(Conv3d.options(2, 3, 2, 3, 2).stride(1, 2, 1).padding(1, 0, 1)));
        c("ConvTranspose1d", () -> new ConvTranspose1d(ConvTranspose1d.options(3, 2, 3).stride(2).padding(1)
                .outputPadding(1)));
        c("ConvTranspose2d", () -> new ConvTranspose2d(ConvTranspose2d.options(4, 6, 3).stride(2).padding(1)
                .outputPadding(1).groups(2)));
        c("ConvTranspose2d_dilated", () -> new ConvTranspose2d(ConvTranspose2d.options(2, 3, 3, 2).dilation(2)
                .outputPadding(1).bias(false)));
        c("ConvTranspose3d", () -> new ConvTranspose3d(ConvTranspose3d.options(2, 2, 2).stride(2)));
        c("Unfold", () -> new Unfold(a(2, 3), a(1, 2), a(1), a(2, 1)));
        c("Fold", () -> new Fold(a(5, 6), 2));
        c("MaxPool1d", () -> new MaxPool1d(MaxPool1d.options(3).stride(2).padding(1).dilation(2).ceilMode(true)));
        c("MaxPool2d", () -> new MaxPool2d(MaxPool2d.options(3).stride(2).padding(1)));
        c("MaxPool2d_unbatched_ceil", () -> new MaxPool2d(MaxPool2d.options(2, 3).stride(2, 2).ceilMode(true)));
        c("MaxPool3d", () -> new MaxPool3d(MaxPool3d.options(2).stride(1, 2, 2).padding(1, 0, 1).dilation(1, 1, 2)));
        c("AvgPool1d", () -> new AvgPool1d(AvgPool1d.options(3).stride(2).padding(1).countIncludePad(false)));
        c("AvgPool2d", () -> new AvgPool2d(AvgPool2d.options(3).stride(2).padding(1).ceilMode(true)));
        c("AvgPool2d_divisor", () -> new AvgPool2d(AvgPool2d.options(2, 3).divisorOverride(4)));
        c("AvgPool3d", () -> new AvgPool3d(AvgPool3d.options(2, 3, 2).stride(2).padding(1).countIncludePad(false)));
        c("LPPool1d", () -> new LPPool1d(2.0, a(3), a(2), false));
        c("LPPool2d", () -> new LPPool2d(1.5, a(2, 3), a(1), false));
        c("AdaptiveAvgPool1d", () -> new AdaptiveAvgPool1d(4));
        c("AdaptiveAvgPool2d", () -> new AdaptiveAvgPool2d(3, null));
        c("AdaptiveAvgPool3d", () -> new AdaptiveAvgPool3d(2, 3, 4));
        c("AdaptiveMaxPool1d", () -> new AdaptiveMaxPool1d(4));
        c("AdaptiveMaxPool2d", () -> new AdaptiveMaxPool2d(null, 4));
        c("AdaptiveMaxPool3d", () -> new AdaptiveMaxPool3d(2));
        c("FractionalMaxPool2d_train", () -> new FractionalMaxPool2d(FractionalMaxPool2d.options(2).outputSize(4, 3)));
        c("FractionalMaxPool2d_ratio_train", () -> new FractionalMaxPool2d(FractionalMaxPool2d.options(3, 2)
                .outputRatio(0.5, 0.6)));
        c("FractionalMaxPool3d_train", () -> new FractionalMaxPool3d(FractionalMaxPool3d.options(2)
                .outputSize(3, 4, 3)));
        c("MaxUnpool1d", () -> new MaxUnpool1d(2));
        c("MaxUnpool2d", () -> new MaxUnpool2d(a(2), a(2), a(0)));
        c("MaxUnpool3d", () -> new MaxUnpool3d(2));
        c("ReflectionPad1d", () -> new ReflectionPad1d(2));
        c("ReflectionPad2d", () -> new ReflectionPad2d(1, 2, 3, 0));
        c("ReflectionPad3d", () -> new ReflectionPad3d(1));
        c("ReplicationPad1d", () -> new ReplicationPad1d(3, 1));
        c("ReplicationPad2d", () -> new ReplicationPad2d(2));
        c("ReplicationPad3d", () -> new ReplicationPad3d(1, 1, 2, 2, 0, 1));
        c("ZeroPad1d", () -> new ZeroPad1d(2, 1));
        c("ZeroPad2d", () -> new ZeroPad2d(1, 1, 2, 0));
        c("ZeroPad3d", () -> new ZeroPad3d(1));
        c("ConstantPad1d", () -> new ConstantPad1d(2, 3.5));
        c("ConstantPad2d", () -> new ConstantPad2d(a(1, 0, 2, 1), -1.5));
        c("ConstantPad3d", () -> new ConstantPad3d(1, 0.5));
        c("CircularPad1d", () -> new CircularPad1d(2, 1));
        c("CircularPad2d", () -> new CircularPad2d(1, 1, 2, 0));
        c("CircularPad3d", () -> new CircularPad3d(1));
        c("BatchNorm1d_train", () -> new BatchNorm1d(4));
        c("BatchNorm1d_cumulative_train", () -> new BatchNorm1d(BatchNorm1d.options(3).momentum(null)));
        c("BatchNorm2d_train", () -> new BatchNorm2d(BatchNorm2d.options(3).eps(1e-3).momentum(0.3)));
        c("BatchNorm2d", () -> new BatchNorm2d(3));
        c("BatchNorm2d_noaffine_notrack_train", () -> new BatchNorm2d(BatchNorm2d.options(3).affine(false)
                .trackRunningStats(false)));
        c("BatchNorm2d_notrack", () -> new BatchNorm2d(BatchNorm2d.options(3).trackRunningStats(false)));
        c("BatchNorm3d_train", () -> new BatchNorm3d(2));
        c("InstanceNorm1d", () -> new InstanceNorm1d(3));
        c("InstanceNorm2d_affine_track_train", () -> new InstanceNorm2d(InstanceNorm2d.options(3).affine(true)
                .trackRunningStats(true)));
        c("InstanceNorm2d_track", () -> new InstanceNorm2d(InstanceNorm2d.options(3).trackRunningStats(true)));
        c("InstanceNorm3d_unbatched", () -> new InstanceNorm3d(2));
        c("GroupNorm", () -> new GroupNorm(2, 4));
        c("GroupNorm_noaffine", () -> new GroupNorm(3, 6, 1e-3, false));
        c("LayerNorm", () -> new LayerNorm(5));
        c("LayerNorm_2d_noaffine", () -> new LayerNorm(a(4, 5), 1e-6, false, true));
        c("LayerNorm_nobias", () -> new LayerNorm(a(5), 1e-5, true, false));
        c("RMSNorm", () -> new RMSNorm(5));
        c("RMSNorm_eps_noaffine", () -> new RMSNorm(a(4, 5), 1e-5, false));
        c("LocalResponseNorm", () -> new LocalResponseNorm(3));
        c("LocalResponseNorm_4d", () -> new LocalResponseNorm(2, 1e-2, 0.6, 2.0));
        c("Embedding", () -> new Embedding(7, 3));
        c("Embedding_padding_scale", () -> new Embedding(Embedding.options(7, 3).paddingIdx(2L).scaleGradByFreq(true)));
        c("Embedding_maxnorm", () -> new Embedding(Embedding.options(6, 4).maxNorm(1.0)));
        c("EmbeddingBag", () -> new EmbeddingBag(7, 3));
        c("EmbeddingBag_sum_psw", () -> new EmbeddingBag(EmbeddingBag.options(7, 3).mode(EmbeddingBagMode.SUM)
                .paddingIdx(1L)));
        c("EmbeddingBag_max_2d", () -> new EmbeddingBag(EmbeddingBag.options(7, 3).mode(EmbeddingBagMode.MAX)));
        c("EmbeddingBag_last_scale", () -> new EmbeddingBag(EmbeddingBag.options(7, 3).includeLastOffset(true)
                .scaleGradByFreq(true)));
        c("PixelShuffle", () -> new PixelShuffle(2));
        c("PixelUnshuffle", () -> new PixelUnshuffle(2));
        c("ChannelShuffle", () -> new ChannelShuffle(2));
        c("Upsample", () -> new Upsample(Upsample.options().scaleFactor(2)));
        c("Upsample_bilinear_align", () -> new Upsample(Upsample.options().size(5, 7).mode(InterpolationMode.BILINEAR)
                .alignCorners(true)));
        c("Upsample_bicubic", () -> new Upsample(Upsample.options().scaleFactor(1.7).mode(InterpolationMode.BICUBIC)));
        c("Upsample_linear_recompute", () -> new Upsample(Upsample.options().scaleFactor(0.6)
                .mode(InterpolationMode.LINEAR).recomputeScaleFactor(true)));
        c("Upsample_trilinear", () -> new Upsample(Upsample.options().scaleFactor(1.5, 2, 0.8)
                .mode(InterpolationMode.TRILINEAR)));
        c("Upsample_nearest_exact",
                () -> new Upsample(Upsample.options().size(5).mode(InterpolationMode.NEAREST_EXACT)));
        c("UpsamplingNearest2d", () -> new UpsamplingNearest2d(a(4, 5), null));
        c("UpsamplingBilinear2d", () -> new UpsamplingBilinear2d(null, new double[] {1.5}));
        c("CosineSimilarity", CosineSimilarity::new);
        c("CosineSimilarity_dim0", () -> new CosineSimilarity(0, 1e-6));
        c("MultiheadAttention", () -> new MultiheadAttention(4, 2));
        c("MultiheadAttention_kdim_bias_kv_train", () -> new MultiheadAttention(MultiheadAttention.options(4, 2)
                .dropout(0.3).addBiasKv(true).addZeroAttn(true).kdim(3).vdim(5)));
        c("TransformerEncoderLayer", () -> new TransformerEncoderLayer(TransformerEncoderLayer.options(4, 2)
                .dimFeedforward(8)));
        c("TransformerEncoderLayer_norm_first_gelu_train", () -> new TransformerEncoderLayer(TransformerEncoderLayer
                .options(4, 2).dimFeedforward(6).dropout(0.2).activation("gelu").batchFirst(true).normFirst(true)));
        c("TransformerDecoderLayer", () -> new TransformerDecoderLayer(TransformerDecoderLayer.options(4, 2)
                .dimFeedforward(8).batchFirst(true)));
        c("TransformerEncoder", () -> new TransformerEncoder(new TransformerEncoderLayer(TransformerEncoderLayer
                .options(4, 2).dimFeedforward(8)), 2, new LayerNorm(4)));
        c("TransformerDecoder_train", () -> new TransformerDecoder(new TransformerDecoderLayer(TransformerDecoderLayer
                .options(4, 2).dimFeedforward(6)), 2));
        c("Transformer", () -> new Transformer(Transformer.options().dModel(4).nhead(2).numEncoderLayers(1)
                .numDecoderLayers(1).dimFeedforward(8)));
    }

    /** Layer cases whose gradient is not the derivative, or whose forward writes the weight (no gradcheck). */
    static final java.util.Set<String> NO_GRADCHECK = java.util.Set.of("Embedding_padding_scale", "Embedding_maxnorm",
            "EmbeddingBag_last_scale");

    /** Cases whose gradient is PyTorch's CTC convention (for log_softmax outputs), not d/d(input). */
    static boolean noDirectGradcheck(String name) {
        return name.startsWith("CTCLoss");
    }

    /** Cases whose forward draws random numbers in training mode. */
    static boolean random(String name) {
        return name.endsWith("_train");
    }
}

package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
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

    /** Cases whose gradient is PyTorch's CTC convention (for log_softmax outputs), not d/d(input). */
    static boolean noDirectGradcheck(String name) {
        return name.startsWith("CTCLoss");
    }

    /** Cases whose forward draws random numbers in training mode. */
    static boolean random(String name) {
        return name.endsWith("_train");
    }
}

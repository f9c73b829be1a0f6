package dev.jtorch.bench;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.GRU;
import dev.jtorch.nn.LSTM;
import dev.jtorch.nn.RNNBase;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The batch-1 part of {@code ./jtorch bench rnn}: the layers at (100, 1, 128, 256) in inference with float32 and
 * bfloat16 weights ({@code module.to(DType.BFLOAT16)}), on one and two kernel threads, against ONNX Runtime's
 * Java API on one and two intra-op threads in the same run (issue 14's target: at least 2x ONNX Runtime), and
 * the accuracy of the bfloat16 layer against the float32 one on the same input. Also the machine's SGEMM peak
 * (NN 1024^3, one thread), the compute bound of the batched shapes.
 */
final class RnnBatch1Section {
    static final String SHAPE = "100x1x128x256";

    private RnnBatch1Section() {
    }

    /** The measurements: jtorch per "MODE weights threads", ORT per "MODE threads", SGEMM peak GFLOP/s. */
    record Figures(Map<String, KernelReport.Stat> jtorch, Map<String, KernelReport.Stat> ort, double peakGflops) {
    }

    private static List<RunResult> jtorch(String mode, int threads, boolean quick) throws Exception {
        OptionsBuilder opt = new OptionsBuilder();
        opt.include("dev\\.jtorch\\.bench\\.RnnBench\\.inference").param("mode", mode).param("shape", SHAPE)
                .param("weights", "float32", "bfloat16").forks(quick ? 1 : 2)
                .jvmArgsAppend("--add-modules", "jdk.incubator.vector", "-Djtorch.kernels.threads=" + threads)
                .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 2 : 7).measurementTime(TimeValue.seconds(1)).shouldFailOnError(true);
        return new ArrayList<>(new Runner(opt.build()).run());
    }

    static Figures measure(OnnxPeer ort, boolean quick) throws Exception {
        Map<String, KernelReport.Stat> j = new java.util.LinkedHashMap<>();
        Map<String, KernelReport.Stat> o = new java.util.LinkedHashMap<>();
        for (String mode : new String[] {"LSTM", "GRU"}) {
            for (int threads : new int[] {1, 2}) {
                for (var e : KernelReport.medians(jtorch(mode, threads, quick)).entrySet()) {
                    String w = e.getKey().replaceAll(".*weights=(\\w+).*", "$1");
                    j.put(mode + " " + w + " " + threads, e.getValue());
                }
                var r = KernelReport.medians(ort.run(mode + "_" + SHAPE, quick ? 1 : 2, quick ? 2 : 7, threads));
                KernelReport.Stat s = r.get(OnnxPeer.key(mode + "_" + SHAPE));
                if (s != null) {
                    o.put(mode + " " + threads, s);
                }
            }
        }
        OptionsBuilder opt = new OptionsBuilder();
        opt.include("dev\\.jtorch\\.bench\\.GemmBench\\.jtorch$").param("shape", "NN1024x1024x1024").forks(1)
                .warmupIterations(2).warmupTime(TimeValue.seconds(1)).measurementIterations(quick ? 2 : 5)
                .measurementTime(TimeValue.seconds(1)).shouldFailOnError(true);
        var g = KernelReport.medians(new Runner(opt.build()).run());
        double us = KernelReport.get(g, "GemmBench.jtorch shape=NN1024x1024x1024");
        return new Figures(j, o, 2.0 * 1024 * 1024 * 1024 / (us * 1e3));
    }

    /**
     * Max and mean absolute difference of the bfloat16 layer's output from the float32 layer's, max |y|, and the
     * max difference that rounding the float32 output to bfloat16 alone makes.
     */
    static double[] accuracy(String mode) {
        Torch.manualSeed(0);
        RNNBase f32 = mode.equals("LSTM") ? new LSTM(128, 256) : new GRU(128, 256);
        Torch.manualSeed(0);
        RNNBase bf16 = mode.equals("LSTM") ? new LSTM(128, 256) : new GRU(128, 256);
        bf16.to(DType.BFLOAT16);
        Tensor x = Torch.randn(100, 1, 128);
        try (var _ = Autograd.noGrad()) {
            Tensor y = f32.forward(x);
            Tensor yb = bf16.forward(x.to(DType.BFLOAT16)).to(DType.FLOAT32);
            Tensor d = yb.sub(y).abs();
            Tensor rounding = y.to(DType.BFLOAT16).to(DType.FLOAT32).sub(y).abs();
            return new double[] {d.max().item(), d.mean().item(), y.abs().max().item(), rounding.max().item()};
        }
    }

    static String markdown(Figures f) {
        StringBuilder md = new StringBuilder("\n## Batch 1: bfloat16 weights and two cores\n\n");
        md.append("At batch 1 every step streams all of W_hh for one matrix-vector product, so the step is bound by "
                + "the bytes read. `module.to(DType.BFLOAT16)` keeps W_hh in bfloat16 (half the bytes, widened exactly "
                + "to float32 in the kernel, float32 accumulation); with two kernel threads the hidden units are split "
                + "across the cores, each streaming its half of W_hh from its own L2 (docs/engine.md). Inference at "
                + "(T, B, in, hidden) = (100, 1, 128, 256), ms (JMH medians), ONNX Runtime (Java) on 1 and 2 intra-op "
                + "threads in the same run; target: at least 2x ONNX Runtime.\n\n");
        md.append("| layer | weights | jtorch 1 thread | jtorch 2 threads | ORT 1 thread | ORT 2 threads "
                + "| best vs ORT 1 thread | best vs ORT 2 threads | met (2x) |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        for (String mode : new String[] {"LSTM", "GRU"}) {
            double o1 = med(f.ort.get(mode + " 1"));
            double o2 = med(f.ort.get(mode + " 2"));
            for (String w : new String[] {"float32", "bfloat16"}) {
                double j1 = med(f.jtorch.get(mode + " " + w + " 1"));
                double j2 = med(f.jtorch.get(mode + " " + w + " 2"));
                double best = Math.min(j1, j2);
                double r1 = o1 / best;
                md.append("| ").append(mode).append(" | ").append(w).append(" | ").append(KernelReport.f(j1, 3))
                        .append(" | ").append(KernelReport.f(j2, 3)).append(" | ").append(KernelReport.f(o1, 3))
                        .append(" | ").append(KernelReport.f(o2, 3)).append(" | ").append(OnnxPeer.ratio(r1))
                        .append(" | ").append(OnnxPeer.ratio(o2 / best)).append(" | ")
                        .append(Double.isNaN(r1) ? "n/a" : r1 >= 2 ? "yes" : "no").append(" |\n");
            }
        }
        md.append("\nAccuracy of the bfloat16 layer (weights and input rounded to bfloat16, computed in float32, "
                + "output rounded to bfloat16) against the float32 layer on the same input, randn (100, 1, 128), "
                + "PyTorch's default initialisation; the last column is what rounding the float32 output to bfloat16 alone "
                + "changes:\n\n| layer | max abs difference | mean abs difference | max abs output | max abs "
                + "difference of the output's rounding |\n| --- | ---: | ---: | ---: | ---: |\n");
        for (String mode : new String[] {"LSTM", "GRU"}) {
            double[] a = accuracy(mode);
            md.append("| ").append(mode).append(" | ").append(String.format("%.2e", a[0])).append(" | ")
                    .append(String.format("%.2e", a[1])).append(" | ").append(KernelReport.f(a[2], 3)).append(" | ")
                    .append(String.format("%.2e", a[3])).append(" |\n");
        }
        return md.toString();
    }

    private static double med(KernelReport.Stat s) {
        return s == null ? Double.NaN : s.median();
    }
}

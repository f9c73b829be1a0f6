package dev.jtorch.bench;

import dev.jtorch.kernels.Kernels;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code ./jtorch bench conv}: ConvBench (JMH) against PyTorch 1.13 and ONNX Runtime on the same cases
 * (single-threaded, float32): PyTorch timed by tools/bench/conv_pytorch.py just before and just after the JMH run
 * of each case, ONNX Runtime's Java API (OnnxRuntimeBench, JMH) right after it on the modules that
 * tools/bench/export_onnx.py exports with the same Python at the start of the run. Writes docs/benchmarks/conv.md
 * with a chart (conv.svg), the raw JMH JSON of jtorch and ONNX Runtime (conv.json) and PyTorch's rounds
 * (conv-peers.json). Args: {@code --python PY --script tools/bench/conv_pytorch.py} (omitted: no peer
 * columns), optionally {@code --quick} (one case, short runs, written under jmh/target/benchmarks) and
 * {@code --only CASE}.
 */
public final class ConvReport {
    private ConvReport() {
    }

    /** Floating-point operations (multiply and add counted apart) of one forward, or NaN for the non-conv cases. */
    static double flops(String name) {
        int b = name.matches(".*_b[0-9]+$") ? Integer.parseInt(name.replaceAll(".*_b", "")) : 1;
        double per = switch (name.replaceAll("_b[0-9]+$", "")) {
            case "conv3x3" -> 2.0 * 64 * 64 * 9 * 56 * 56;
            case "conv1x1" -> 2.0 * 256 * 64 * 56 * 56;
            case "dw3x3" -> 2.0 * 32 * 9 * 112 * 112;
            case "conv7x7s2" -> 2.0 * 3 * 64 * 49 * 112 * 112;
            default -> Double.NaN;
        };
        return per * b;
    }

    /** The inference target as a multiple of a peer, and which peer: conv cases the faster of the two. */
    static double target(String name) {
        return name.startsWith("batchnorm") || name.startsWith("maxpool") || name.startsWith("layernorm") ? 2.0
                : name.startsWith("embedding") ? Double.NaN : 1.0;
    }

    /** Every round (ms) per "CASE inference|train" in a conv_pytorch.py JSON, added to out. */
    static void peerSamples(Path json, Map<String, List<Double>> out) throws Exception {
        if (json == null || !Files.exists(json)) {
            return;
        }
        Matcher m = Pattern.compile("\"([a-z0-9_]+ (inference|train))\": \\[([^\\]]*)\\]")
                .matcher(Files.readString(json));
        while (m.find()) {
            List<Double> list = out.computeIfAbsent(m.group(1), key -> new ArrayList<>());
            for (String v : m.group(3).split(",")) {
                if (!v.isBlank()) {
                    list.add(Double.parseDouble(v.trim()));
                }
            }
        }
    }

    private static String field(String json, String name) {
        return json.replaceAll("(?s).*\"" + name + "\": \"([^\"]+)\".*", "$1");
    }

    private static String range(List<Double> v) {
        if (v == null || v.isEmpty()) {
            return "n/a";
        }
        double lo = v.stream().mapToDouble(d -> d).min().orElseThrow();
        double hi = v.stream().mapToDouble(d -> d).max().orElseThrow();
        return KernelReport.f(lo, 3) + " - " + KernelReport.f(hi, 3);
    }

    private static String arg(String[] args, String name) {
        int i = Arrays.asList(args).indexOf(name);
        return i >= 0 && i + 1 < args.length ? args[i + 1] : null;
    }

    private static String ratio(double r) {
        return Double.isNaN(r) ? "n/a" : KernelReport.f(r, 2) + "x";
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        String python = arg(args, "--python");
        String script = arg(args, "--script");
        String only = arg(args, "--only");
        Path out = quick || only != null ? Path.of("jmh/target/benchmarks") : Path.of("docs/benchmarks");
        Files.createDirectories(out);
        Path tmp = Files.createDirectories(Path.of("jmh/target/conv-peers"));
        List<String> cases = only != null ? List.of(only) : quick ? List.of("conv3x3_b1") : List.of(ConvBench.CASES);
        Map<String, List<Double>> peerRounds = new LinkedHashMap<>();
        String torchInfo = "not measured";
        OnnxPeer ort = OnnxPeer.prepare(python, cases, Path.of("jmh/target/onnx/conv"));
        String mallocInfo = "default";
        List<RunResult> results = new ArrayList<>();
        StringBuilder peersJson = new StringBuilder("{\n");
        // Per case: the peers just before and just after jtorch's JMH run, so that both sides of a ratio are
        // measured within a minute of each other (this machine's speed drifts by tens of percent over minutes).
        ReportProgress progress = new ReportProgress("bench conv", cases.size());
        for (String name : cases) {
            progress.next(name);
            for (String when : new String[] {"before", "after"}) {
                if (when.equals("after")) {
                    OptionsBuilder opt = new OptionsBuilder();
                    opt.include("dev\\.jtorch\\.bench\\.ConvBench\\.").param("layer", name)
                            .forks(quick ? 1 : 2)
                            .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.seconds(1))
                            .measurementIterations(quick ? 2 : 5).measurementTime(TimeValue.seconds(1))
                            .shouldFailOnError(true);
                    results.addAll(new Runner(opt.build()).run());
                    results.addAll(ort.run(name, quick ? 1 : 2, quick ? 2 : 5));
                }
                if (python != null && script != null) {
                    Path json = tmp.resolve(name + "-" + when + ".json");
                    Files.deleteIfExists(json);
                    Process p = new ProcessBuilder(python, script, json.toString(), "--only", name).inheritIO().start();
                    if (p.waitFor() == 0 && Files.exists(json)) {
                        peerSamples(json, peerRounds);
                        String j = Files.readString(json);
                        torchInfo = field(j, "torch") + ", OpenBLAS core " + field(j, "openblas_core");
                        mallocInfo = field(j, "malloc");
                        peersJson.append(peersJson.length() > 2 ? ",\n" : "").append(" \"").append(name).append(' ')
                                .append(when).append("\": ").append(j.strip().replace("\n", "\n "));
                    }
                }
            }
        }
        Files.writeString(out.resolve("conv-peers.json"), peersJson.append("\n}\n").toString());
        try (PrintStream ps = new PrintStream(Files.newOutputStream(out.resolve("conv.json")), true, "UTF-8")) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(results);
        }
        Map<String, KernelReport.Stat> st = KernelReport.medians(results);
        Map<String, Double> peer = new LinkedHashMap<>();
        peerRounds.forEach((key, v) -> peer.put(key, RnnReport.median(v)));

        StringBuilder md = new StringBuilder("# Convolution, pooling, normalization and embedding benchmarks\n\n");
        md.append("Generated by `./jtorch bench conv` (dev.jtorch.bench.ConvReport) on ").append(LocalDate.now())
                .append(quick ? " with the quick smoke profile" : "").append(".\n\n");
        md.append("- CPU: ").append(KernelReport.cpu()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" logical CPUs (shared and noisy: medians quoted, spreads below)\n");
        md.append("- jtorch: ").append(Kernels.description()).append(", one kernel thread; JMH ")
                .append(quick ? "1 fork, 1 x 1 s warmup, 2 x 1 s" : "2 forks, 3 x 1 s warmup, 5 x 1 s")
                .append(" measurement per case (dev.jtorch.bench.ConvBench)\n");
        md.append("- PyTorch ").append(torchInfo).append(" (Debian python3-torch: oneDNN convolutions, "
                + "torch.set_num_threads(1)); tools/bench/conv_pytorch.py, median of 30 rounds: 15 just before and "
                + "15 just after jtorch's JMH run of the same case. glibc's malloc keeps freed memory for reuse (")
                .append(mallocInfo).append("): by default it hands multi-MB blocks back to the kernel and PyTorch "
                + "pays page faults on every call (10x on the depthwise case)\n");
        md.append(ort.note().replaceFirst("\n$", ""))
                .append(". It replaces the Python onnxruntime (pip) that earlier reports timed inside "
                        + "conv_pytorch.py: one ONNX Runtime, run from the JVM as a Java service would embed it\n");
        md.append("- float32; inference under no_grad / noGrad() (BatchNorm2d in eval mode); train = forward + "
                + "backward of out.sum() (BatchNorm2d in training mode), against PyTorch only\n");
        md.append("- Cases: Conv2d 3x3 64->64 padding 1 on 56x56, 1x1 256->64 on 56x56, depthwise 3x3 on 32 channels "
                + "of 112x112, 7x7 stride 2 padding 3 3->64 on 224x224 (batch 1 and 8); BatchNorm2d and MaxPool2d "
                + "(3x3, stride 2, padding 1) on 1x64x56x56; Embedding lookup of 512 ids from 50,000 x 256; LayerNorm "
                + "over 768 for 128 rows\n");
        md.append("- Targets (issue 10): convolutions at least the faster peer's speed (1.0x); BatchNorm2d, "
                + "MaxPool2d and LayerNorm at least 2x PyTorch\n\n");
        md.append("## Inference\n\n");
        md.append("| case | jtorch ms | GFLOP/s | PyTorch ms | " + (ort.available() ? "ONNX Runtime (Java) ms | " : "")
                + "vs PyTorch | " + (ort.available() ? "vs ORT | " : "") + "vs best peer | target | met |\n");
        md.append("| --- | ---: | ---: | ---: | " + (ort.available() ? "---: | " : "") + "---: | "
                + (ort.available() ? "---: | " : "") + "---: | ---: | --- |\n");
        List<String> cats = new ArrayList<>();
        List<Double> infBest = new ArrayList<>();
        List<Double> trTorch = new ArrayList<>();
        for (String name : cases) {
            double ji = KernelReport.get(st, "ConvBench.inference layer=" + name);
            double pi = peer.getOrDefault(name + " inference", Double.NaN);
            double oi = OnnxPeer.median(st, name);
            double best = Double.isNaN(oi) ? pi : Double.isNaN(pi) ? oi : Math.min(pi, oi);
            double target = target(name);
            boolean vsBest = target == 1.0;
            double r = vsBest ? best / ji : pi / ji;
            double fl = flops(name);
            md.append("| ").append(name).append(" | ").append(KernelReport.f(ji, 3)).append(" | ")
                    .append(Double.isNaN(fl) ? "" : KernelReport.f(fl / ji / 1e6, 1)).append(" | ")
                    .append(KernelReport.f(pi, 3)).append(" | ")
                    .append(ort.available() ? KernelReport.f(oi, 3) + " | " : "")
                    .append(ratio(pi / ji)).append(" | ").append(ort.available() ? ratio(oi / ji) + " | " : "")
                    .append(ratio(best / ji)).append(" | ")
                    .append(Double.isNaN(target) ? "-"
                            : KernelReport.f(target, 1) + "x " + (vsBest ? "best" : "PyTorch"))
                    .append(" | ").append(Double.isNaN(target) || Double.isNaN(r) ? "-" : r >= target ? "yes" : "no")
                    .append(" |\n");
            cats.add(name);
            infBest.add(best / ji);
        }
        md.append("\n## Training step (forward + backward) against PyTorch\n\n");
        md.append("| case | jtorch ms | PyTorch ms | speedup |\n| --- | ---: | ---: | ---: |\n");
        for (String name : cases) {
            double jt = KernelReport.get(st, "ConvBench.train layer=" + name);
            double pt = peer.getOrDefault(name + " train", Double.NaN);
            md.append("| ").append(name).append(" | ").append(KernelReport.f(jt, 3)).append(" | ")
                    .append(KernelReport.f(pt, 3)).append(" | ").append(ratio(pt / jt)).append(" |\n");
            trTorch.add(pt / jt);
        }
        md.append("\nThe spread behind each median (fastest to slowest JMH iteration or peer round), in ms:\n\n");
        md.append("| case | jtorch inference | PyTorch inference | " + (ort.available() ? "ONNX Runtime (Java) | " : "")
                + "jtorch train | PyTorch train |\n");
        md.append("| --- | ---: | ---: | " + (ort.available() ? "---: | " : "") + "---: | ---: |\n");
        for (String name : cases) {
            KernelReport.Stat ji = st.get("ConvBench.inference layer=" + name);
            KernelReport.Stat jt = st.get("ConvBench.train layer=" + name);
            md.append("| ").append(name).append(" | ")
                    .append(ji == null ? "n/a" : KernelReport.f(ji.min(), 3) + " - " + KernelReport.f(ji.max(), 3))
                    .append(" | ").append(range(peerRounds.get(name + " inference"))).append(" | ")
                    .append(ort.available() ? OnnxPeer.range(st, name, 3) + " | " : "")
                    .append(jt == null ? "n/a" : KernelReport.f(jt.min(), 3) + " - " + KernelReport.f(jt.max(), 3))
                    .append(" | ").append(range(peerRounds.get(name + " train"))).append(" |\n");
        }
        md.append("\n![speedup over the peers](conv.svg)\n\nRaw data: [conv.json](conv.json) (JMH: jtorch and "
                + "ONNX Runtime), [conv-peers.json](conv-peers.json) (every PyTorch round).\n");
        double[][] series = new double[2][cats.size()];
        for (int i = 0; i < cats.size(); i++) {
            series[0][i] = infBest.get(i);
            series[1][i] = trTorch.get(i);
        }
        Files.writeString(out.resolve("conv.md"), md.toString());
        Files.writeString(out.resolve("conv.svg"), SvgBarChart.render("jtorch speedup, single thread, float32", "x",
                cats, List.of("inference vs best peer", "train vs PyTorch"), series, 1.0, "1x = peer"));
        progress.finish();
        System.out.println(md);
    }
}

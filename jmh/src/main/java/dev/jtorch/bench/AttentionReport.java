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
 * {@code ./jtorch bench attention}: AttentionBench (JMH) against PyTorch 1.13's timings of the same cases from
 * tools/bench/attention_pytorch.py (single-threaded, run just before and just after the JMH run of each case) and
 * ONNX Runtime's Java API (OnnxRuntimeBench, right after jtorch's JMH run, on the modules that
 * tools/bench/export_onnx.py exports with the same Python at the start of the run), into
 * docs/benchmarks/attention.md with a chart, the raw JMH JSON and every PyTorch round. Args:
 * {@code --python /usr/bin/python3 --script tools/bench/attention_pytorch.py} (omitted: no PyTorch and no ONNX
 * Runtime column), and optionally {@code --quick} (the short JMH profile, into jmh/target/benchmarks).
 */
public final class AttentionReport {
    /**
     * Warmup iterations of 1 s, in both profiles: a first call takes a second or more and the attention's Vector
     * API loops run some hundred times slower until C2 has compiled them, which took about four seconds on the
     * shared two-CPU machine (one warmup second left sdpa_b1 at 180 ms instead of 1.2 ms).
     */
    static final int WARMUP = 8;

    /** Issue 13's target: at least PyTorch's speed. */
    static final double TARGET = 1.0;

    private AttentionReport() {
    }

    /** Every PyTorch timing round (ms) per case in an attention_pytorch.py JSON, added to out. */
    static void pytorchSamples(String json, Map<String, List<Double>> out) {
        Matcher m = Pattern.compile("\"([a-z]+_b[0-9]+)\": \\[([^\\]]*)\\]").matcher(json);
        while (m.find()) {
            List<Double> list = out.computeIfAbsent(m.group(1), key -> new ArrayList<>());
            for (String v : m.group(2).split(",")) {
                if (!v.isBlank()) {
                    list.add(Double.parseDouble(v.trim()));
                }
            }
        }
    }

    /** Whether the JSON says PyTorch ran the case on its fused fast path; null where it says nothing. */
    static Boolean fastPath(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\": (true|false)").matcher(json);
        return m.find() ? Boolean.valueOf(m.group(1)) : null;
    }

    /** A string field of the JSON, or "?" . */
    static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + Pattern.quote(name) + "\": \"([^\"]*)\"").matcher(json);
        return m.find() ? m.group(1) : "?";
    }

    /** The case's shapes, as the table shows them. */
    static String shape(String name) {
        String b = name.replaceAll(".*_b", "");
        return name.startsWith("sdpa") ? "q, k, v (" + b + ", 8, 128, 64)" : "src (" + b + ", 128, 512)";
    }

    private static String range(List<Double> v) {
        return v == null || v.isEmpty() ? "n/a" : KernelReport.f(v.stream().mapToDouble(d -> d).min().orElseThrow(), 3)
                + " - " + KernelReport.f(v.stream().mapToDouble(d -> d).max().orElseThrow(), 3);
    }

    private static String arg(String[] args, String name) {
        int i = Arrays.asList(args).indexOf(name);
        return i >= 0 && i + 1 < args.length ? args[i + 1] : null;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        String python = arg(args, "--python");
        String script = arg(args, "--script");
        Path out = quick ? Path.of("jmh/target/benchmarks") : Path.of("docs/benchmarks");
        Files.createDirectories(out);
        Path tmp = Files.createDirectories(Path.of("jmh/target/attention-pytorch"));
        Map<String, List<Double>> torchRounds = new LinkedHashMap<>();
        Map<String, Boolean> fused = new LinkedHashMap<>();
        String torchInfo = "not measured";
        List<RunResult> results = new ArrayList<>();
        StringBuilder torchJson = new StringBuilder("{\n");
        OnnxPeer ort = OnnxPeer.prepare(python, List.of(AttentionBench.CASES), Path.of("jmh/target/onnx/attention"));
        // Per case: PyTorch just before and just after jtorch's JMH run, so that both sides of a ratio are
        // measured within seconds of each other (this machine's speed drifts by tens of percent over minutes).
        ReportProgress progress = new ReportProgress("bench attention", AttentionBench.CASES.length);
        for (String name : AttentionBench.CASES) {
            progress.next(name);
            for (String when : new String[] {"before", "after"}) {
                if (when.equals("after")) {
                    OptionsBuilder opt = new OptionsBuilder();
                    opt.include("dev\\.jtorch\\.bench\\.AttentionBench\\.").param("layer", name)
                            .forks(quick ? 1 : 2)
                            .warmupIterations(WARMUP).warmupTime(TimeValue.seconds(1))
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
                        String j = Files.readString(json);
                        pytorchSamples(j, torchRounds);
                        Boolean fp = fastPath(j, name);
                        if (fp != null) {
                            fused.merge(name, fp, Boolean::logicalAnd);
                        }
                        torchInfo = field(j, "torch") + ", OpenBLAS core " + field(j, "openblas_core");
                        torchJson.append(torchJson.length() > 2 ? ",\n" : "").append(" \"").append(name).append(' ')
                                .append(when).append("\": ").append(j.strip().replace("\n", "\n "));
                    }
                }
            }
        }
        Files.writeString(out.resolve("attention-pytorch.json"), torchJson.append("\n}\n").toString());
        try (PrintStream ps = new PrintStream(Files.newOutputStream(out.resolve("attention.json")), true, "UTF-8")) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(results);
        }
        Map<String, KernelReport.Stat> st = KernelReport.medians(results);
        String md = markdown(st, torchRounds, fused, torchInfo, ort, quick, LocalDate.now().toString());
        List<String> cats = new ArrayList<>();
        double[][] series = new double[ort.available() ? 2 : 1][AttentionBench.CASES.length];
        for (int i = 0; i < AttentionBench.CASES.length; i++) {
            String name = AttentionBench.CASES[i];
            cats.add(name);
            double j = KernelReport.get(st, "AttentionBench.inference layer=" + name);
            series[0][i] = RnnReport.median(torchRounds.get(name)) / j;
            if (ort.available()) {
                series[1][i] = OnnxPeer.median(st, name) / j;
            }
        }
        Files.writeString(out.resolve("attention.md"), md);
        Files.writeString(out.resolve("attention.svg"), SvgBarChart.render("jtorch speedup over the peers, "
                + "single thread, float32 inference", "x", cats, ort.available()
                ? List.of("vs PyTorch 1.13", "vs ONNX Runtime") : List.of("vs PyTorch 1.13"), series, TARGET,
                "1x = peer"));
        progress.finish();
        System.out.println(md);
    }

    /** The report's text from the JMH medians (jtorch's and ONNX Runtime's) and PyTorch's rounds. */
    static String markdown(Map<String, KernelReport.Stat> st, Map<String, List<Double>> torchRounds,
                           Map<String, Boolean> fused, String torchInfo, OnnxPeer ort, boolean quick, String date) {
        StringBuilder md = new StringBuilder("# Attention benchmarks\n\n");
        md.append("Generated by `./jtorch bench attention` (dev.jtorch.bench.AttentionReport) on ").append(date)
                .append(quick ? " with the quick smoke profile (figures for checking the report, not for quoting)"
                        : "").append(".\n\n");
        md.append("- CPU: ").append(KernelReport.cpu()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" logical CPUs (shared and noisy: medians quoted, spreads below)\n");
        md.append("- jtorch: ").append(Kernels.description()).append(", one kernel thread; JMH ")
                .append(quick ? "1 fork, " : "2 forks, ").append(WARMUP).append(" x 1 s warmup, ")
                .append(quick ? "2 x 1 s" : "5 x 1 s")
                .append(" measurement per case (dev.jtorch.bench.AttentionBench)\n");
        md.append("- PyTorch ").append(torchInfo).append(" (Debian python3-torch with OpenBLAS as libblas, "
                + "torch.set_num_threads(1), OPENBLAS_NUM_THREADS=1; tools/bench/attention_pytorch.py, median of 30 "
                + "timing rounds: 15 just before and 15 just after jtorch's JMH run of the same case; glibc's malloc "
                + "keeps freed memory for reuse, as for bench conv)\n");
        md.append("- float32 inference under no_grad / noGrad(). sdpa: jtorch's F.scaledDotProductAttention "
                + "(one fused op) on (B, 8, 128, 64) query, key and value. PyTorch 1.13 has no "
                + "F.scaled_dot_product_attention (2.0 added it): its column times the math formula "
                + "softmax(q @ k.transpose(-2, -1) * scale) @ v, what 2.x's math backend computes. encoder: "
                + "TransformerEncoderLayer(512, 8), dim_feedforward 2048, batch_first, eval, on (B, 128, 512); "
                + "PyTorch 1.13 runs it on its fused fast path (torch._transformer_encoder_layer_fwd), the fair "
                + "peer");
        if (!fused.isEmpty()) {
            md.append(fused.values().stream().allMatch(b -> b)
                    ? " (checked in the run: the fused op was called)"
                    : " (NOT taken in this run: attention_pytorch.py saw no call of the fused op)");
        }
        md.append("\n").append(ort.available() ? ort.note().replaceFirst("\n$", "") + ". sdpa: the exported math "
                + "formula (MatMul, Softmax, MatMul); encoder: the layer's exported graph, which ONNX Runtime's graph "
                + "optimisations fuse where they can\n" : ort.note());
        md.append("- Target (issue 13): at least PyTorch's speed (speedup 1.0x)\n\n");
        md.append("| case | shape | jtorch ms | PyTorch ms | speedup | target | met "
                + (ort.available() ? "| ONNX Runtime (Java) ms | vs ORT " : "") + "|\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | --- " + (ort.available() ? "| ---: | ---: " : "") + "|\n");
        for (String name : AttentionBench.CASES) {
            double j = KernelReport.get(st, "AttentionBench.inference layer=" + name);
            double p = RnnReport.median(torchRounds.get(name));
            double s = p / j;
            md.append("| ").append(name).append(" | ").append(shape(name)).append(" | ").append(KernelReport.f(j, 3))
                    .append(" | ").append(KernelReport.f(p, 3)).append(" | ")
                    .append(Double.isNaN(s) ? "n/a" : KernelReport.f(s, 2) + "x").append(" | ")
                    .append(KernelReport.f(TARGET, 1)).append("x | ")
                    .append(Double.isNaN(s) ? "n/a" : s >= TARGET ? "yes" : "no").append(" |");
            if (ort.available()) {
                double o = OnnxPeer.median(st, name);
                md.append(' ').append(KernelReport.f(o, 3)).append(" | ").append(OnnxPeer.ratio(o / j)).append(" |");
            }
            md.append('\n');
        }
        md.append("\nThe spread behind each median (fastest to slowest JMH iteration, PyTorch round), in ms:\n\n");
        md.append("| case | jtorch | PyTorch |" + (ort.available() ? " ONNX Runtime (Java) |" : "")
                + "\n| --- | ---: | ---: |" + (ort.available() ? " ---: |" : "") + "\n");
        for (String name : AttentionBench.CASES) {
            KernelReport.Stat j = st.get("AttentionBench.inference layer=" + name);
            md.append("| ").append(name).append(" | ")
                    .append(j == null ? "n/a" : KernelReport.f(j.min(), 3) + " - " + KernelReport.f(j.max(), 3))
                    .append(" | ").append(range(torchRounds.get(name))).append(" |")
                    .append(ort.available() ? " " + OnnxPeer.range(st, name, 3) + " |" : "").append('\n');
        }
        md.append("\n![speedup over the peers](attention.svg)\n\nRaw data: [attention.json](attention.json) (JMH: "
                + "jtorch and ONNX Runtime), "
                + "[attention-pytorch.json](attention-pytorch.json) (every PyTorch round).\n");
        return md.toString();
    }
}

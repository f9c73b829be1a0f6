package dev.jtorch.bench;

import dev.jtorch.kernels.Kernels;
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
import java.io.PrintStream;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code ./jtorch bench rnn}: RnnBench (JMH) against PyTorch's timings of the same shapes from
 * tools/bench/rnn_pytorch.py (single-threaded, run just before and just after the JMH run of each
 * configuration) and ONNX Runtime's Java API (OnnxRuntimeBench, right after jtorch's JMH run, on the layers that
 * tools/bench/export_onnx.py exports with the same Python at the start of the run), into docs/benchmarks/rnn.md
 * with a chart and the raw JMH JSON. Args: {@code --python /usr/bin/python3 --script tools/bench/rnn_pytorch.py}
 * (omitted: no PyTorch and no ONNX Runtime column), and optionally {@code --quick}.
 */
public final class RnnReport {
    private static final String[] SHAPES = {"100x1x128x256", "100x32x128x256", "50x64x512x512"};
    /** The weights parameter of the main table's RnnBench cases (the batch-1 section adds bfloat16). */
    private static final String W = " weights=float32";

    private RnnReport() {
    }

    /** Every PyTorch timing round (ms) per "MODE SHAPE inference|train" in a rnn_pytorch.py JSON, added to out. */
    static void pytorchSamples(Path json, Map<String, List<Double>> out) throws Exception {
        if (json == null || !Files.exists(json)) {
            return;
        }
        Matcher m = Pattern.compile("\"([A-Z]+ [0-9x]+ (inference|train))\": \\[([^\\]]*)\\]")
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

    /** Runs tools/bench/rnn_pytorch.py for one configuration into {@code json}; false if it failed. */
    static boolean runPytorch(String python, String script, String mode, String shape, Path json) throws Exception {
        Process p = new ProcessBuilder(python, script, json.toString(), "--only", mode, shape).inheritIO().start();
        return p.waitFor() == 0 && Files.exists(json);
    }

    static double median(List<Double> v) {
        if (v == null || v.isEmpty()) {
            return Double.NaN;
        }
        List<Double> s = new ArrayList<>(v);
        s.sort(null);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    private static String range(double lo, double hi) {
        return KernelReport.f(lo, 2) + " - " + KernelReport.f(hi, 2);
    }

    private static String range(List<Double> v) {
        return v == null || v.isEmpty() ? "n/a" : range(v.stream().mapToDouble(d -> d).min().orElseThrow(),
                v.stream().mapToDouble(d -> d).max().orElseThrow());
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
        Path tmp = Files.createDirectories(Path.of("jmh/target/rnn-pytorch"));
        Map<String, List<Double>> torchRounds = new LinkedHashMap<>();
        String torchInfo = "not measured";
        List<RunResult> results = new ArrayList<>();
        // Per configuration: PyTorch just before and just after jtorch's JMH run, so that both sides of a ratio
        // are measured within seconds of each other (this machine's speed drifts by tens of percent over minutes).
        String[] shapes = quick ? new String[] {SHAPES[0]} : SHAPES;
        List<String> ortCases = new ArrayList<>();
        for (String mode : new String[] {"LSTM", "GRU"}) {
            for (String shape : shapes) {
                ortCases.add(mode + "_" + shape);
            }
        }
        OnnxPeer ort = OnnxPeer.prepare(python, ortCases, Path.of("jmh/target/onnx/rnn"));
        ReportProgress progress = new ReportProgress("bench rnn", 2 * shapes.length + 1);
        for (String mode : new String[] {"LSTM", "GRU"}) {
            for (String shape : shapes) {
                progress.next(mode + " " + shape);
                for (String when : new String[] {"before", "after"}) {
                    if (when.equals("after")) {
                        ChainedOptionsBuilder opt = new OptionsBuilder()
                                .include("dev\\.jtorch\\.bench\\.RnnBench\\.")
                                .param("mode", mode).param("shape", shape).param("weights", "float32")
                                .forks(quick ? 1 : 2)
                                .warmupIterations(quick ? 1 : 3).warmupTime(TimeValue.seconds(1))
                                .measurementIterations(quick ? 2 : 7).measurementTime(TimeValue.seconds(1))
                                .shouldFailOnError(true);
                        results.addAll(new Runner(opt.build()).run());
                        results.addAll(ort.run(mode + "_" + shape, quick ? 1 : 2, quick ? 2 : 7));
                    }
                    if (python != null && script != null) {
                        Path json = tmp.resolve(mode + "-" + shape + "-" + when + ".json");
                        if (runPytorch(python, script, mode, shape, json)) {
                            pytorchSamples(json, torchRounds);
                            String j = Files.readString(json);
                            torchInfo = j.replaceAll("(?s).*\"torch\": \"([^\"]+)\".*", "$1") + ", OpenBLAS core "
                                    + j.replaceAll("(?s).*\"openblas_core\": \"([^\"]+)\".*", "$1");
                        }
                    }
                }
            }
        }
        progress.next("batch 1: bfloat16 weights, two threads, SGEMM peak");
        RnnBatch1Section.Figures batch1 = RnnBatch1Section.measure(ort, quick);
        try (PrintStream ps = new PrintStream(Files.newOutputStream(out.resolve("rnn.json")), true, "UTF-8")) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(results);
        }
        Map<String, KernelReport.Stat> st = KernelReport.medians(results);
        Map<String, Double> torch = new LinkedHashMap<>();
        torchRounds.forEach((key, v) -> torch.put(key, median(v)));

        StringBuilder md = new StringBuilder("# Recurrent layer benchmarks\n\n");
        md.append("Generated by `./jtorch bench rnn` (dev.jtorch.bench.RnnReport) on ").append(LocalDate.now())
                .append(quick ? " with the quick smoke profile" : "").append(".\n\n");
        md.append("- CPU: ").append(KernelReport.cpu()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" logical CPUs (shared and noisy: medians quoted)\n");
        md.append("- jtorch: ").append(Kernels.description()).append(", one kernel thread; JMH ").append(quick ? "1 fork" : "2 forks").append(", ")
                .append(quick ? "1 x 1 s warmup, 2 x 1 s" : "3 x 1 s warmup, 7 x 1 s").append(" measurement each\n");
        md.append("- PyTorch ").append(torchInfo).append(" (Debian python3-torch with OpenBLAS as libblas, "
                + "torch.set_num_threads(1), OPENBLAS_NUM_THREADS=1; tools/bench/rnn_pytorch.py, median of 30 "
                + "timing rounds: 15 just before and 15 just after jtorch's JMH run of the same configuration)\n");
        md.append(ort.note());
        md.append("- One layer, float32, shapes (T, B, input, hidden); inference under no_grad / noGrad(); train = "
                + "forward + backward of output.sum()\n\n");
        md.append("Issue 14's targets: inference ahead of ONNX Runtime on every shape (at least 2x at batch 1, where "
                + "the section below adds bfloat16 weights and two threads) and within 1.25x of the compute bound at "
                + "batch 32/64 (the layer's flops, 2 T B G H (in + H), at this machine's SGEMM peak of "
                + KernelReport.f(batch1.peakGflops(), 0) + " GFLOP/s, NN 1024^3 one thread, same run); training at "
                + "least 1.2x PyTorch.\n\n");
        md.append("| layer | (T, B, in, hidden) | jtorch inference ms | PyTorch ms | vs PyTorch "
                + "| ONNX Runtime (Java) ms | vs ORT | target | met | x compute bound (<= 1.25) "
                + "| jtorch train ms | PyTorch ms | vs PyTorch | met (1.2x) |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- |\n");
        List<Double> vsOrt = new ArrayList<>();
        List<String> cats = new ArrayList<>();
        List<Double> inf = new ArrayList<>();
        List<Double> tr = new ArrayList<>();
        for (String mode : new String[] {"LSTM", "GRU"}) {
            for (String shape : SHAPES) {
                double ji = KernelReport.get(st, "RnnBench.inference mode=" + mode + " shape=" + shape + W);
                double jt = KernelReport.get(st, "RnnBench.train mode=" + mode + " shape=" + shape + W);
                if (Double.isNaN(ji)) {
                    continue;
                }
                double pi = torch.getOrDefault(mode + " " + shape + " inference", Double.NaN);
                double pt = torch.getOrDefault(mode + " " + shape + " train", Double.NaN);
                String[] dims = shape.split("x");
                boolean b1 = dims[1].equals("1");
                double si = pi / ji;
                double stt = pt / jt;
                double oi = OnnxPeer.median(st, mode + "_" + shape);
                double vo = oi / ji;
                double targetOrt = b1 ? 2 : 1;
                int g = mode.equals("LSTM") ? 4 : 3;
                double flops = 2.0 * Integer.parseInt(dims[0]) * Integer.parseInt(dims[1]) * g
                        * Integer.parseInt(dims[3]) * (Integer.parseInt(dims[2]) + Integer.parseInt(dims[3]));
                double boundMs = flops / (batch1.peakGflops() * 1e6);
                md.append("| ").append(mode).append(" | (").append(shape.replace("x", ", ")).append(") | ")
                        .append(KernelReport.f(ji, 2)).append(" | ").append(KernelReport.f(pi, 2)).append(" | ")
                        .append(OnnxPeer.ratio(si)).append(" | ").append(KernelReport.f(oi, 2)).append(" | ")
                        .append(OnnxPeer.ratio(vo)).append(" | ").append(KernelReport.f(targetOrt, 0)).append("x | ")
                        .append(Double.isNaN(vo) ? "n/a" : vo >= targetOrt ? "yes" : "no").append(" | ")
                        .append(b1 ? "-" : KernelReport.f(ji / boundMs, 2) + (ji / boundMs <= 1.25 ? " (yes)" : " (no)"))
                        .append(" | ").append(KernelReport.f(jt, 2)).append(" | ").append(KernelReport.f(pt, 2))
                        .append(" | ").append(OnnxPeer.ratio(stt)).append(" | ")
                        .append(Double.isNaN(stt) ? "n/a" : stt >= 1.2 ? "yes" : "no").append(" |\n");
                cats.add(mode + " " + shape);
                inf.add(si);
                tr.add(stt);
                vsOrt.add(oi / ji);
            }
        }
        md.append("\nThe spread behind each median (fastest to slowest JMH iteration, PyTorch round), in ms:\n\n");
        md.append("| layer | (T, B, in, hidden) | jtorch inference | PyTorch inference | "
                + (ort.available() ? "ONNX Runtime (Java) | " : "") + "jtorch train | PyTorch train |\n");
        md.append("| --- | --- | ---: | ---: | " + (ort.available() ? "---: | " : "") + "---: | ---: |\n");
        for (String mode : new String[] {"LSTM", "GRU"}) {
            for (String shape : SHAPES) {
                KernelReport.Stat ji = st.get("RnnBench.inference mode=" + mode + " shape=" + shape + W);
                KernelReport.Stat jt = st.get("RnnBench.train mode=" + mode + " shape=" + shape + W);
                if (ji == null) {
                    continue;
                }
                md.append("| ").append(mode).append(" | (").append(shape.replace("x", ", ")).append(") | ")
                        .append(range(ji.min(), ji.max())).append(" | ")
                        .append(range(torchRounds.get(mode + " " + shape + " inference"))).append(" | ")
                        .append(ort.available() ? OnnxPeer.range(st, mode + "_" + shape, 2) + " | " : "")
                        .append(jt == null ? "n/a" : range(jt.min(), jt.max())).append(" | ")
                        .append(range(torchRounds.get(mode + " " + shape + " train"))).append(" |\n");
            }
        }
        md.append("\n![speedup over the peers](rnn.svg)\n");
        md.append(RnnBatch1Section.markdown(batch1));
        double[][] series = new double[ort.available() ? 3 : 2][cats.size()];
        for (int i = 0; i < cats.size(); i++) {
            series[0][i] = inf.get(i);
            series[1][i] = tr.get(i);
            if (ort.available()) {
                series[2][i] = vsOrt.get(i);
            }
        }
        Files.writeString(out.resolve("rnn.md"), md.toString());
        Files.writeString(out.resolve("rnn.svg"), SvgBarChart.render("jtorch speedup over the peers, single thread",
                "x", cats, ort.available() ? List.of("inference vs PyTorch", "forward+backward vs PyTorch",
                        "inference vs ONNX Runtime") : List.of("inference", "forward+backward"), series, 1.0,
                "1x = peer"));
        progress.finish();
        System.out.println(md);
    }
}

package dev.jtorch.bench;

import dev.jtorch.kernels.Kernels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code ./jtorch bench}: runs the kernel benchmarks (single-threaded, peers in the same run) with a short
 * profile and writes docs/benchmarks/kernels.md (tables with medians, ratios against the targets), two SVG
 * charts, and the raw JMH JSON. {@code --quick} runs a smoke-test profile into target/ instead.
 */
public final class KernelReport {
    private static final String[] GEMM_SHAPES = {"NN16x16x16", "NN32x32x32", "NN64x64x64", "NN256x256x256",
        "NN512x512x512", "NN1024x1024x1024", "NN2048x2048x2048", "NN1000x999x1001", "NT1024x1024x1024",
        "TN1024x1024x1024", "NT1000x999x1001", "NT1x1024x256", "NT32x1024x256"};

    private KernelReport() {
    }

    /** Median of the measurement iterations of one benchmark + parameter set. */
    record Stat(double median, double min, double max, String unit) {
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        Path out = quick ? Path.of("jmh/target/benchmarks") : Path.of("docs/benchmarks");
        Files.createDirectories(out);
        String openblas = OpenBlasInfo.describe();
        System.out.println("jtorch kernels: " + Kernels.description());
        System.out.println(openblas);
        ChainedOptionsBuilder opt = new OptionsBuilder()
                .include("dev\\.jtorch\\.bench\\.(GemmBench|DgemmBench|GemmScalarBench|ActivationBench|LstmGateBench)\\.")
                .forks(1)
                .warmupIterations(quick ? 1 : 4).warmupTime(TimeValue.milliseconds(quick ? 1000 : 500))
                .measurementIterations(quick ? 2 : 10).measurementTime(TimeValue.milliseconds(quick ? 1000 : 500))
                .resultFormat(ResultFormatType.JSON).result(out.resolve("kernels.json").toString())
                .shouldFailOnError(true);
        if (quick) {
            opt.param("shape", "NN64x64x64", "NN256x256x256", "NT1000x999x1001");
            opt.param("n", "4099");
        }
        Collection<RunResult> results = new Runner(opt.build()).run();
        Map<String, Stat> stats = medians(results);
        write(out, stats, openblas, quick);
    }

    /** Median, min and max of the measurement iterations of each benchmark + parameter set. */
    static Map<String, Stat> medians(Collection<RunResult> results) {
        Map<String, Stat> stats = new LinkedHashMap<>();
        for (RunResult rr : results) {
            List<Double> scores = new ArrayList<>();
            for (BenchmarkResult br : rr.getBenchmarkResults()) {
                for (IterationResult ir : br.getIterationResults()) {
                    scores.add(ir.getPrimaryResult().getScore());
                }
            }
            scores.sort(null);
            int n = scores.size();
            double median = n % 2 == 1 ? scores.get(n / 2) : (scores.get(n / 2 - 1) + scores.get(n / 2)) / 2;
            stats.put(key(rr), new Stat(median, scores.get(0), scores.get(n - 1), rr.getPrimaryResult().getScoreUnit()));
        }
        return stats;
    }

    static String key(RunResult rr) {
        String bench = rr.getParams().getBenchmark();
        bench = bench.substring(bench.lastIndexOf('.', bench.lastIndexOf('.') - 1) + 1);
        StringBuilder k = new StringBuilder(bench);
        for (String p : rr.getParams().getParamsKeys()) {
            k.append(' ').append(p).append('=').append(rr.getParams().getParam(p));
        }
        return k.toString();
    }

    static double get(Map<String, Stat> stats, String key) {
        Stat s = stats.get(key);
        return s == null ? Double.NaN : s.median();
    }

    static String f(double v, int digits) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%." + digits + "f", v);
    }

    /**
     * The CPU as /proc/cpuinfo names it, with its vendor, family and model (a VM may show only "AMD EPYC": the family
     * and model tell the generation, e.g. AMD family 25 is Zen 3/4, 26 is Zen 5), for example
     * {@code AMD EPYC (AuthenticAMD, family 25, model 17)}.
     */
    static String cpu() {
        String name = null;
        String vendor = null;
        String family = null;
        String model = null;
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                String v = line.indexOf(':') < 0 ? "" : line.substring(line.indexOf(':') + 1).trim();
                if (line.startsWith("model name") && name == null) {
                    name = v;
                } else if (line.startsWith("vendor_id") && vendor == null) {
                    vendor = v;
                } else if (line.startsWith("cpu family") && family == null) {
                    family = v;
                } else if (line.matches("model\\s*:.*") && model == null) {
                    model = v;
                }
            }
        } catch (IOException ignored) {
            // not Linux
        }
        if (name == null) {
            return System.getProperty("os.arch");
        }
        return vendor == null ? name : name + " (" + vendor + ", family " + family + ", model " + model + ")";
    }

    private static void write(Path out, Map<String, Stat> stats, String openblas, boolean quick) throws IOException {
        StringBuilder md = new StringBuilder();
        md.append("# Kernel benchmarks\n\n");
        md.append("Generated by `./jtorch bench` (dev.jtorch.bench.KernelReport) on ").append(LocalDate.now())
                .append(quick ? " with the quick smoke profile" : "").append(".\n\n");
        md.append("- CPU: ").append(cpu()).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" logical CPUs (shared and noisy: medians of the measurement iterations are quoted)\n");
        md.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ').append(Runtime.version()).append('\n');
        md.append("- jtorch kernels: ").append(Kernels.description()).append(", single-threaded\n");
        md.append("- Peer: ").append(openblas).append(" (benchmark runs unset OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE, "
                + "OPENBLAS_NUM_THREADS=1; operands in native memory, so no copy is timed); EJML fdense 0.43.1; the "
                + "JDK's lanewise TANH/EXP; the scalar twin (java.lang.Math)\n");
        md.append("- JMH: 1 fork, ").append(quick ? "1 x 1 s warmup, 2 x 1 s" : "4 x 0.5 s warmup, 10 x 0.5 s")
                .append(" measurement per benchmark, the median of the measurement iterations quoted; raw results in "
                        + "`kernels.json`\n\n");

        // GEMM
        md.append("## SGEMM (single-threaded, GFLOP/s, higher is better)\n\n");
        md.append("| shape (op m x n x k) | jtorch | OpenBLAS | EJML | scalar | jtorch / OpenBLAS | target | met |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n");
        List<String> cats = new ArrayList<>();
        List<double[]> rows = new ArrayList<>();
        for (String shape : GEMM_SHAPES) {
            double flops = GemmShape.parse(shape).flops();
            double jt = gflops(flops, get(stats, "GemmBench.jtorch shape=" + shape));
            double ob = gflops(flops, get(stats, "GemmBench.openblas shape=" + shape));
            double ej = gflops(flops, get(stats, "GemmBench.ejml shape=" + shape));
            double sc = gflops(flops, get(stats, "GemmScalarBench.scalar shape=" + shape));
            if (Double.isNaN(jt) && Double.isNaN(ob)) {
                continue;
            }
            double ratio = jt / ob;
            double target = gemmTarget(shape);
            md.append("| ").append(shape).append(" | ").append(f(jt, 1)).append(" | ").append(f(ob, 1)).append(" | ")
                    .append(f(ej, 1)).append(" | ").append(f(sc, 2)).append(" | ").append(f(ratio, 2)).append(" | ")
                    .append(Double.isNaN(target) ? "-" : "&ge; " + f(target, 2)).append(" | ")
                    .append(Double.isNaN(target) ? "-" : ratio >= target - 0.005 ? "yes" : "**no**").append(" |\n");
            cats.add(shape);
            rows.add(new double[] {jt, ob, ej, sc});
        }
        double[][] series = new double[4][cats.size()];
        for (int c = 0; c < cats.size(); c++) {
            for (int s = 0; s < 4; s++) {
                series[s][c] = rows.get(c)[s];
            }
        }
        Files.writeString(out.resolve("kernels-gemm.svg"), SvgBarChart.render("SGEMM, single thread", "GFLOP/s", cats,
                List.of("jtorch", "OpenBLAS", "EJML", "scalar"), series, Double.NaN, ""));
        md.append("\n![SGEMM GFLOP/s](kernels-gemm.svg)\n\n");
        md.append("Target (issue 14): at least OpenBLAS (through JavaCPP, same run) on every shape, transposed and small "
                + "ones included; the ratio is judged to two decimals. NT1x1024x256 and NT32x1024x256 are the "
                + "hidden-state products of an LSTM step (H = 256) at batch 1 (the GEMV path; the recurrent layer itself "
                + "now runs it on a prepacked GEMV, GemvBench) and 32.\n\n");

        md.append("## DGEMM (single-threaded, GFLOP/s, higher is better)\n\n"
                + "| shape (op m x n x k) | jtorch | OpenBLAS | jtorch / OpenBLAS | target | met |\n"
                + "| --- | ---: | ---: | ---: | ---: | --- |\n");
        for (String shape : DgemmBench.SHAPES) {
            double flops = GemmShape.parse(shape).flops();
            double jt = gflops(flops, get(stats, "DgemmBench.jtorch shape=" + shape));
            double ob = gflops(flops, get(stats, "DgemmBench.openblas shape=" + shape));
            if (Double.isNaN(jt) && Double.isNaN(ob)) {
                continue;
            }
            double ratio = jt / ob;
            md.append("| ").append(shape).append(" | ").append(f(jt, 1)).append(" | ").append(f(ob, 1)).append(" | ")
                    .append(f(ratio, 2)).append(" | &ge; 1.00 | ").append(ratio >= 0.995 ? "yes" : "**no**")
                    .append(" |\n");
        }
        md.append("\n");

        // Activations
        md.append("## Float activations (ns per element, lower is better)\n\n");
        md.append("| function, n | jtorch | JDK lanewise | scalar | speedup vs JDK | target | met |\n");
        md.append("| --- | ---: | ---: | ---: | ---: | ---: | --- |\n");
        List<String> speedCats = new ArrayList<>();
        List<Double> speeds = new ArrayList<>();
        for (String fn : new String[] {"tanh", "sigmoid", "exp"}) {
            for (String n : new String[] {"4096", "4099"}) {
                String p = " fn=" + fn + " n=" + n;
                double elems = Double.parseDouble(n);
                double jt = get(stats, "ActivationBench.jtorch" + p) / elems;
                double jdk = get(stats, "ActivationBench.jdkLanewise" + p) / elems;
                double sc = get(stats, "ActivationBench.scalar" + p) / elems;
                if (Double.isNaN(jt)) {
                    continue;
                }
                double sp = jdk / jt;
                md.append("| ").append(fn).append(", ").append(n).append(" | ").append(f(jt, 3)).append(" | ")
                        .append(f(jdk, 3)).append(" | ").append(f(sc, 3)).append(" | ").append(f(sp, 2)).append("x | ")
                        .append("&ge; 1x | ").append(sp >= 0.995 ? "yes" : "**no**").append(" |\n");
                speedCats.add(fn + " n=" + n + " vs JDK");
                speeds.add(sp);
            }
        }
        md.append("\nAccuracy of the jtorch kernels: within 2 ulp of the correctly rounded result over every finite "
                + "float (see [accuracy.md](../accuracy.md), produced by `./jtorch sweep`). The target is the JDK's "
                + "speed at that accuracy; the JDK's lanewise forms are not held to it. Largest error on a sample of a "
                + "million floats of both signs (ActivationBench.maxUlp, this run):\n\n| function | jtorch ulp | JDK "
                + "lanewise ulp |\n| --- | ---: | ---: |\n");
        for (String fn : new String[] {"tanh", "sigmoid", "exp"}) {
            double[] u = ActivationBench.maxUlp(fn);
            md.append("| ").append(fn).append(" | ").append(f(u[0], 2)).append(" | ").append(f(u[1], 2)).append(" |\n");
        }
        md.append("\n");

        // LSTM
        md.append("## Fused LSTM gate step, B = 32, H = 256 (microseconds, lower is better)\n\n");
        double fused = get(stats, "LstmGateBench.fused batch=32 hidden=256");
        double sep = get(stats, "LstmGateBench.separatePasses batch=32 hidden=256");
        md.append("| fused kernel | separate elementwise passes | speedup | target | met |\n| ---: | ---: | ---: | ---: | --- |\n");
        md.append("| ").append(f(fused, 2)).append(" | ").append(f(sep, 2)).append(" | ").append(f(sep / fused, 2))
                .append("x | &ge; 1.5x | ").append(sep / fused >= 1.5 ? "yes" : "**no**").append(" |\n\n");
        double tr = get(stats, "LstmGateBench.transcendentalsOnly batch=32 hidden=256");
        md.append("The step's five transcendental passes alone (sigmoid i, f, o; tanh g, c; no multiply or add) take ")
                .append(f(tr, 2)).append(" us, ").append(f(100 * tr / sep, 0)).append("% of the separate passes: "
                + "fusion removes only the rest, so the step's speed-up is bounded by ").append(f(sep / tr, 2))
                .append("x whatever the fusion, unless the activations themselves get cheaper (above).\n\n");
        if (!Double.isNaN(fused)) {
            speedCats.add("LSTM step fused vs separate");
            speeds.add(sep / fused);
        }
        double[][] sp = new double[1][speeds.size()];
        for (int i = 0; i < speeds.size(); i++) {
            sp[0][i] = speeds.get(i);
        }
        Files.writeString(out.resolve("kernels-speedups.svg"), SvgBarChart.render("Speedups of jtorch kernels over peers",
                "x (higher is better)", speedCats, List.of("speedup"), sp, 1.0, "1x = peer"));
        md.append("![Speedups](kernels-speedups.svg)\n");
        Files.writeString(out.resolve("kernels.md"), md.toString());
        System.out.println(md);
        System.out.println("wrote " + out.resolve("kernels.md"));
    }

    private static double gflops(double flops, double micros) {
        return flops / (micros * 1e3);
    }

    private static double gemmTarget(String shape) {
        return 1.0;
    }
}

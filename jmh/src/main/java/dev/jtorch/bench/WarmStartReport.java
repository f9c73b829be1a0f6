package dev.jtorch.bench;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
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
import java.util.stream.Stream;

/**
 * {@code ./jtorch bench warm-start}: fresh JVMs running {@code warm-start} (an eval LSTM(128, 256) answering a
 * (100, 32, 128) forward; dev.jtorch.examples.WarmStart) without and with JDK 25's AOT cache (recorded here first,
 * as {@code ./jtorch aot} does) and with warm-ups of 0, 400 and 1500 small forwards; the median of {@value #RUNS}
 * runs of each into docs/benchmarks/warm-start.md. {@code --quick}: one run each, into jmh/target/benchmarks.
 */
public final class WarmStartReport {
    static final int RUNS = 5;
    static final int[] WARM_UPS = {0, 400, 1500};
    /** Issue 14's target: the first batch-32 forward within 3x of the steady state. */
    static final double TARGET = 3.0;

    private WarmStartReport() {
    }

    /** The examples jar and its libraries, listed (an AOT cache checks the class path it was recorded with). */
    static String classPath() throws IOException {
        List<String> cp = new ArrayList<>();
        try (Stream<Path> jars = Files.list(Path.of("examples/target"))) {
            jars.filter(p -> p.getFileName().toString().matches("jtorch-examples-.*\\.jar")).forEach(p -> cp.add(p.toString()));
        }
        try (Stream<Path> libs = Files.list(Path.of("examples/target/lib"))) {
            libs.map(Path::toString).filter(s -> s.endsWith(".jar")).sorted().forEach(cp::add);
        }
        if (cp.isEmpty()) {
            throw new IllegalStateException("no examples jar under examples/target: build with ./jtorch bench warm-start");
        }
        return String.join(File.pathSeparator, cp);
    }

    /** One fresh JVM's figures: warmup_ms, first_answer_ms, first_ms, steady_ms. */
    static Map<String, Double> run(String cp, String aot, boolean record, int warmUp) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (aot != null) {
            cmd.add((record ? "-XX:AOTCacheOutput=" : "-XX:AOTCache=") + aot);
        }
        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-cp", cp, "dev.jtorch.examples.Main", "warm-start",
                "--warm-up", String.valueOf(warmUp), "--requests", "12"));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) {
            throw new IllegalStateException("warm-start failed: " + out);
        }
        return parse(out);
    }

    /** One fresh JVM of example-service: milliseconds from the JVM's start to its first answer. */
    static double service(String cp, String aot, int warmUp) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        if (aot != null) {
            cmd.add("-XX:AOTCache=" + aot);
        }
        cmd.addAll(List.of("--add-modules", "jdk.incubator.vector", "-cp", cp, "dev.jtorch.examples.Main",
                "example-service", "--requests", "200", "--warm-up", String.valueOf(warmUp)));
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("first answer ([0-9]+) ms after JVM start").matcher(out);
        if (p.waitFor() != 0 || !m.find()) {
            throw new IllegalStateException("example-service failed: " + out);
        }
        return Double.parseDouble(m.group(1));
    }

    static Map<String, Double> parse(String out) {
        Map<String, Double> m = new LinkedHashMap<>();
        Matcher x = Pattern.compile("(warmup_ms|first_answer_ms|first_ms|steady_ms)=([0-9.]+)").matcher(out);
        while (x.find()) {
            m.put(x.group(1), Double.parseDouble(x.group(2)));
        }
        if (m.size() != 4) {
            throw new IllegalStateException("no figures in warm-start's output: " + out);
        }
        return m;
    }

    static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(d -> d).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : (a[a.length / 2 - 1] + a[a.length / 2]) / 2;
    }

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        int runs = quick ? 1 : RUNS;
        Path out = quick ? Path.of("jmh/target/benchmarks") : Path.of("docs/benchmarks");
        Files.createDirectories(out);
        String cp = classPath();
        Path aot = Path.of("jmh/target/warm-start.aot");
        Files.createDirectories(aot.getParent());
        Files.deleteIfExists(aot);
        run(cp, aot.toString(), true, 1500);   // the training run, as ./jtorch aot records it
        ReportProgress progress = new ReportProgress("bench warm-start", 2 * WARM_UPS.length);
        StringBuilder rows = new StringBuilder();
        for (boolean withCache : new boolean[] {false, true}) {
            for (int w : WARM_UPS) {
                progress.next((withCache ? "AOT cache" : "no cache") + ", warm-up " + w);
                Map<String, List<Double>> all = new LinkedHashMap<>();
                for (int r = 0; r < runs; r++) {
                    run(cp, withCache ? aot.toString() : null, false, w).forEach((k, v) ->
                            all.computeIfAbsent(k, key -> new ArrayList<>()).add(v));
                }
                double first = median(all.get("first_ms"));
                double steady = median(all.get("steady_ms"));
                double ratio = first / steady;
                rows.append("| ").append(withCache ? "yes" : "no").append(" | ").append(w).append(" | ")
                        .append(KernelReport.f(median(all.get("warmup_ms")), 0)).append(" | ")
                        .append(KernelReport.f(median(all.get("first_answer_ms")), 0)).append(" | ")
                        .append(KernelReport.f(first, 1)).append(" | ").append(KernelReport.f(steady, 1)).append(" | ")
                        .append(KernelReport.f(ratio, 1)).append("x | ").append(ratio <= TARGET ? "yes" : "no")
                        .append(" |\n");
            }
        }
        StringBuilder serviceRows = new StringBuilder();
        for (boolean withCache : new boolean[] {false, true}) {
            for (int w : new int[] {0, 300}) {
                List<Double> v = new ArrayList<>();
                for (int r = 0; r < runs; r++) {
                    v.add(service(cp, withCache ? aot.toString() : null, w));
                }
                serviceRows.append("| ").append(withCache ? "yes" : "no").append(" | ").append(w).append(" | ")
                        .append(KernelReport.f(median(v), 0)).append(" |\n");
            }
        }
        String md = "# Warm start\n\nGenerated by `./jtorch bench warm-start` (dev.jtorch.bench.WarmStartReport) on "
                + LocalDate.now() + (quick ? " with the quick profile (one run each: for checking the report)" : "")
                + ".\n\n- CPU: " + KernelReport.cpu() + ", " + Runtime.getRuntime().availableProcessors()
                + " logical CPUs; JDK " + Runtime.version() + "\n"
                + "- Each row: fresh JVMs (median of " + runs + ") running `./jtorch warm-start --warm-up N`: an eval "
                + "LSTM(128, 256) built, N warm-up forwards of a (4, 2, 128) input (`Utils.warmUp`), then 12 forwards "
                + "of (100, 32, 128) under noGrad, the first checked against the last. First answer: from the JVM's "
                + "start to the first correct (100, 32, 128) answer. Steady: the median of the last 6 forwards.\n"
                + "- AOT cache: JDK 25's ahead-of-time cache (JEPs 483, 514, 515: classes loaded and linked, method "
                + "profiles), recorded by a training run of `warm-start --warm-up 1500`, as `./jtorch aot` does.\n"
                + "- Target (issue 14): the first batch-32 forward within " + KernelReport.f(TARGET, 0)
                + "x of the steady state.\n\n"
                + "| AOT cache | warm-up calls | warm-up ms | first answer ms | first forward ms | steady ms | "
                + "first / steady | within 3x |\n| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |\n" + rows
                + "\n`./jtorch example-service` (its LSTM(16, 64) classifier on (1, 20, 16) requests; the cache recorded "
                + "from warm-start, which runs the same layers; warm-up on (1, 4, 16)), milliseconds from the JVM's start "
                + "to its first answer, median of " + runs + ":\n\n| AOT cache | warm-up calls | first answer ms |\n"
                + "| --- | ---: | ---: |\n" + serviceRows;
        Files.writeString(out.resolve("warm-start.md"), md);
        progress.finish();
        System.out.println(md);
    }
}

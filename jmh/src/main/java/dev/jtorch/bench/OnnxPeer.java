package dev.jtorch.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * ONNX Runtime's Java API as a peer of the rnn, conv and attention reports: exports the report's models with
 * tools/bench/export_onnx.py once at the start of the run (the PyTorch peer's Python), then times
 * {@link OnnxRuntimeBench} on each case right after jtorch's JMH run of it. Anything that fails (no Python, an
 * export, ONNX Runtime's jar or native library, one case's session) is said in the report's line and leaves
 * the column, or the case, empty: the report itself goes on.
 */
final class OnnxPeer {
    /** The system property naming the directory of the exported models (with manifest.json). */
    static final String DIR_PROPERTY = "jtorch.onnx.dir";
    /** The system property giving ONNX Runtime's intra-op thread count (default 1). */
    static final String THREADS_PROPERTY = "jtorch.onnx.threads";
    /** The export script, relative to the repository root (where the reports run). */
    static final String SCRIPT = "tools/bench/export_onnx.py";
    /** The JMH warmup iterations of 1 s: ONNX Runtime runs native code, so a few are plenty. */
    static final int WARMUP = 3;

    /** One input of an exported model: its name, "float32" or "int64", shape, and for ids the bound of [0, high). */
    record Input(String name, String dtype, long[] shape, long high) {
        long numel() {
            return Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        }
    }

    /** One exported model: its file (relative to the manifest's directory) and inputs. */
    record Model(String file, List<Input> inputs) {
    }

    private static final Pattern CASE = Pattern.compile(
            "\"([^\"]+)\"\\s*:\\s*\\{\\s*\"file\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"inputs\"\\s*:\\s*\\[(.*)]\\s*}");
    private static final Pattern INPUT = Pattern.compile("\\{\\s*\"name\"\\s*:\\s*\"([^\"]+)\"\\s*,\\s*\"dtype\"\\s*:"
            + "\\s*\"([a-z0-9]+)\"\\s*,\\s*\"shape\"\\s*:\\s*\\[([0-9,\\s]*)](?:\\s*,\\s*\"high\"\\s*:\\s*([0-9]+))?\\s*}");

    /** The cases of export_onnx.py's manifest.json, in its order (one case a line, as the script writes it). */
    static Map<String, Model> parseManifest(String json) {
        Map<String, Model> out = new LinkedHashMap<>();
        for (String line : json.split("\n")) {
            Matcher c = CASE.matcher(line);
            if (!c.find()) {
                continue;
            }
            List<Input> inputs = new ArrayList<>();
            Matcher i = INPUT.matcher(c.group(3));
            while (i.find()) {
                long[] shape = i.group(3).isBlank() ? new long[0] : Arrays.stream(i.group(3).split(","))
                        .mapToLong(s -> Long.parseLong(s.trim())).toArray();
                inputs.add(new Input(i.group(1), i.group(2), shape, i.group(4) == null ? 0 : Long.parseLong(i.group(4))));
            }
            out.put(c.group(1), new Model(c.group(2), List.copyOf(inputs)));
        }
        return out;
    }

    /** The command line that exports the models into {@code dir}, for messages. */
    static String exportCommand(String dir) {
        return "/usr/bin/python3 " + SCRIPT + " " + dir;
    }

    /** The manifest of {@code dir}, or an IllegalStateException that says how to export the models. */
    static Map<String, Model> manifest(Path dir) throws java.io.IOException {
        Path file = dir.resolve("manifest.json");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException("no ONNX models in " + dir.toAbsolutePath() + " (no manifest.json): export "
                    + "them with `" + exportCommand(dir.toString()) + "` (./jtorch bench rnn|conv|attention do it)");
        }
        return parseManifest(Files.readString(file));
    }

    private final Path dir;
    private final String version;
    private final String opset;
    private final String unavailable;
    private final Map<String, String> failed = new LinkedHashMap<>();

    private OnnxPeer(Path dir, String version, String opset, String unavailable) {
        this.dir = dir;
        this.version = version;
        this.opset = opset;
        this.unavailable = unavailable;
    }

    /** A peer measured with ONNX Runtime {@code version} on the models of {@code dir} (exported at {@code opset}). */
    static OnnxPeer measured(Path dir, String version, String opset) {
        return new OnnxPeer(dir, version, opset, null);
    }

    /** A peer that is not measured, for the reason given (the report's line says it). */
    static OnnxPeer unavailable(String reason) {
        return new OnnxPeer(null, null, null, reason);
    }

    /**
     * Loads ONNX Runtime (its jar and native library) and exports {@code cases} with {@code python} into
     * {@code dir}; never throws: a failure gives a peer that says why it was not measured.
     */
    static OnnxPeer prepare(String python, List<String> cases, Path dir) {
        if (python == null) {
            return unavailable("no Python with PyTorch to export the models");
        }
        String version;
        try {
            version = ai.onnxruntime.OrtEnvironment.getEnvironment().getVersion();
        } catch (Throwable e) { // NoClassDefFoundError without the jar, UnsatisfiedLinkError without its natives
            return unavailable("ONNX Runtime's Java API did not load: " + e);
        }
        try {
            Files.createDirectories(dir);
            Files.deleteIfExists(dir.resolve("manifest.json"));
            List<String> cmd = new ArrayList<>(List.of(python, SCRIPT, dir.toString(), "--only"));
            cmd.addAll(cases);
            System.out.println("Exporting the ONNX models: " + String.join(" ", cmd));
            int rc = new ProcessBuilder(cmd).inheritIO().start().waitFor();
            Map<String, Model> m = Files.exists(dir.resolve("manifest.json")) ? manifest(dir) : Map.of();
            List<String> missing = cases.stream().filter(c -> !m.containsKey(c)).toList();
            if (m.isEmpty()) {
                return unavailable("the export (" + SCRIPT + ") failed with exit code " + rc);
            }
            String opset = Files.readString(dir.resolve("manifest.json")).replaceAll("(?s).*\"opset\": ([0-9]+).*", "$1");
            OnnxPeer peer = measured(dir, version, opset);
            missing.forEach(c -> peer.failed.put(c, "export failed"));
            return peer;
        } catch (Exception e) {
            return unavailable("the export (" + SCRIPT + ") failed: " + e);
        }
    }

    /** Whether the peer is measured at all (else the reports leave its columns out). */
    boolean available() {
        return unavailable == null;
    }

    /**
     * The JMH run of {@link OnnxRuntimeBench} on one case (forks and measurement iterations as jtorch's, the
     * warmup {@link #WARMUP} x 1 s), or nothing where the peer or the case failed (the reason goes to the note).
     */
    List<RunResult> run(String name, int forks, int iterations) {
        return run(name, forks, iterations, 1);
    }

    /** {@link #run(String, int, int)} with ONNX Runtime on {@code threads} intra-op threads. */
    List<RunResult> run(String name, int forks, int iterations, int threads) {
        if (!available() || failed.containsKey(name)) {
            return List.of();
        }
        OptionsBuilder opt = new OptionsBuilder();
        opt.include("dev\\.jtorch\\.bench\\.OnnxRuntimeBench\\.").param("model", name).forks(forks)
                .jvmArgsAppend("--enable-native-access=ALL-UNNAMED", "-D" + DIR_PROPERTY + "=" + dir.toAbsolutePath(),
                        "-D" + THREADS_PROPERTY + "=" + threads)
                .warmupIterations(WARMUP).warmupTime(TimeValue.seconds(1))
                .measurementIterations(iterations).measurementTime(TimeValue.seconds(1))
                .shouldFailOnError(true);
        try {
            return new ArrayList<>(new Runner(opt.build()).run());
        } catch (Exception e) {
            failed.put(name, "its JMH run failed (" + e.getMessage() + ")");
            return List.of();
        }
    }

    /** The JMH key of a case's median in KernelReport.medians. */
    static String key(String name) {
        return "OnnxRuntimeBench.inference model=" + name;
    }

    /** ONNX Runtime's median for a case in ms, NaN where it was not measured. */
    static double median(Map<String, KernelReport.Stat> st, String name) {
        return KernelReport.get(st, key(name));
    }

    /** The fastest to slowest JMH iteration of a case in ms, with {@code digits} decimals, or "n/a". */
    static String range(Map<String, KernelReport.Stat> st, String name, int digits) {
        KernelReport.Stat s = st.get(key(name));
        return s == null ? "n/a" : KernelReport.f(s.min(), digits) + " - " + KernelReport.f(s.max(), digits);
    }

    /** A speedup as the tables show it: "1.23x", or "n/a". */
    static String ratio(double r) {
        return Double.isNaN(r) ? "n/a" : KernelReport.f(r, 2) + "x";
    }

    /** The report's line (a Markdown list item) on how ONNX Runtime was measured, or why it was not. */
    String note() {
        if (!available()) {
            return "- ONNX Runtime (Java): not measured in this run (" + unavailable + "), so its columns are left "
                    + "out\n";
        }
        StringBuilder s = new StringBuilder("- ONNX Runtime (Java) ").append(version)
                .append(" (com.microsoft.onnxruntime:onnxruntime, CPU provider; dev.jtorch.bench.OnnxRuntimeBench): "
                        + "one intra-op and one inter-op thread, sequential execution, all graph optimisations, on "
                        + "the PyTorch module exported by torch.onnx.export (opset ").append(opset)
                .append(", random weights) with tools/bench/export_onnx.py at the start of the run; JMH as for "
                        + "jtorch, with ").append(WARMUP).append(" x 1 s warmup, right after jtorch's run of the "
                        + "same case");
        if (!failed.isEmpty()) {
            s.append(". Not measured: ");
            failed.forEach((c, why) -> s.append(c).append(" (").append(why).append("); "));
            s.setLength(s.length() - 2);
        }
        return s.append('\n').toString();
    }
}

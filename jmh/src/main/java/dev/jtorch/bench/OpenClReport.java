package dev.jtorch.bench;

import dev.jtorch.Device;
import dev.jtorch.kernels.Kernels;
import dev.jtorch.opencl.OpenClBackend;
import dev.jtorch.opencl.OpenClProvider;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatFactory;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code ./jtorch bench opencl}: the OpenCL backend beside the CPU backend ({@link OpenClBench}), into
 * docs/benchmarks/opencl.md with a chart and the raw JMH JSON. The shapes of the issue (SGEMM 1024-8192,
 * elementwise on 256 MB, softmax, LSTM (100, 256, 1024, 1024) and (100, 1, 128, 256)) when opencl:0 is a GPU or
 * with {@code --full}; on a CPU driver (PoCL) the cases too slow for it are cut down ({@code --pocl} profile,
 * labelled as such in the report: its figures check that the path works, they say nothing of a GPU).
 * {@code --quick} runs a smoke profile into jmh/target/benchmarks.
 */
public final class OpenClReport {
    /** Reference figures measured on the H200 of the issue (not in this run): name, value, unit. */
    static final double CUBLAS_SGEMM_TFLOPS = 51;
    static final double CUDNN_LSTM_B256_MS = 10.7;
    static final double CUDNN_LSTM_B1_MS = 1.25;

    private OpenClReport() {
    }

    static List<String> cases(String profile) {
        return switch (profile) {
            case "full" -> List.of("sgemm 1024", "sgemm 2048", "sgemm 4096", "sgemm 8192", "copy 256", "copyk 256",
                    "add 256", "mul 256", "softmax 16384x4096", "lstm-fwd 100x256x1024x1024",
                    "lstm-train 100x256x1024x1024", "lstm-fwd 100x1x128x256", "lstm-train 100x1x128x256");
            case "pocl" -> List.of("sgemm 1024", "sgemm 2048", "copy 256", "copyk 256", "add 256", "mul 256",
                    "softmax 16384x4096", "lstm-fwd 10x256x1024x1024", "lstm-train 10x256x1024x1024",
                    "lstm-fwd 100x1x128x256", "lstm-train 100x1x128x256");
            default -> List.of("sgemm 256", "copy 16", "copyk 16", "add 16", "softmax 256x1024", "lstm-fwd 5x4x32x64",
                    "lstm-train 5x4x32x64");
        };
    }

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        boolean quick = a.contains("--quick");
        Path out = quick ? Path.of("jmh/target/benchmarks") : Path.of("docs/benchmarks");
        Files.createDirectories(out);
        String why = OpenClProvider.unavailableReason();
        String deviceLine;
        boolean gpu = false;
        if (why == null) {
            OpenClBackend b = OpenClProvider.backendOf(Device.opencl(0));
            deviceLine = b.describe();
            gpu = b.isGpu();
        } else {
            deviceLine = "none: " + why;
        }
        String profile = quick ? "quick" : a.contains("--full") || gpu ? "full" : a.contains("--pocl") || why == null
                ? "pocl" : "full";
        List<String> cases = cases(profile);
        String[] devices = why == null ? new String[] {"cpu", "opencl:0"} : new String[] {"cpu"};
        System.out.println("OpenCL device: " + deviceLine + "; profile " + profile);
        List<RunResult> results = new ArrayList<>();
        ReportProgress progress = new ReportProgress("bench opencl", cases.size());
        for (String c : cases) {
            progress.next(c);
            boolean slow = c.startsWith("lstm") && !c.contains("x1x") || c.equals("sgemm 8192");
            ChainedOptionsBuilder opt = new OptionsBuilder()
                    .include("dev\\.jtorch\\.bench\\.OpenClBench\\.")
                    .param("kase", c).param("device", devices)
                    .forks(1)
                    .warmupIterations(quick ? 1 : 2).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(quick ? 2 : slow ? 3 : 5).measurementTime(TimeValue.seconds(1))
                    .shouldFailOnError(true);
            results.addAll(new Runner(opt.build()).run());
        }
        try (PrintStream ps = new PrintStream(Files.newOutputStream(out.resolve("opencl.json")), true, "UTF-8")) {
            ResultFormatFactory.getInstance(ResultFormatType.JSON, ps).writeOut(results);
        }
        Map<String, KernelReport.Stat> st = KernelReport.medians(results);
        String md = markdown(st, cases, profile, deviceLine, why == null, gpu);
        Files.writeString(out.resolve("opencl.md"), md);
        List<String> cats = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        for (String c : cases) {
            double cpu = ms(st, "cpu", c);
            double ocl = ms(st, "opencl:0", c);
            if (!Double.isNaN(cpu) && !Double.isNaN(ocl)) {
                cats.add(c);
                ratio.add(cpu / ocl);
            }
        }
        double[][] series = {ratio.stream().mapToDouble(d -> d).toArray()};
        Files.writeString(out.resolve("opencl.svg"), SvgBarChart.render("OpenCL speed over the CPU backend ("
                + (gpu ? "GPU" : "CPU driver") + ")", "x", cats, List.of("opencl:0 / cpu"), series, 1.0, "1x = CPU"));
        progress.finish();
        System.out.println(md);
    }

    static double ms(Map<String, KernelReport.Stat> st, String device, String c) {
        return KernelReport.get(st, "OpenClBench.run device=" + device + " kase=" + c);
    }

    /** The case's throughput from its time in ms: GFLOP/s for GEMM and LSTM, GB/s for the memory-bound cases. */
    static double rate(String c, double ms) {
        String[] k = c.split(" ");
        double s = ms / 1e3;
        return switch (k[0]) {
            case "sgemm" -> 2 * Math.pow(Double.parseDouble(k[1]), 3) / s / 1e9;
            case "copy", "copyk" -> 2.0 * Integer.parseInt(k[1]) * (1 << 20) / s / 1e9;
            case "add", "mul" -> 3.0 * Integer.parseInt(k[1]) * (1 << 20) / s / 1e9;
            case "softmax" -> {
                int[] rc = OpenClBench.dims(k[1]);
                yield 2.0 * rc[0] * rc[1] * Float.BYTES / s / 1e9;
            }
            default -> {
                // forward: the input and recurrent GEMMs, 2 T B 4H (I + H); training about three times that
                int[] d = OpenClBench.dims(k[1]);
                double fwd = 2.0 * d[0] * d[1] * 4 * d[3] * (d[2] + d[3]);
                yield (k[0].equals("lstm-train") ? 3 * fwd : fwd) / s / 1e9;
            }
        };
    }

    static String unit(String c) {
        return c.startsWith("sgemm") || c.startsWith("lstm") ? "GFLOP/s" : "GB/s";
    }

    private static String markdown(Map<String, KernelReport.Stat> st, List<String> cases, String profile,
                                   String deviceLine, boolean haveDevice, boolean gpu) {
        StringBuilder md = new StringBuilder("# OpenCL backend benchmarks\n\n");
        md.append("Generated by `./jtorch bench opencl` (dev.jtorch.bench.OpenClReport) on ").append(LocalDate.now())
                .append(", profile `").append(profile).append("`.\n\n");
        md.append("- OpenCL device: ").append(deviceLine).append('\n');
        md.append("- CPU backend: ").append(KernelReport.cpu()).append(", ")
                .append(Runtime.getRuntime().availableProcessors()).append(" logical CPUs; ")
                .append(Kernels.description()).append(", default kernel threads\n");
        md.append("- JVM: ").append(System.getProperty("java.vm.name")).append(' ').append(Runtime.version())
                .append("; JMH 1 fork, 2 x 1 s warmup, 5 x 1 s measurement (3 for the largest cases); medians "
                        + "quoted; raw results in `opencl.json`\n");
        md.append("- float32 through the public API (`Tensor.to(Device.opencl(0))`, `matmul`, `copy_`, `add_`, "
                + "`mul_`, `softmax`, `nn.LSTM`); each timed call ends by waiting for the device\n");
        if (profile.equals("pocl")) {
            md.append("\n**This run's OpenCL device is a CPU driver, not a GPU**: its figures show that every path "
                    + "runs, not what a GPU does. The cases too slow for it are cut down (no SGEMM 4096/8192; the "
                    + "B=256 LSTM over T=10 steps instead of 100).\n");
        }
        if (!haveDevice) {
            md.append("\n**No OpenCL device on this machine**: only the CPU column was measured.\n");
        }
        md.append("\n| case | unit | cpu ms | cpu rate | opencl:0 ms | opencl:0 rate | opencl / cpu speed |\n");
        md.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (String c : cases) {
            double cpu = ms(st, "cpu", c);
            double ocl = ms(st, "opencl:0", c);
            md.append("| ").append(c).append(" | ").append(unit(c)).append(" | ").append(KernelReport.f(cpu, 2))
                    .append(" | ").append(KernelReport.f(rate(c, cpu), 1)).append(" | ")
                    .append(KernelReport.f(ocl, 2)).append(" | ").append(KernelReport.f(rate(c, ocl), 1))
                    .append(" | ").append(KernelReport.f(cpu / ocl, 2)).append("x |\n");
        }
        md.append("\n![OpenCL over CPU](opencl.svg)\n\n## Targets of the issue\n\n");
        md.append("Reference figures measured on an NVIDIA H200 (not in this run): cuBLAS SGEMM ")
                .append(KernelReport.f(CUBLAS_SGEMM_TFLOPS, 0)).append(" TFLOP/s at n = 4096-8192 (TF32 off); cuDNN "
                        + "LSTM forward (100, 256, 1024, 1024) ").append(CUDNN_LSTM_B256_MS)
                .append(" ms and (100, 1, 128, 256) ").append(CUDNN_LSTM_B1_MS).append(" ms.\n\n");
        if (!gpu) {
            md.append("The targets are a GPU's: on this device they are not judged (on a CPU driver a kernel spread over "
                    + "the cores can even beat its single-threaded clEnqueueCopyBuffer).\n\n");
        }
        md.append("| target | measured | met |\n| --- | ---: | --- |\n");
        double best = Math.max(rate("sgemm 4096", ms(st, "opencl:0", "sgemm 4096")),
                rate("sgemm 8192", ms(st, "opencl:0", "sgemm 8192")));
        md.append("| SGEMM n = 4096-8192 at least 70% of cuBLAS (").append(KernelReport.f(0.7 * CUBLAS_SGEMM_TFLOPS, 1))
                .append(" TFLOP/s) | ").append(KernelReport.f(best / 1e3, 2)).append(" TFLOP/s | ")
                .append(met(gpu, best >= 0.7 * CUBLAS_SGEMM_TFLOPS * 1e3, best)).append(" |\n");
        // the plain copy's bandwidth: the better of clEnqueueCopyBuffer (copy) and the copy kernel (copyk)
        double copy = Math.max(rate("copy 256", ms(st, "opencl:0", "copy 256")),
                rate("copyk 256", ms(st, "opencl:0", "copyk 256")));
        double add = rate("add 256", ms(st, "opencl:0", "add 256"));
        double mul = rate("mul 256", ms(st, "opencl:0", "mul 256"));
        double worst = Math.min(add, mul);
        md.append("| add/mul on 256 MB at least 80% of the copy bandwidth (the better of copy and copyk: ").append(KernelReport.f(copy, 1))
                .append(" GB/s) | add ").append(KernelReport.f(add, 1)).append(", mul ").append(KernelReport.f(mul, 1))
                .append(" GB/s (").append(KernelReport.f(100 * worst / copy, 0)).append("%) | ")
                .append(met(gpu, worst >= 0.8 * copy, worst / copy)).append(" |\n");
        double lstm = ms(st, "opencl:0", "lstm-fwd 100x256x1024x1024");
        md.append("| LSTM forward (100, 256, 1024, 1024) within 1.5x of cuDNN (")
                .append(KernelReport.f(1.5 * CUDNN_LSTM_B256_MS, 2))
                .append(" ms) | ").append(KernelReport.f(lstm, 2)).append(" ms | ")
                .append(met(gpu, lstm <= 1.5 * CUDNN_LSTM_B256_MS, lstm)).append(" |\n");
        return md.toString();
    }

    private static String met(boolean gpu, boolean ok, double measured) {
        return Double.isNaN(measured) ? "not measured" : !gpu ? "not judged (not a GPU)" : ok ? "yes" : "no";
    }
}

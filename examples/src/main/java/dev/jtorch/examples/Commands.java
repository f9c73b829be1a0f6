package dev.jtorch.examples;

import dev.jtorch.JTorch;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Column;
import picocli.CommandLine.Help.TextTable;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/**
 * The commands of {@code ./jtorch}, as picocli declares them: every command the script accepts, with its options
 * and help text, so that {@code ./jtorch --help}, {@code ./jtorch help COMMAND} and {@code ./jtorch COMMAND --help}
 * describe them all. {@code info}, {@code demo}, {@code demo-transformer}, {@code demo-mlp}, {@code demo-cnn} and {@code example-service}
 * run here. {@code test}, {@code sweep}, {@code bench}, {@code jmh} and {@code mvn} are run by the script itself
 * (Maven, JMH, the report generators of the jmh module): here they are declared for their help, and run they do
 * nothing. The hidden {@code --check} parses a command line and runs nothing: the script checks each command it
 * runs in Java with it (in a JVM without the Vector API, whose start-up warning would precede the one-line
 * answer to a bad option), and {@code bench}'s options before a run of many minutes.
 */
final class Commands {
    private Commands() {
    }

    /** {@code -h, --help} on every command. */
    static final class HelpOption {
        @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
        boolean help;
    }

    /** An int of at least 1 ({@code --hidden 0} is answered like {@code --hidden abc}: one line). */
    static final class AtLeastOne implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 1);
        }
    }

    /** An int of at least 0. */
    static final class AtLeastZero implements ITypeConverter<Integer> {
        @Override
        public Integer convert(String value) {
            return atLeast(value, 0);
        }
    }

    /** A finite double greater than 0. */
    static final class Positive implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v = finite(value);
            if (!(v > 0)) {
                throw new TypeConversionException("'" + value + "' is not positive");
            }
            return v;
        }
    }

    /** A finite double of at least 0. */
    static final class NonNegative implements ITypeConverter<Double> {
        @Override
        public Double convert(String value) {
            double v = finite(value);
            if (!(v >= 0)) {
                throw new TypeConversionException("'" + value + "' is negative");
            }
            return v;
        }
    }

    private static int atLeast(String value, int min) {
        int v;
        try {
            v = Integer.parseInt(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not an int");
        }
        if (v < min) {
            throw new TypeConversionException("'" + value + "' is less than " + min);
        }
        return v;
    }

    private static double finite(String value) {
        double v;
        try {
            v = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + value + "' is not a number");
        }
        if (!Double.isFinite(v)) {
            throw new TypeConversionException("'" + value + "' is not finite");
        }
        return v;
    }

    /** {@code jtorch}: the top-level command; without a command it prints its help. */
    @Command(name = "jtorch", synopsisSubcommandLabel = "COMMAND",
            description = {"torch.nn for the JVM, in pure Java 25.", "./jtorch builds what a command needs with the "
                    + "pinned Maven (./mvnw) and the JDK 25 or newer it finds, then runs it."},
            footer = {"", "./jtorch help COMMAND or ./jtorch COMMAND --help shows a command's options."},
            subcommands = {Info.class, Demo.class, DemoTransformer.class, DemoMlp.class, DemoCnn.class,
                ExampleService.class, WarmStartCommand.class, Aot.class, Test.class, Install.class, Consumer.class,
                Javadoc.class, Sweep.class,
                Bench.class, SparkDemo.class, Jmh.class, Mvn.class, HelpCommand.class})
    static final class Jtorch implements Runnable {
        @Mixin
        HelpOption help;
        /** Parse and check the command line, run nothing: the script checks a command before a long build or run. */
        @Option(names = "--check", hidden = true)
        boolean check;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            spec.commandLine().usage(spec.commandLine().getOut());
        }
    }

    /** {@code info}. */
    @Command(name = "info", description = "Which kernels this JVM gets: vector species or scalar, vector width, "
            + "GEMM threads.")
    static final class Info implements Runnable {
        @Mixin
        HelpOption help;
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            PrintWriter out = spec.commandLine().getOut();
            out.print(JTorch.config());
            out.flush();
        }
    }

    /** {@code demo}: {@link CharLm}. */
    @Command(name = "demo", description = {"The main job: a character-level language model on the Book of Genesis.",
        "Trains an LSTM (or GRU) on the King James Version with a progress bar, saves a safetensors checkpoint, "
                + "reloads it and generates text; about two minutes with the defaults."})
    static final class Demo implements Callable<Integer> {
        @Mixin
        CharLm.Options options;
        @Mixin
        HelpOption help;

        @Override
        public Integer call() throws Exception {
            CharLm.run(options);
            return 0;
        }
    }

    /** {@code demo-transformer}: {@link CharTransformer}. */
    @Command(name = "demo-transformer", description = {"A small causal Transformer language model on the Book of "
            + "Genesis.", "Embedding, learned positions and pre-norm encoder layers under the causal mask, trained "
            + "with Adam and a progress bar; saves a safetensors checkpoint, reloads it, checks its logits and "
            + "generates text; about a minute with the defaults."})
    static final class DemoTransformer implements Callable<Integer> {
        @Mixin
        CharTransformer.Options options;
        @Mixin
        HelpOption help;

        @Override
        public Integer call() throws Exception {
            CharTransformer.run(options, System.out);
            return 0;
        }
    }

    /** {@code demo-mlp}: {@link dev.jtorch.examples.Demo}. */
    @Command(name = "demo-mlp", description = {"An MLP classifier on three spirals.", "Trains, saves its state "
            + "dict as safetensors, reloads it into a fresh model and reports the test accuracy."})
    static final class DemoMlp implements Callable<Integer> {
        @Mixin
        dev.jtorch.examples.Demo.Options options;
        @Mixin
        HelpOption help;

        @Override
        public Integer call() throws Exception {
            dev.jtorch.examples.Demo.run(options);
            return 0;
        }
    }

    /** {@code demo-cnn}: {@link DigitsCnn}. */
    @Command(name = "demo-cnn", description = {"A CNN on the UCI 8x8 handwritten digits.", "Trains, saves a "
            + "safetensors checkpoint, reloads it and reports the held-out accuracy."})
    static final class DemoCnn implements Callable<Integer> {
        @Mixin
        DigitsCnn.Options options;
        @Mixin
        HelpOption help;

        @Override
        public Integer call() throws Exception {
            DigitsCnn.run(options);
            return 0;
        }
    }

    /** {@code example-service}: {@link ServiceExample}. */
    @Command(name = "example-service", description = {"One eval-mode model shared by a thread pool of request "
            + "handlers.", "Checks the concurrent answers of an LSTM classifier against the single-threaded ones and "
            + "prints the throughput."})
    static final class ExampleService implements Callable<Integer> {
        @Mixin
        ServiceExample.Options options;
        @Mixin
        HelpOption help;

        @Override
        public Integer call() throws Exception {
            ServiceExample.run(options);
            return 0;
        }
    }

    /** {@code warm-start}: {@link WarmStart}. */
    @Command(name = "warm-start", description = {"Time from JVM start to the first correct answer of a batch-32 LSTM "
            + "forward, and the first forward against the steady state.", "With --warm-up N the model runs N small "
            + "forwards first; ./jtorch aot records an AOT cache that this command then uses."})
    static final class WarmStartCommand implements Callable<Integer> {
        @Mixin
        WarmStart.Options options;
        @Mixin
        HelpOption help;

        @Override
        public Integer call() {
            WarmStart.run(options);
            return 0;
        }
    }

    /** {@code aot}: run by the script (a training run of warm-start recording target/jtorch.aot). */
    @Command(name = "aot", description = {"Record JDK 25's ahead-of-time cache (JEPs 483, 514, 515) into "
            + "target/jtorch.aot from a training run of warm-start --warm-up 1500.", "The demos, example-service and "
            + "warm-start use the cache while it is there (JTORCH_AOT=0 turns it off); rerun after a rebuild."})
    static final class Aot implements Runnable {
        @Mixin
        HelpOption help;

        @Override
        public void run() {
            // run by the script
        }
    }

    /** {@code test}: run by the script ({@code ./mvnw verify}). */
    @Command(name = "test", description = {"Build and run all tests (./mvnw verify, what CI runs).", "The kernel "
            + "tests run three times: on the widest vector species, on a 128-bit species and on the scalar path."})
    static final class Test implements Runnable {
        @Parameters(paramLabel = "MAVEN_ARGS", arity = "0..*",
                description = "Passed to Maven, e.g. -pl simd-kernels -Dtest=GemmTest.")
        List<String> mavenArgs = new ArrayList<>();
        @Mixin
        HelpOption help;

        @Override
        public void run() {
            // run by the script
        }
    }

    /** {@code install}: run by the script ({@code ./mvnw install -DskipTests}). */
    @Command(name = "install", description = {"Put every jtorch artifact into the local Maven repository (~/.m2) for "
            + "other projects to depend on.", "Jars with their sources and Javadoc jars, the parent pom and "
            + "jtorch-bom; tests are skipped (./jtorch test runs them; -DskipTests=false runs them here too)."})
    static final class Install implements Runnable {
        @Parameters(paramLabel = "MAVEN_ARGS", arity = "0..*", description = "Passed to Maven, e.g. -q.")
        List<String> mavenArgs = new ArrayList<>();
        @Mixin
        HelpOption help;

        @Override
        public void run() {
            // run by the script
        }
    }

    /** {@code consumer}: run by the script (examples/consumer/run.sh). */
    @Command(name = "consumer", description = {"Install, then build and run examples/consumer against the installed "
            + "artifacts.", "A separate project importing jtorch-bom, run on the class path and on the module path; "
            + "it checks its output against PyTorch's (CI runs it after the tests)."})
    static final class Consumer implements Runnable {
        @Parameters(paramLabel = "MAVEN_ARGS", arity = "0..*", description = "Passed to Maven.")
        List<String> mavenArgs = new ArrayList<>();
        @Mixin
        HelpOption help;

        @Override
        public void run() {
            // run by the script
        }
    }

    /** {@code javadoc}: run by the script (verify of the library modules). */
    @Command(name = "javadoc", description = {"The API documentation of simd-kernels, engine, opencl, nn and spark.",
        "Written to */target/reports/apidocs; doclint errors fail it (./jtorch test checks them too)."})
    static final class Javadoc implements Runnable {
        @Parameters(paramLabel = "MAVEN_ARGS", arity = "0..*", description = "Passed to Maven.")
        List<String> mavenArgs = new ArrayList<>();
        @Mixin
        HelpOption help;

        @Override
        public void run() {
            // run by the script
        }
    }

    /** {@code sweep}: run by the script (Maven, profile exhaustive). */
    @Command(name = "sweep", description = {"The exhaustive ulp sweep of float exp, sigmoid and tanh: "
            + "docs/accuracy.md.", "Every finite float through each function; a few minutes."})
    static final class Sweep implements Runnable {
        @Parameters(paramLabel = "MAVEN_ARGS", arity = "0..*", description = "Passed to Maven.")
        List<String> mavenArgs = new ArrayList<>();
        @Mixin
        HelpOption help;

        @Override
        public void run() {
            // run by the script
        }
    }

    /** {@code --quick} of the benchmark reports. */
    static final class QuickOption {
        @Option(names = "--quick", description = "A short smoke run, written under jmh/target/benchmarks instead "
                + "of docs/benchmarks.")
        boolean quick;
    }

    /** {@code bench}: run by the script (the jmh module's KernelReport and its siblings). */
    @Command(name = "bench", synopsisSubcommandLabel = "[engine | rnn | conv | opencl | attention | parallel | warm-start | all | index]",
            description = {"The kernel benchmarks against OpenBLAS, EJML and scalar Java: "
                    + "docs/benchmarks/kernels.md.", "Builds, runs JMH single-threaded with the peers in the same run "
                    + "(OPENBLAS_CORETYPE and OPENBLAS_L2_SIZE unset) and writes kernels.md, its charts and the raw "
                    + "JSON. With a command, another report:"},
            subcommands = {BenchEngine.class, BenchRnn.class, BenchConv.class, BenchOpencl.class,
                BenchAttention.class, BenchParallel.class, BenchWarmStart.class, BenchAll.class, BenchIndexCommand.class})
    static final class Bench implements Runnable {
        @Mixin
        QuickOption quick;
        @Mixin
        HelpOption help;

        @Override
        public void run() {
            // run by the script
        }
    }

    /** {@code bench engine}: EngineReport. */
    @Command(name = "engine", description = {"The tensor engine's overhead over the raw kernels: "
            + "docs/benchmarks/engine.md.", "A small add with grad off and on, matmul at n = 256."})
    static final class BenchEngine implements Runnable {
        @Mixin
        QuickOption quick;
        @Mixin
        HelpOption help;

        @Override
        public void run() {
            // run by the script
        }
    }

    /** {@code bench rnn}: RnnReport. */
    @Command(name = "rnn", description = {"LSTM and GRU layers against PyTorch and ONNX Runtime (Java): "
            + "docs/benchmarks/rnn.md.", "PyTorch (single-threaded) is timed just before and after each "
            + "configuration, ONNX Runtime right after it on the layers tools/bench/export_onnx.py exports at the "
            + "start; about eight minutes. Without PyTorch for /usr/bin/python3 the report lacks both columns."})
    static final class BenchRnn implements Runnable {
        @Mixin
        QuickOption quick;
        @Mixin
        HelpOption help;

        @Override
        public void run() {
            // run by the script
        }
    }

    /** {@code bench conv}: ConvReport. */
    @Command(name = "conv", description = {"Convolution, pooling, normalization and embedding layers against "
            + "PyTorch and ONNX Runtime (Java): docs/benchmarks/conv.md.", "ONNX Runtime times the modules "
            + "tools/bench/export_onnx.py exports at the start; about eighteen minutes."})
    static final class BenchConv implements Runnable {
        @Mixin
        QuickOption quick;
        @Option(names = "--only", paramLabel = "CASE", description = "Only this case of ConvBench (e.g. conv3x3_b1), "
                + "written under jmh/target/benchmarks.")
        String only;
        @Mixin
        HelpOption help;

        @Override
        public void run() {
            // run by the script
        }
    }

    /** {@code bench opencl}: OpenClReport. */
    @Command(name = "opencl", description = {"The OpenCL backend beside the CPU backend: docs/benchmarks/opencl.md.",
            "SGEMM, elementwise bandwidth, softmax and LSTM layers on opencl:0 and the CPU. The shapes of the issue "
            + "on a GPU (or with --full); cut down on a CPU driver such as PoCL (--pocl), and said so in the report."})
    static final class BenchOpencl implements Runnable {
        @Mixin
        QuickOption quick;
        @Option(names = "--full", description = "The GPU shapes (SGEMM to 8192, LSTM B=256 over 100 steps) even on a "
                + "CPU driver.")
        boolean full;
        @Option(names = "--pocl", description = "The cut-down shapes even on a GPU.")
        boolean pocl;
        @Mixin
        HelpOption help;

        @Override
        public void run() {
            // run by the script
        }
    }

    /** {@code bench attention}: AttentionReport. */
    @Command(name = "attention", description = {"Scaled dot-product attention and a TransformerEncoderLayer(512, 8) "
            + "against PyTorch 1.13 and ONNX Runtime (Java): docs/benchmarks/attention.md.", "Inference, T = 128, "
            + "batch 1 and 16; PyTorch (single-threaded) is timed just before and after each case, ONNX Runtime right "
            + "after it on the modules tools/bench/export_onnx.py exports at the start; about four minutes. Without "
            + "PyTorch for /usr/bin/python3 the report lacks both columns."})
    static final class BenchAttention implements Runnable {
        @Mixin
        QuickOption quick;
        @Mixin
        HelpOption help;

        @Override
        public void run() {
            // run by the script
        }
    }

    /** {@code bench parallel}: DataParallelReport. */
    @Command(name = "parallel", description = {"DataParallel's CPU speed-up with two worker threads: "
            + "docs/benchmarks/data-parallel.md.", "A training step of an MLP, a CNN and an LSTM: one thread, two "
            + "kernel threads, and DataParallel over two replicas; about two minutes."})
    static final class BenchParallel implements Runnable {
        @Mixin
        QuickOption quick;
        @Mixin
        HelpOption help;

        @Override
        public void run() {
            // run by the script
        }
    }

    /** {@code bench warm-start}: WarmStartReport. */
    @Command(name = "warm-start", description = {"Fresh JVMs to the first correct answer of a batch-32 LSTM forward, "
            + "without and with JDK 25's AOT cache and with warm-ups: docs/benchmarks/warm-start.md.",
        "Records its own cache first; about three minutes."})
    static final class BenchWarmStart implements Runnable {
        @Mixin
        QuickOption quick;
        @Mixin
        HelpOption help;

        @Override
        public void run() {
            // run by the script
        }
    }

    /** {@code bench all}: every report, then the index. */
    @Command(name = "all", description = {"Every report of docs/benchmarks in turn (about an hour on two CPUs), then "
            + "the index page docs/benchmarks/README.md."})
    static final class BenchAll implements Runnable {
        @Mixin
        QuickOption quick;
        @Mixin
        HelpOption help;

        @Override
        public void run() {
            // run by the script
        }
    }

    /** {@code bench index}: BenchIndex. */
    @Command(name = "index", description = {"The index page docs/benchmarks/README.md from the reports there: each "
            + "one's date, ratio ranges and targets met."})
    static final class BenchIndexCommand implements Runnable {
        @Mixin
        HelpOption help;

        @Override
        public void run() {
            // run by the script
        }
    }

    /** {@code spark-demo}: run by the script (the spark-demo module, dev.jtorch.spark.demo.SparkDemo). */
    @Command(name = "spark-demo", description = {"jtorch on local Apache Spark: scores every verse of Genesis with "
            + "the character model (perplexity, the 10 most surprising verses) through JtorchModel,",
        "then trains the digits CNN data-parallel over the partitions and in one JVM, and compares their held-out "
            + "accuracy; --scaling measures rows/s on local[1] and local[2]."})
    static final class SparkDemo implements Runnable {
        @Mixin
        SparkDemoOptions options;
        @Mixin
        HelpOption help;

        @Override
        public void run() {
            // run by the script
        }
    }

    /** {@code jmh}: run by the script (org.openjdk.jmh.Main). */
    @Command(name = "jmh", description = {"Any JMH command line over the benchmarks.", "For example ./jtorch jmh "
            + "GemmBench -p shape=NN1024x1024x1024 -f 1 -wi 3 -i 5; ./jtorch jmh -h lists JMH's own options. The "
            + "OpenBLAS variables are unset as for bench."})
    static final class Jmh implements Runnable {
        @Parameters(paramLabel = "JMH_ARGS", arity = "0..*", description = "Passed to JMH.")
        List<String> jmhArgs = new ArrayList<>();

        @Override
        public void run() {
            // run by the script
        }
    }

    /** {@code mvn}: run by the script (./mvnw). */
    @Command(name = "mvn", description = {"The pinned Maven (./mvnw) with the JDK found.", "For example ./jtorch mvn "
            + "-pl simd-kernels test -Dtest=GemmTest; ./jtorch mvn --help lists Maven's own options."})
    static final class Mvn implements Runnable {
        @Parameters(paramLabel = "MAVEN_ARGS", arity = "0..*", description = "Passed to Maven.")
        List<String> mavenArgs = new ArrayList<>();

        @Override
        public void run() {
            // run by the script
        }
    }

    /** {@code help [COMMAND...]}: the help of the top-level command or of any command below it. */
    @Command(name = "help", helpCommand = true,
            description = "Show the help of jtorch or of a command (./jtorch help bench conv).")
    static final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
        @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, with its parent commands.")
        List<String> path = new ArrayList<>();
        @Mixin
        HelpOption help;
        private CommandLine self;
        private Help.ColorScheme colors;
        private PrintWriter out;

        @Override
        public void init(CommandLine helpCommandLine, Help.ColorScheme colorScheme, PrintWriter out,
                PrintWriter err) {
            this.self = helpCommandLine;
            this.colors = colorScheme;
            this.out = out;
        }

        @Override
        public void run() {
            if (!self.getUnmatchedArguments().isEmpty()) {
                // picocli lets a help command's stray arguments pass; jtorch answers them as anywhere else
                throw new CommandLine.UnmatchedArgumentException(self, self.getUnmatchedArguments());
            }
            CommandLine target = self.getParent();
            for (String name : path) {
                CommandLine sub = target.getSubcommands().get(name);
                if (sub == null) {
                    // answered as if the command itself had been mistyped: jtorch bench: unknown command 'x'
                    throw new ParameterException(target, "unknown command '" + name + "'");
                }
                target = sub;
            }
            target.usage(out, colors);
        }
    }

    /**
     * The command list of the top-level help, with the commands of each command below it ({@code bench engine}),
     * so that {@code ./jtorch --help} lists everything the script accepts.
     */
    static String commandTree(Help help) {
        if (help.subcommands().isEmpty()) {
            return "";
        }
        int width = help.commandSpec().usageMessage().width();
        TextTable table = TextTable.forColumns(help.colorScheme(),
                new Column(20, 2, Column.Overflow.SPAN), new Column(width - 20, 1, Column.Overflow.WRAP));
        addRows(table, help.subcommands(), "");
        return table.toString();
    }

    private static void addRows(TextTable table, Map<String, Help> commands, String prefix) {
        for (Map.Entry<String, Help> e : commands.entrySet()) {
            CommandSpec spec = e.getValue().commandSpec();
            String[] header = spec.usageMessage().header();
            String[] description = spec.usageMessage().description();
            String text = header.length > 0 ? header[0] : description.length > 0 ? description[0] : "";
            table.addRowValues(prefix + e.getKey(), text);
            addRows(table, e.getValue().subcommands(), prefix + e.getKey() + " ");
        }
    }
}

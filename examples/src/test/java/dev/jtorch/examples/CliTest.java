package dev.jtorch.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line behaves: a mistake is answered with one line on stderr that names it and a non-zero exit code,
 * never a stack trace; {@code --help} lists every command the {@code jtorch} script accepts; a command's help lists
 * its options; the old option names and defaults still hold.
 */
class CliTest {
    /** What a run printed and returned. */
    record Run(int code, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(code, out.toString(), err.toString());
    }

    /** One line on stderr naming every word of {@code mentions}, nothing on stdout, exit code 2. */
    static void assertOneLineUsageError(Run r, String... mentions) {
        assertEquals(2, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertEquals("", r.out());
        for (String m : mentions) {
            assertTrue(r.err().contains(m), "'" + m + "' in: " + r.err());
        }
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @ParameterizedTest
    @CsvSource({"demo, --bogus", "demo-transformer, --hidden", "demo-mlp, --steps", "demo-cnn, -x", "example-service, --epochs", "info, --quick",
        "bench, --quik", "help, --all"})
    void anUnknownOptionIsOneLineAndAnErrorExit(String command, String option) {
        assertOneLineUsageError(run(command, option), "jtorch " + command + ":", "'" + option + "'");
    }

    @Test
    void anUnknownCommandIsOneLine() {
        assertOneLineUsageError(run("dmeo"), "jtorch:", "unknown command 'dmeo'", "--help");
        assertOneLineUsageError(run("bench", "gemm"), "jtorch bench:", "unknown command 'gemm'");
        assertOneLineUsageError(run("help", "bench", "gemm"), "jtorch bench:", "unknown command 'gemm'");
    }

    @Test
    void aMistypedOptionGetsASuggestion() {
        assertOneLineUsageError(run("demo", "--stesp", "5"), "'--stesp'", "did you mean --steps?");
    }

    @ParameterizedTest
    @CsvSource({"demo, --steps, abc", "demo, --cell, foo", "demo, --hidden, 0", "demo, --temperature, -1",
        "demo, --lr, 0", "demo, --progress, sometimes", "demo-transformer, --heads, 0",
        "demo-transformer, --d-model, x", "demo-transformer, --temperature, -0.5", "demo-transformer, --seq, 0", "demo-mlp, --epochs, 1.5", "demo-cnn, --batch, -3",
        "demo-cnn, --seed, x", "example-service, --threads, 0", "example-service, --requests, many"})
    void aBadValueIsOneLineNamingTheOptionAndTheValue(String command, String option, String value) {
        assertOneLineUsageError(run(command, option, value), "jtorch " + command + ":", "'" + option + "'",
                "'" + value + "'");
    }

    @Test
    void aMissingValueIsOneLine() {
        assertOneLineUsageError(run("demo", "--steps"), "'--steps'");
        assertOneLineUsageError(run("bench", "conv", "--only"), "jtorch bench conv:", "'--only'");
    }

    @Test
    void aCommandThatFailsIsOneLineWithExitCodeOne(@org.junit.jupiter.api.io.TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("file"), "not a directory");
        Run r = run("demo-mlp", "--epochs", "1", "--out", file.resolve("mlp.safetensors").toString());
        assertEquals(1, r.code(), r.err());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("jtorch demo-mlp: "), r.err());
    }

    /** The commands the script dispatches ({@code demo|demo-mlp)}) and bench's ({@code = engine ]}). */
    static Set<String> scriptCommands() throws IOException {
        String script = Files.readString(Path.of("..", "jtorch"));
        Set<String> commands = new LinkedHashSet<>();
        Matcher m = Pattern.compile("(?m)^  ([a-z|-]+)\\)$").matcher(script);
        while (m.find()) {
            for (String c : m.group(1).split("\\|")) {
                if (!c.startsWith("-")) {
                    commands.add(c);
                }
            }
        }
        Matcher bench = Pattern.compile("\\[ \"\\$\\{1:-}\" = ([a-z-]+) ]").matcher(script);
        while (bench.find()) {
            commands.add("bench " + bench.group(1));
        }
        return commands;
    }

    @Test
    void helpListsEveryCommandOfTheScript() throws IOException {
        Set<String> commands = scriptCommands();
        assertEquals(Set.of("test", "install", "consumer", "javadoc", "sweep", "bench", "bench engine", "bench rnn", "bench conv", "bench opencl", "bench attention", "bench parallel", "bench warm-start", "bench index", "bench all", "mvn", "jmh", "demo",
                "demo-transformer", "demo-mlp", "demo-cnn", "example-service", "warm-start", "aot", "info", "spark-demo",
                "help"), commands, "the script's commands");
        for (String[] args : List.of(new String[] {"--help"}, new String[] {"help"}, new String[] {"-h"},
                new String[0])) {
            Run r = run(args);
            assertEquals(0, r.code(), r.err());
            assertEquals("", r.err());
            List<String> listed = new ArrayList<>();
            for (String line : r.out().lines().toList()) {
                Matcher m = Pattern.compile("^  ([a-z-]+(?: [a-z-]+)?)  +\\S").matcher(line);
                if (m.find()) {
                    listed.add(m.group(1));
                }
            }
            assertEquals(commands, new LinkedHashSet<>(listed), r.out());
        }
    }

    @Test
    void eachCommandsHelpListsItsOptions() {
        List<List<String>> expected = List.of(
                List.of("demo", "--steps", "--hidden", "--layers", "--cell", "--temperature", "--seq", "--batch",
                        "--lr", "--generate", "--seed", "--out", "--progress", "--help"),
                List.of("demo-transformer", "--steps", "--layers", "--heads", "--d-model", "--temperature", "--seq",
                        "--batch", "--lr", "--generate", "--seed", "--out", "--progress", "--help"),
                List.of("demo-mlp", "--epochs", "--hidden", "--lr", "--seed", "--out", "--progress", "--help"),
                List.of("demo-cnn", "--epochs", "--lr", "--batch", "--seed", "--out", "--progress", "--help"),
                List.of("example-service", "--threads", "--requests", "--warm-up", "--help"),
                List.of("warm-start", "--warm-up", "--requests", "--help"), List.of("aot", "--help"),
                List.of("info", "--help"), List.of("test", "MAVEN_ARGS", "--help"),
                List.of("install", "MAVEN_ARGS", "--help"), List.of("consumer", "MAVEN_ARGS", "--help"),
                List.of("javadoc", "MAVEN_ARGS", "--help"), List.of("sweep", "MAVEN_ARGS", "--help"), List.of("bench", "--quick", "engine", "rnn", "conv", "opencl", "parallel", "warm-start", "all", "index",
                        "attention"),
                List.of("jmh", "JMH_ARGS"), List.of("mvn", "MAVEN_ARGS"));
        for (List<String> e : expected) {
            String command = e.getFirst();
            Run viaHelp = run("help", command);
            assertEquals(0, viaHelp.code(), viaHelp.err());
            assertTrue(viaHelp.out().startsWith("Usage: jtorch " + command + " "), viaHelp.out());
            for (String option : e.subList(1, e.size())) {
                assertTrue(viaHelp.out().contains(option), option + " in the help of " + command + ":\n"
                        + viaHelp.out());
            }
            if (e.contains("--help")) {
                assertEquals(viaHelp, run(command, "--help"), command + " --help");
            }
        }
        Run conv = run("help", "bench", "conv");
        assertTrue(conv.out().startsWith("Usage: jtorch bench conv ") && conv.out().contains("--only=CASE")
                && conv.out().contains("--quick"), conv.out());
        assertEquals(conv, run("bench", "conv", "-h"));
        Run attention = run("help", "bench", "attention");
        assertTrue(attention.out().startsWith("Usage: jtorch bench attention ") && attention.out().contains("--quick")
                && attention.out().contains("docs/benchmarks/attention.md"), attention.out());
        assertEquals(attention, run("bench", "attention", "--help"));
    }

    @Test
    void optionsAreListedAsDeclaredEveryTime() {
        String help = run("help", "demo").out();
        List<String> order = new ArrayList<>();
        Matcher m = Pattern.compile("(?m)^ {6}(--[a-z]+)").matcher(help);
        while (m.find()) {
            order.add(m.group(1));
        }
        assertEquals(List.of("--steps", "--hidden", "--layers", "--cell", "--temperature", "--seq", "--batch", "--lr",
                "--generate", "--seed", "--out", "--progress"), order, help);
        assertEquals(help, run("help", "demo").out());
    }

    @Test
    void theOldOptionsAndDefaultsHold() {
        CharLm.Options d = ((Commands.Demo) parse("demo")).options;
        assertEquals(List.of(1200, 256, 1, CharLm.Cell.LSTM, 0.8, 64, 32, 0.003, 500, 0L,
                Path.of("target", "demo", "charlm.safetensors")), List.of(d.steps, d.hidden, d.layers, d.cell,
                d.temperature, d.seq, d.batch, d.lr, d.generate, d.seed, d.out));
        CharLm.Options o = ((Commands.Demo) parse("demo", "--steps", "5", "--hidden", "8", "--layers", "2",
                "--cell", "gru", "--temperature", "0.5", "--seq", "16", "--batch", "4", "--lr", "0.01",
                "--generate", "10", "--seed", "3", "--out", "x.safetensors")).options;
        assertEquals(List.of(5, 8, 2, CharLm.Cell.GRU, 0.5, 16, 4, 0.01, 10, 3L, Path.of("x.safetensors")),
                List.of(o.steps, o.hidden, o.layers, o.cell, o.temperature, o.seq, o.batch, o.lr, o.generate,
                        o.seed, o.out));
        assertEquals(CharLm.Cell.GRU, ((Commands.Demo) parse("demo", "--cell=GRU")).options.cell);

        CharTransformer.Options t = ((Commands.DemoTransformer) parse("demo-transformer")).options;
        assertEquals(List.of(1000, 2, 4, 64, 0.8, 64, 16, 0.003, 300, 0L,
                Path.of("target", "demo", "char_transformer.safetensors"), ProgressBar.Mode.AUTO), List.of(t.steps,
                t.layers, t.heads, t.dModel, t.temperature, t.seq, t.batch, t.lr, t.generate, t.seed, t.out,
                t.progress));
        t = ((Commands.DemoTransformer) parse("demo-transformer", "--steps", "5", "--layers", "3", "--heads", "2",
                "--d-model", "8", "--temperature", "0", "--seq", "12", "--batch", "4", "--lr", "0.01", "--generate",
                "10", "--seed", "3", "--out", "t.safetensors", "--progress", "lines")).options;
        assertEquals(List.of(5, 3, 2, 8, 0.0, 12, 4, 0.01, 10, 3L, Path.of("t.safetensors"),
                ProgressBar.Mode.LINES), List.of(t.steps, t.layers, t.heads, t.dModel, t.temperature, t.seq,
                t.batch, t.lr, t.generate, t.seed, t.out, t.progress));

        Demo.Options mlp = ((Commands.DemoMlp) parse("demo-mlp")).options;
        assertEquals(List.of(40, 64, 0.01, 0L, Path.of("target", "demo", "mlp.safetensors")),
                List.of(mlp.epochs, mlp.hidden, mlp.lr, mlp.seed, mlp.out));
        DigitsCnn.Options cnn = ((Commands.DemoCnn) parse("demo-cnn")).options;
        assertEquals(List.of(30, 0.005, 32, 0L, Path.of("target", "demo", "digits_cnn.safetensors")),
                List.of(cnn.epochs, cnn.lr, cnn.batch, cnn.seed, cnn.out));
        ServiceExample.Options svc = ((Commands.ExampleService) parse("example-service")).options;
        assertEquals(List.of(8, 2000), List.of(svc.threads, svc.requests));
    }

    /** The command a command line fills, without running it. */
    static Object parse(String... args) {
        return Main.commandLine().parseArgs(args).subcommand().commandSpec().userObject();
    }

    @Test
    void checkParsesWithoutRunningAndPassesThroughToolArguments() {
        for (String[] args : List.of(new String[] {"--check", "demo", "--steps", "1"},
                new String[] {"--check", "bench", "conv", "--quick", "--only", "conv3x3_b1"},
                new String[] {"--check", "bench", "attention", "--quick"},
                new String[] {"--check", "test", "-pl", "nn", "-Dtest=LinearTest"},
                new String[] {"--check", "jmh", "GemmBench", "-f", "1", "-h"},
                new String[] {"--check", "mvn", "-q", "--version"})) {
            Run r = run(args);
            assertEquals(new Run(0, "", ""), r, String.join(" ", args));
        }
        assertNotEquals(0, run("--check", "bench", "rnn", "--only", "x").code());
        assertNotEquals(0, run("--check", "bench", "attention", "--only", "sdpa_b1").code());
    }
}

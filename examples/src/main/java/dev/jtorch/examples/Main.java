package dev.jtorch.examples;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.util.List;

import picocli.CommandLine;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * The jtorch command line ({@code ./jtorch COMMAND [OPTIONS]}), parsed by picocli; {@link Commands} declares
 * every command and option with its help text. {@code demo} trains a character-level language model and
 * generates text ({@link CharLm}); {@code demo-transformer} does it with a small causal Transformer
 * ({@link CharTransformer}); {@code demo-cnn} trains a CNN on handwritten digits ({@link DigitsCnn});
 * {@code demo-mlp} trains and reloads a classifier ({@link Demo}); {@code example-service} shares one model
 * between request threads ({@link ServiceExample}); {@code info} prints which kernels and how many threads this
 * JVM gets; {@code help} and {@code --help} describe these and the commands the script runs itself.
 *
 * <p>An unknown command or option, or a bad value, is answered with one line on stderr naming it and exit
 * code 2; a failure of the command itself (a file that cannot be written) with one line and exit code 1.
 */
public final class Main {
    private Main() {
    }

    /** Runs the command line and exits with its exit code. */
    public static void main(String[] args) {
        Charset cs = System.out.charset();
        int code = execute(args, new PrintWriter(System.out, true, cs), new PrintWriter(System.err, true, cs));
        System.exit(code);
    }

    /** Runs the command line with its help and messages on {@code out} and {@code err}; returns the exit code. */
    static int execute(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cli = commandLine();
        cli.setOut(out);
        cli.setErr(err);
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** The command tree with jtorch's parsing rules and one-line error messages. */
    static CommandLine commandLine() {
        Commands.Jtorch root = new Commands.Jtorch();
        CommandLine cli = new CommandLine(root);
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        cli.setUsageHelpWidth(100);
        sortOptionsAsDeclared(cli);
        // the script passes these commands' arguments to Maven or JMH: anything goes, nothing is an unknown option
        for (String passThrough : List.of("test", "sweep", "jmh", "mvn")) {
            cli.getSubcommands().get(passThrough).setUnmatchedOptionsArePositionalParams(true);
        }
        cli.getHelpSectionMap().put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_COMMAND_LIST,
                Commands::commandTree);
        cli.setParameterExceptionHandler(Main::usageError);
        // ./jtorch --check COMMAND ...: parsing (and the converters' range checks) is all there is to do
        cli.setExecutionStrategy(parsed -> root.check ? 0 : new CommandLine.RunLast().execute(parsed));
        cli.setExecutionExceptionHandler((e, command, parseResult) -> failure(e, command));
        return cli;
    }

    /** Options listed in the order they are declared (related ones together, --help last), everywhere. */
    private static void sortOptionsAsDeclared(CommandLine command) {
        command.getCommandSpec().usageMessage().sortOptions(false);
        command.getSubcommands().values().forEach(Main::sortOptionsAsDeclared);
    }

    /** One line: which command, what is wrong, where the help is. */
    private static int usageError(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        String name = command.getCommandSpec().qualifiedName(" ");
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException u) {
            List<String> unmatched = u.getUnmatched();
            String first = unmatched.isEmpty() ? "" : unmatched.getFirst();
            if (!command.getSubcommands().isEmpty() && !first.isEmpty() && !first.startsWith("-")) {
                message = "unknown command '" + first + "'";
            } else if (u.isUnknownOption()) {
                // picocli also lists the words after it ("Unknown options: '--stesp', '5'"): name the option only
                message = "Unknown option: '" + unmatched.stream().filter(a -> a.startsWith("-")).findFirst()
                        .orElse(first) + "'";
            }
            List<String> suggestions = u.getSuggestions();
            if (!suggestions.isEmpty()) {
                message += "; did you mean " + String.join(" or ", suggestions.subList(0,
                        Math.min(3, suggestions.size()))) + "?";
            }
        }
        String what = message.startsWith("unknown command") && !command.getSubcommands().isEmpty() ? "commands"
                : "options";
        String help = command.getParent() == null ? "./jtorch --help lists the commands"
                : "./jtorch " + name.substring(name.indexOf(' ') + 1) + " --help lists its " + what;
        command.getErr().println(oneLine(name + ": " + message + " (" + help + ")"));
        command.getErr().flush();
        return command.getCommandSpec().exitCodeOnInvalidInput();
    }

    /** A command that failed: one line for what a user can act on, the stack trace for anything else. */
    private static int failure(Exception e, CommandLine command) {
        PrintWriter err = command.getErr();
        String name = command.getCommandSpec().qualifiedName(" ");
        if (e instanceof IOException || e instanceof UncheckedIOException || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException) {
            String what = e instanceof IOException ? e.getClass().getSimpleName() + ": " + e.getMessage()
                    : e.getMessage();
            err.println(oneLine(name + ": " + what));
        } else {
            err.println(name + ": failed:");
            e.printStackTrace(err);
        }
        err.flush();
        return command.getCommandSpec().exitCodeOnExecutionException();
    }

    private static String oneLine(String s) {
        return s.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    }
}

package dev.jtorch.examples;

import dev.jtorch.JTorch;

/**
 * The jtorch command line: {@code demo} trains a character-level language model and generates text (see
 * {@link CharLm}); {@code demo-cnn} trains a CNN on handwritten digits ({@link DigitsCnn}); {@code demo-mlp}
 * trains and reloads a classifier ({@link Demo}); {@code example-service}
 * shares one model between request threads ({@link ServiceExample}); {@code info} prints which kernels and how
 * many threads this JVM gets.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String cmd = args.length == 0 ? "info" : args[0];
        switch (cmd) {
            case "info" -> System.out.print(JTorch.config());
            case "demo" -> CharLm.run(args);
            case "demo-mlp" -> Demo.run(args);
            case "demo-cnn" -> DigitsCnn.run(args);
            case "example-service" -> ServiceExample.run(args);
            default -> {
                System.err.println("jtorch: unknown command '" + cmd
                        + "' (try: demo, demo-cnn, demo-mlp, example-service, info)");
                System.exit(2);
            }
        }
    }
}

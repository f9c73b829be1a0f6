package dev.jtorch.examples;

import dev.jtorch.JTorch;

/**
 * The jtorch command line: {@code demo} trains and reloads a classifier (see {@link Demo}); {@code info}
 * prints which kernels and how many threads this JVM gets.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String cmd = args.length == 0 ? "info" : args[0];
        switch (cmd) {
            case "info" -> System.out.print(JTorch.config());
            case "demo" -> Demo.run(args);
            case "example-service" -> ServiceExample.run(args);
            default -> {
                System.err.println("jtorch: unknown command '" + cmd + "' (try: demo, example-service, info)");
                System.exit(2);
            }
        }
    }
}

package dev.jtorch.examples;

import dev.jtorch.JTorch;

/** The jtorch command line: {@code info} prints which kernels and how many threads this JVM gets. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        String cmd = args.length == 0 ? "info" : args[0];
        if (cmd.equals("info")) {
            System.out.print(JTorch.config());
        } else {
            System.err.println("jtorch: unknown command '" + cmd + "' (try: info)");
            System.exit(2);
        }
    }
}

package dev.jtorch.examples;

import java.io.PrintStream;
import java.util.Locale;

/**
 * A one-line progress bar redrawn in place on a terminal ({@code [=====>    ] 45% loss 0.53 12,000 ex/s}),
 * or one line per finished run when the output is not a terminal (CI logs stay readable).
 */
final class ProgressBar {
    private final PrintStream out;
    private final String label;
    private final long total;
    private final boolean tty;
    private final long start = System.nanoTime();
    private long lastDraw;

    ProgressBar(PrintStream out, String label, long total) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.tty = System.console() != null && System.console().isTerminal();
    }

    /** Redraws (at most ten times a second on a terminal). */
    void update(long done, String stats) {
        long now = System.nanoTime();
        if (!tty || (now - lastDraw < 100_000_000L && done < total)) {
            return;
        }
        lastDraw = now;
        out.print("\r" + line(done, stats));
        out.flush();
    }

    /** Ends the bar with its final state on its own line. */
    void finish(long done, String stats) {
        out.print((tty ? "\r" : "") + line(done, stats) + "\n");
        out.flush();
    }

    double seconds() {
        return (System.nanoTime() - start) / 1e9;
    }

    private String line(long done, String stats) {
        int width = 30;
        int filled = (int) (width * done / Math.max(1, total));
        String bar = "=".repeat(filled) + (filled < width ? ">" : "") + " ".repeat(Math.max(0, width - filled - 1));
        return String.format(Locale.ROOT, "%s [%s] %3d%% %s", label, bar, 100 * done / Math.max(1, total), stats);
    }
}

package dev.jtorch.bench;

import java.io.PrintStream;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Progress of a report that runs many JMH configurations one after another (JMH's own "Run progress" line only
 * covers the configuration it is running): before each, one plain line with the case, the elapsed time and
 * the ETA from the average so far. Plain lines, so that a log or a pipe shows them as they come.
 */
final class ReportProgress {
    private final String report;
    private final int total;
    private final PrintStream out;
    private final LongSupplier nanos;
    private final long start;
    private int done;

    ReportProgress(String report, int total) {
        this(report, total, System.out, System::nanoTime);
    }

    ReportProgress(String report, int total, PrintStream out, LongSupplier nanos) {
        this.report = report;
        this.total = total;
        this.out = out;
        this.nanos = nanos;
        this.start = nanos.getAsLong();
    }

    /** Announces the next case. */
    void next(String name) {
        long elapsed = nanos.getAsLong() - start;
        String eta = done == 0 ? "ETA unknown" : "ETA " + clock(elapsed / done * (total - done));
        done++;
        out.printf("[%s] case %d/%d %s: %s elapsed, %s%n", report, done, total, name, clock(elapsed), eta);
    }

    /** Announces the end. */
    void finish() {
        out.printf("[%s] %d cases in %s%n", report, total, clock(nanos.getAsLong() - start));
    }

    static String clock(long nanos) {
        Duration d = Duration.ofNanos(nanos);
        long h = d.toHours();
        return h > 0 ? String.format("%d:%02d:%02d", h, d.toMinutesPart(), d.toSecondsPart())
                : String.format("%d:%02d", d.toMinutesPart(), d.toSecondsPart());
    }
}

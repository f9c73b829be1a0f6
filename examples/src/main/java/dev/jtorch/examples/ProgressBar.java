package dev.jtorch.examples;

import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Training progress with elapsed time and ETA. On a terminal, one line redrawn in place at most ten times a
 * second ({@code train [=====>    ]  45% 540/1200 0:23 elapsed, ETA 0:28 | loss 0.53 12,000 ex/s}); when the
 * output is not a terminal (a CI log, a pipe) or {@link Mode#LINES} is asked for, one plain line every
 * {@link #PLAIN_INTERVAL_NANOS five seconds} ({@code train  45% 540/1200, 0:23 elapsed, ETA 0:28, loss ...}),
 * so a log shows the run is alive and how long it has left. Both end with the final state on its own line.
 */
public final class ProgressBar {
    /** How progress is shown: {@code --progress auto|bar|lines}. */
    public enum Mode {
        /** A bar on a terminal, plain lines otherwise. */
        AUTO,
        /** The bar redrawn in place, even when the output is not a terminal. */
        BAR,
        /** A plain line every five seconds, even on a terminal. */
        LINES
    }

    /** Between two plain lines. */
    static final long PLAIN_INTERVAL_NANOS = 5_000_000_000L;
    /** Between two redraws of the bar. */
    private static final long BAR_INTERVAL_NANOS = 100_000_000L;

    private final PrintStream out;
    private final String label;
    private final long total;
    private final boolean bar;
    private final LongSupplier nanoClock;
    private final long interval;
    private final long start;
    private long lastDraw;

    /** A bar over {@code total} units of work on {@code out}, the mode chosen by {@link Mode#AUTO}. */
    ProgressBar(PrintStream out, String label, long total) {
        this(out, label, total, Mode.AUTO);
    }

    /** A bar over {@code total} units of work on {@code out}, shown as {@code mode} says. */
    public ProgressBar(PrintStream out, String label, long total, Mode mode) {
        this(out, label, total, switch (mode) {
            case AUTO -> System.console() != null && System.console().isTerminal();
            case BAR -> true;
            case LINES -> false;
        }, System::nanoTime, PLAIN_INTERVAL_NANOS);
    }

    /**
     * With every choice explicit (tests): {@code bar} redraws in place, else plain lines every
     * {@code plainIntervalNanos} of {@code nanoClock}.
     */
    ProgressBar(PrintStream out, String label, long total, boolean bar, LongSupplier nanoClock,
            long plainIntervalNanos) {
        this.out = out;
        this.label = label;
        this.total = total;
        this.bar = bar;
        this.nanoClock = nanoClock;
        this.interval = plainIntervalNanos;
        this.start = nanoClock.getAsLong();
        this.lastDraw = start;
    }

    /** Reports {@code done} units of work; draws when the bar's or the plain line's interval has passed. */
    public void update(long done, String stats) {
        long now = nanoClock.getAsLong();
        if (bar) {
            if (now - lastDraw >= BAR_INTERVAL_NANOS || done >= total) {
                lastDraw = now;
                out.print("\r" + barLine(done, now, stats));
                out.flush();
            }
        } else if (now - lastDraw >= interval) {
            // the next line is due one interval after this one was, not after it was printed: no drift
            lastDraw += (now - lastDraw) / interval * interval;
            out.println(plainLine(done, now, stats));
            out.flush();
        }
    }

    /** Ends with the final state on its own line. */
    public void finish(long done, String stats) {
        long now = nanoClock.getAsLong();
        out.print(bar ? "\r" + barLine(done, now, stats) + "\n" : plainLine(done, now, stats) + "\n");
        out.flush();
    }

    /** Seconds since the bar was made. */
    public double seconds() {
        return (nanoClock.getAsLong() - start) / 1e9;
    }

    private String barLine(long done, long now, String stats) {
        int width = 30;
        int filled = (int) (width * Math.min(done, total) / Math.max(1, total));
        String b = "=".repeat(filled) + (filled < width ? ">" : "") + " ".repeat(Math.max(0, width - filled - 1));
        return String.format(Locale.ROOT, "%s [%s] %s | %s", label, b, times(done, now, " "), stats);
    }

    private String plainLine(long done, long now, String stats) {
        return String.format(Locale.ROOT, "%s %s, %s", label, times(done, now, ", "), stats);
    }

    /** {@code  45% 540/1200 0:23 elapsed, ETA 0:28}; no ETA before the first unit or once all are done. */
    private String times(long done, long now, String sep) {
        long elapsed = now - start;
        String s = String.format(Locale.ROOT, "%3d%% %d/%d%s%s elapsed", 100 * done / Math.max(1, total), done,
                total, sep, clock(elapsed));
        if (done > 0 && done < total) {
            s += ", ETA " + clock((long) ((double) elapsed * (total - done) / done));
        }
        return s;
    }

    /** {@code m:ss}, or {@code h:mm:ss} from an hour on. */
    static String clock(long nanos) {
        long secs = Math.max(0, Math.round(nanos / 1e9));
        return secs >= 3600
                ? String.format(Locale.ROOT, "%d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60)
                : String.format(Locale.ROOT, "%d:%02d", secs / 60, secs % 60);
    }
}

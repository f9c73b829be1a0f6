package dev.jtorch.examples;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link ProgressBar} on a fake clock: without a terminal it prints a plain line every interval (with the elapsed
 * time and the ETA) and one at the end; on a terminal it redraws one line in place.
 */
class ProgressBarTest {
    private static final long S = 1_000_000_000L;

    private final AtomicLong now = new AtomicLong(1_000 * S);
    private final ByteArrayOutputStream buf = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);

    private List<String> lines() {
        return buf.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void withoutATerminalALineEveryFiveSecondsWithElapsedAndEta() {
        ProgressBar bar = new ProgressBar(out, "train", 100, false, now::get, ProgressBar.PLAIN_INTERVAL_NANOS);
        for (int t = 1; t <= 9; t++) {
            now.set(1_000 * S + t * S);
            bar.update(10L * t, "loss " + t);
            assertEquals(t < 5 ? 0 : 1, lines().size(), "lines after " + t + " s");
        }
        now.addAndGet(S);
        bar.finish(100, "done");
        assertEquals(List.of(
                "train  50% 50/100, 0:05 elapsed, ETA 0:05, loss 5",
                "train 100% 100/100, 0:10 elapsed, done"), lines());
    }

    @Test
    void linesStayOnTheIntervalsGridAfterAGap() {
        ProgressBar bar = new ProgressBar(out, "bench", 1000, false, now::get, 5 * S);
        long t0 = now.get();
        long[] at = {4, 5, 6, 17, 19, 20, 24, 25};
        for (long t : at) {
            now.set(t0 + t * S);
            bar.update(10 * t, "x");
        }
        // due at 5, then (after the slow step to 17) at 20 and 25: one line per interval reached, no burst
        assertEquals(List.of(
                "bench   5% 50/1000, 0:05 elapsed, ETA 1:35, x",
                "bench  17% 170/1000, 0:17 elapsed, ETA 1:23, x",
                "bench  20% 200/1000, 0:20 elapsed, ETA 1:20, x",
                "bench  25% 250/1000, 0:25 elapsed, ETA 1:15, x"), lines());
    }

    @Test
    void noEtaBeforeTheFirstUnitOfWork() {
        ProgressBar bar = new ProgressBar(out, "train", 10, false, now::get, 5 * S);
        now.addAndGet(6 * S);
        bar.update(0, "warming up");
        assertEquals(List.of("train   0% 0/10, 0:06 elapsed, warming up"), lines());
    }

    @Test
    void onATerminalOneLineRedrawnInPlace() {
        ProgressBar bar = new ProgressBar(out, "train", 4, true, now::get, 5 * S);
        for (int i = 1; i <= 3; i++) {
            now.addAndGet(S);
            bar.update(i, "step " + i);
        }
        now.addAndGet(S);
        bar.finish(4, "done");
        String text = buf.toString(StandardCharsets.UTF_8);
        assertEquals(1, text.chars().filter(c -> c == '\n').count(), text);
        assertTrue(text.contains("\rtrain [=======>                      ]  25% 1/4 0:01 elapsed, ETA 0:03 | step 1"),
                text);
        assertTrue(text.endsWith("\rtrain [==============================] 100% 4/4 0:04 elapsed | done\n"), text);
        assertFalse(text.contains("ETA 0:00"), text);
    }

    @Test
    void clockFormat() {
        assertEquals("0:00", ProgressBar.clock(0));
        assertEquals("1:05", ProgressBar.clock(65 * S));
        assertEquals("59:59", ProgressBar.clock(3599 * S));
        assertEquals("1:02:05", ProgressBar.clock(3725 * S));
    }
}

package dev.jtorch.bench;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The reports' progress lines: case, elapsed time and an ETA from the average case so far (a fake clock). */
class ReportProgressTest {
    @Test
    void linesCarryElapsedTimeAndEta() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        long[] now = {0};
        ReportProgress p = new ReportProgress("bench conv", 4, new PrintStream(bytes, true, StandardCharsets.UTF_8),
                () -> now[0]);
        p.next("a");
        now[0] = 90_000_000_000L;     // the first case took 1:30
        p.next("b");
        now[0] = 200_000_000_000L;    // 3:20 for two: 1:40 each, two to go
        p.next("c");
        now[0] = 4000_000_000_000L;
        p.finish();
        assertEquals(List.of("[bench conv] case 1/4 a: 0:00 elapsed, ETA unknown",
                "[bench conv] case 2/4 b: 1:30 elapsed, ETA 4:30",
                "[bench conv] case 3/4 c: 3:20 elapsed, ETA 3:20",
                "[bench conv] 4 cases in 1:06:40"), bytes.toString(StandardCharsets.UTF_8).lines().toList());
    }
}

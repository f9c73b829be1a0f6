package dev.jtorch.kernels;

import static dev.jtorch.kernels.GemmTest.assertMessage;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * The packed GEMV ({@link Gemv}) in float32 and with bfloat16 elements: bit-identical to its scalar twin on odd
 * shapes and offsets (the same operations in the same order), within float32 rounding of a float64 product,
 * a product split by columns gives the same bits as one product, and its argument checks. Also
 * {@link Lockstep}: steps in order across tasks, adoption of tasks the pool does not start, failures.
 */
class GemvTest {
    private static final int[][] SHAPES = {{1, 1}, {1, 7}, {2, 1}, {7, 13}, {13, 33}, {64, 64}, {65, 63},
        {256, 1024}, {255, 1025}, {3, 700}, {0, 5}, {4, 0}};

    private static short bf16(float f) {
        int bits = Float.floatToRawIntBits(f);
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }

    @Test
    void matchesScalarTwinBitForBitAndFloat64() {
        SplittableRandom r = new SplittableRandom(3);
        for (int[] s : SHAPES) {
            int k = s[0], n = s[1];
            for (boolean tb : new boolean[] {false, true}) {
                for (boolean half : new boolean[] {false, true}) {
                    int ldb = Math.max(1, tb ? k : n) + r.nextInt(3);
                    int bOff = r.nextInt(4), xOff = r.nextInt(4), yOff = r.nextInt(4);
                    int rows = tb ? n : k;
                    int len = bOff + rows * Math.max(1, ldb) + 2;
                    float[] b = TestData.floats(r, len, -1f, 1f);
                    short[] bits = new short[len];
                    for (int i = 0; i < len; i++) {
                        bits[i] = bf16(b[i]);
                        if (half) {
                            b[i] = Float.intBitsToFloat(bits[i] << 16);
                        }
                    }
                    float[] x = TestData.floats(r, xOff + k + 1, -1f, 1f);
                    float[] y0 = TestData.floats(r, yOff + n + 2, -1f, 1f);
                    PackedGemv w = half ? Gemv.packBf16(tb, k, n, bits, bOff, ldb) : Gemv.pack(tb, k, n, b, bOff, ldb);
                    assertEquals(half, w.isBf16());
                    float[] vec = y0.clone(), sca = y0.clone();
                    Gemv.gemv(x, xOff, w, vec, yOff);
                    Gemv.gemvScalar(x, xOff, w, sca, yOff);
                    String what = "k=" + k + " n=" + n + " transB=" + tb + " bf16=" + half;
                    assertArrayEquals(sca, vec, what + ": vector and scalar twin differ");
                    for (int j = 0; j < y0.length; j++) {
                        if (j < yOff || j >= yOff + n) {
                            assertEquals(y0[j], vec[j], what + ": wrote outside y at " + j);
                            continue;
                        }
                        int c = j - yOff;
                        double sum = y0[j];
                        double mag = Math.abs(y0[j]);
                        for (int p = 0; p < k; p++) {
                            double bv = tb ? b[bOff + c * ldb + p] : b[bOff + p * ldb + c];
                            sum += bv * x[xOff + p];
                            mag += Math.abs(bv * x[xOff + p]);
                        }
                        double tol = (k + 2) * 0x1p-23 * mag + 1e-30;
                        if (Math.abs(vec[j] - sum) > tol) {
                            fail(what + ": y[" + c + "] = " + vec[j] + ", float64 product " + sum);
                        }
                    }
                }
            }
        }
    }

    @Test
    void columnSplitGivesTheSameBits() {
        SplittableRandom r = new SplittableRandom(5);
        int k = 129, n = 300;
        float[] b = TestData.floats(r, k * n, -1f, 1f);
        float[] x = TestData.floats(r, k, -1f, 1f);
        float[] y0 = TestData.floats(r, n, -1f, 1f);
        float[] whole = y0.clone();
        Gemv.gemv(x, 0, Gemv.pack(true, k, n, b, 0, k), whole, 0);
        float[] split = y0.clone();
        for (int[] part : new int[][] {{0, 37}, {37, 200}, {200, 300}}) {
            PackedGemv w = Gemv.pack(true, k, part[1] - part[0], b, part[0] * k, k);
            Gemv.gemv(x, 0, w, split, part[0]);
        }
        assertArrayEquals(whole, split);
    }

    @Test
    void rejectsBadArgumentsBeforeWriting() {
        float[] b = new float[12];
        assertMessage("b is too short", () -> Gemv.pack(false, 3, 4, b, 1, 4));
        assertMessage("k", () -> Gemv.pack(true, -1, 4, b, 0, 4));
        assertMessage("ldb must be >= 4", () -> Gemv.packBf16(false, 3, 4, new short[12], 0, 3));
        PackedGemv w = Gemv.pack(false, 3, 4, b, 0, 4);
        float[] y = {1, 2, 3};
        assertMessage("y", () -> Gemv.gemv(new float[3], 0, w, y, 0));
        assertArrayEquals(new float[] {1, 2, 3}, y);
        assertMessage("x", () -> Gemv.gemv(new float[2], 0, w, new float[4], 0));
    }

    @Test
    void lockstepRunsEveryStepAfterTheWholePreviousStep() {
        int saved = Kernels.threads();
        try {
            for (int threads : new int[] {1, 2, 4}) {
                Kernels.setThreads(threads);
                for (int tasks : new int[] {1, 2, 3, 5}) {
                    int steps = 50;
                    AtomicIntegerArray done = new AtomicIntegerArray(tasks);
                    List<String> errors = java.util.Collections.synchronizedList(new ArrayList<>());
                    Lockstep.run(tasks, steps, (task, step) -> {
                        for (int t = 0; t < tasks; t++) {
                            if (done.get(t) < step) {
                                errors.add("task " + task + " step " + step + " ran before task " + t + " finished "
                                        + "step " + (step - 1));
                            }
                        }
                        if (done.get(task) != step) {
                            errors.add("task " + task + " ran step " + step + " out of order");
                        }
                        done.set(task, step + 1);
                    });
                    assertTrue(errors.isEmpty(), errors.toString());
                    for (int t = 0; t < tasks; t++) {
                        assertEquals(steps, done.get(t));
                    }
                }
            }
        } finally {
            Kernels.setThreads(saved);
        }
    }

    @Test
    void kernelsInsideALockstepStepRunOnTheStepsThread() {
        int saved = Kernels.threads();
        try {
            Kernels.setThreads(2);
            SplittableRandom r = new SplittableRandom(9);
            int n = 160;   // 160^3 multiply-adds: a product that forks onto the pool when called outside
            float[] a = TestData.floats(r, n * n, -1f, 1f);
            float[] expected = new float[n * n];
            Gemm.sgemm(false, false, n, n, n, 1f, a, 0, n, a, 0, n, 0f, expected, 0, n);
            float[][] c = new float[2][n * n];
            Lockstep.run(2, 3, (task, step) -> Gemm.sgemm(false, false, n, n, n, 1f, a, 0, n, a, 0, n, 0f, c[task], 0,
                    n));
            assertArrayEquals(expected, c[0]);
            assertArrayEquals(expected, c[1]);
        } finally {
            Kernels.setThreads(saved);
        }
    }

    @Test
    void lockstepRethrowsAFailureAndStops() {
        int saved = Kernels.threads();
        try {
            Kernels.setThreads(2);
            AtomicIntegerArray ran = new AtomicIntegerArray(2);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> Lockstep.run(2, 1000,
                    (task, step) -> {
                        ran.incrementAndGet(task);
                        if (task == 1 && step == 3) {
                            throw new IllegalStateException("boom");
                        }
                    }));
            assertEquals("boom", e.getMessage());
            assertTrue(ran.get(0) < 1000 && ran.get(1) == 4, "stopped early: " + ran);
            assertMessage("expected tasks >= 1", () -> Lockstep.run(0, 1, (t, s) -> { }));
        } finally {
            Kernels.setThreads(saved);
        }
    }
}

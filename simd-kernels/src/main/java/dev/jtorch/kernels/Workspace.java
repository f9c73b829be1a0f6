package dev.jtorch.kernels;

/**
 * Per-thread scratch arrays that kernels reuse across calls (packed GEMM panels, edge tiles, gathered
 * vectors), so that no hot path allocates once the buffers have grown to the sizes in use.
 */
final class Workspace {
    /** Slots: each caller owns one index so that buffers in use at the same time never alias. */
    static final int PACK_A = 0, PACK_B = 1, TILE = 2, VEC_X = 3, VEC_Y = 4, TAIL_A = 5, TAIL_B = 6, LANES = 7,
            COLS = 8, SLOTS = 9;
    /** Slot of {@link #ints}: the index map of a gather. */
    static final int GATHER = 0, INT_SLOTS = 1;

    private static final ThreadLocal<Workspace> LOCAL = ThreadLocal.withInitial(Workspace::new);

    private final float[][] floats = new float[SLOTS][];
    private final double[][] doubles = new double[SLOTS][];
    private final int[][] ints = new int[INT_SLOTS][];

    private Workspace() {
    }

    static float[] floats(int slot, int size) {
        Workspace w = LOCAL.get();
        float[] f = w.floats[slot];
        if (f == null || f.length < size) {
            f = new float[size];
            w.floats[slot] = f;
        }
        return f;
    }

    static double[] doubles(int slot, int size) {
        Workspace w = LOCAL.get();
        double[] d = w.doubles[slot];
        if (d == null || d.length < size) {
            d = new double[size];
            w.doubles[slot] = d;
        }
        return d;
    }

    static int[] ints(int slot, int size) {
        Workspace w = LOCAL.get();
        int[] a = w.ints[slot];
        if (a == null || a.length < size) {
            a = new int[size];
            w.ints[slot] = a;
        }
        return a;
    }
}

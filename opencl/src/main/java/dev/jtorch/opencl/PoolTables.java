package dev.jtorch.opencl;

import dev.jtorch.kernels.PoolWindows;

import java.util.Arrays;

/**
 * The windows of a pooling op as the OpenCL kernels take them ({@link OpenClPool}): what a {@link PoolWindows}
 * holds, per spatial dimension D, H, W (three entries each; one- and two-dimensional pools have 1 in the leading
 * sizes). Output {@code o} along dimension {@code d} covers the taps {@code start[d][o] + j * dilation[d]},
 * {@code j < count[d][o]}, those outside {@code [0, in[d])} being padding; {@code start[d]} has {@code out[d]}
 * entries shared by every plane, or {@code planes * out[d]} (plane-major) when {@code perPlane}. Average pooling
 * divides by {@code divisor[0][od] * divisor[1][oh] * divisor[2][ow]}, or by {@code divisorOverride} where
 * {@code divisor} is null (0: no divisors, max pooling only).
 */
record PoolTables(int planes, int[] in, int[] out, int[] dilation, int[][] start, int[][] count, boolean perPlane,
                  double[][] divisor, double divisorOverride) {
    /** Validates the tables' lengths and sizes. */
    PoolTables {
        if (planes < 0 || in.length != 3 || out.length != 3 || dilation.length != 3 || start.length != 3
                || count.length != 3 || (divisor != null && divisor.length != 3)) {
            throw new IllegalArgumentException("pool tables need planes >= 0 and three entries per dimension");
        }
        for (int d = 0; d < 3; d++) {
            if (in[d] < 0 || out[d] < 0 || dilation[d] < 1) {
                throw new IllegalArgumentException("pool tables: dimension " + d + " has in " + in[d] + ", out "
                        + out[d] + ", dilation " + dilation[d]);
            }
            long starts = perPlane ? (long) planes * out[d] : out[d];
            if (start[d].length != starts || count[d].length != out[d]
                    || (divisor != null && divisor[d].length != out[d])) {
                throw new IllegalArgumentException("pool tables: dimension " + d + " needs " + starts + " starts and "
                        + out[d] + " counts" + (divisor == null ? "" : " and divisors"));
            }
        }
        long ins = (long) planes * in[0] * in[1] * in[2];
        long outs = (long) planes * out[0] * out[1] * out[2];
        if (ins > Integer.MAX_VALUE || outs > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("pooling too large for int indexing: " + ins + " inputs, " + outs
                    + " outputs");
        }
    }

    /** The tables of {@code w}. */
    static PoolTables of(PoolWindows w) {
        int[][] start = new int[3][];
        int[][] count = new int[3][];
        double[][] divisor = w.divisors(0) == null ? null : new double[3][];
        for (int d = 0; d < 3; d++) {
            start[d] = w.starts(d);
            count[d] = w.counts(d);
            if (divisor != null) {
                divisor[d] = w.divisors(d);
            }
        }
        return new PoolTables(w.planes(), w.in(), w.out(), w.dilation(), start, count, w.perPlane(), divisor,
                w.divisorOverride());
    }

    int inSpatial() {
        return in[0] * in[1] * in[2];
    }

    int outSpatial() {
        return out[0] * out[1] * out[2];
    }

    int inputSize() {
        return planes * inSpatial();
    }

    int outputSize() {
        return planes * outSpatial();
    }

    /** Whether average pooling has divisors. */
    boolean hasDivisors() {
        return divisor != null || divisorOverride != 0;
    }

    /** Ints of the kernels' {@code jt_pool} struct. */
    static final int STRUCT_INTS = 27;

    /** The packed tables: the int64 array the kernels read and the {@code jt_pool} struct locating its parts. */
    record Packed(long[] table, int[] struct) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Packed p && Arrays.equals(table, p.table) && Arrays.equals(struct, p.struct);
        }

        @Override
        public int hashCode() {
            return 31 * Arrays.hashCode(table) + Arrays.hashCode(struct);
        }

        @Override
        public String toString() {
            return "Packed[" + table.length + " entries]";
        }
    }

    /**
     * The tables as the kernels read them: per dimension the starts, the counts, the first and last output
     * covering each input position (per plane when {@code perPlane}; first > last where none does) and the
     * divisors (raw bits of doubles where {@code doubleDivisors}, else of floats), all in one int64 array, and
     * the struct {@code jt_pool {planes, in[3], out[3], dil[3], perPlane, start[3], count[3], lo[3], hi[3],
     * div[3], hasDiv}} giving their offsets in it.
     */
    Packed pack(boolean doubleDivisors) {
        int reps = perPlane ? planes : 1;
        int[] offStart = new int[3];
        int[] offCount = new int[3];
        int[] offLo = new int[3];
        int[] offHi = new int[3];
        int[] offDiv = new int[3];
        long n = 0;
        for (int d = 0; d < 3; d++) {
            offStart[d] = (int) n;
            n += start[d].length;
            offCount[d] = (int) n;
            n += out[d];
            offLo[d] = (int) n;
            n += (long) reps * in[d];
            offHi[d] = (int) n;
            n += (long) reps * in[d];
            offDiv[d] = (int) n;
            n += divisor == null ? 0 : out[d];
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("pool tables too large: " + n + " entries");
            }
        }
        long[] t = new long[(int) n];
        for (int d = 0; d < 3; d++) {
            for (int i = 0; i < start[d].length; i++) {
                t[offStart[d] + i] = start[d][i];
            }
            for (int o = 0; o < out[d]; o++) {
                t[offCount[d] + o] = count[d][o];
                if (divisor != null) {
                    t[offDiv[d] + o] = doubleDivisors ? Double.doubleToRawLongBits(divisor[d][o])
                            : Float.floatToRawIntBits((float) divisor[d][o]);
                }
            }
            for (int p = 0; p < reps; p++) {
                int lo = offLo[d] + p * in[d];
                int hi = offHi[d] + p * in[d];
                Arrays.fill(t, lo, lo + in[d], out[d]);
                Arrays.fill(t, hi, hi + in[d], -1);
                for (int o = 0; o < out[d]; o++) {
                    int s = start[d][(perPlane ? p * out[d] : 0) + o];
                    for (int j = 0; j < count[d][o]; j++) {
                        long pos = s + (long) j * dilation[d];
                        if (pos >= 0 && pos < in[d]) {
                            t[lo + (int) pos] = Math.min(t[lo + (int) pos], o);
                            t[hi + (int) pos] = Math.max(t[hi + (int) pos], o);
                        }
                    }
                }
            }
        }
        int[] st = new int[STRUCT_INTS];
        st[0] = planes;
        for (int d = 0; d < 3; d++) {
            st[1 + d] = in[d];
            st[4 + d] = out[d];
            st[7 + d] = dilation[d];
            st[11 + d] = offStart[d];
            st[14 + d] = offCount[d];
            st[17 + d] = offLo[d];
            st[20 + d] = offHi[d];
            st[23 + d] = offDiv[d];
        }
        st[10] = perPlane ? 1 : 0;
        st[26] = divisor != null ? 1 : 0;
        return new Packed(t, st);
    }
}

package dev.jtorch.opencl;

import dev.jtorch.kernels.PoolWindows;

/**
 * Pooling windows built twice from the same parameters: as the CPU backend's {@link PoolWindows} (its factories)
 * and as the OpenCL kernels' {@link PoolTables} (the same formulas, mirrored here, since PoolWindows does not
 * expose its tables).
 */
record Windows(String name, PoolWindows cpu, PoolTables ocl) {
    @Override
    public String toString() {
        return name;
    }

    static int[] pad3(int[] a, int fill) {
        int[] r = {fill, fill, fill};
        System.arraycopy(a, 0, r, 3 - a.length, a.length);
        return r;
    }

    /** PyTorch's pooling output size along one dim (ceil mode keeps the last window starting inside). */
    static int outSize(int in, int k, int s, int p, int d, boolean ceil) {
        int span = in + 2 * p - d * (k - 1) - 1;
        int o = (ceil ? (span + s - 1) / s : span / s) + 1;
        if (ceil && (o - 1) * s >= in + p) {
            o--;
        }
        return o;
    }

    static int[] outSizes(int[] in, int[] k, int[] s, int[] p, int[] d, boolean ceil) {
        int[] o = new int[in.length];
        for (int i = 0; i < in.length; i++) {
            o[i] = outSize(in[i], k[i], s[i], p[i], d[i], ceil);
        }
        return o;
    }

    static Windows regular(String name, int planes, int[] in, int[] k, int[] s, int[] p, int[] d, boolean ceil) {
        int[] out = outSizes(in, k, s, p, d, ceil);
        PoolWindows w = PoolWindows.regular(planes, in, out, k, s, p, d);
        int[] o3 = pad3(out, 1), k3 = pad3(k, 1), s3 = pad3(s, 1), p3 = pad3(p, 0);
        int[][] st = new int[3][];
        int[][] ct = new int[3][];
        for (int dd = 0; dd < 3; dd++) {
            st[dd] = new int[o3[dd]];
            ct[dd] = new int[o3[dd]];
            for (int o = 0; o < o3[dd]; o++) {
                st[dd][o] = o * s3[dd] - p3[dd];
                ct[dd][o] = k3[dd];
            }
        }
        return new Windows(name, w, new PoolTables(planes, pad3(in, 1), o3, pad3(d, 1), st, ct, false, null, 0));
    }

    static Windows adaptive(String name, int planes, int[] in, int[] out) {
        PoolWindows w = PoolWindows.adaptive(planes, in, out);
        int[] i3 = pad3(in, 1), o3 = pad3(out, 1);
        int[][] st = new int[3][];
        int[][] ct = new int[3][];
        for (int d = 0; d < 3; d++) {
            st[d] = new int[o3[d]];
            ct[d] = new int[o3[d]];
            for (int o = 0; o < o3[d]; o++) {
                int a = (int) ((long) o * i3[d] / o3[d]);
                int b = (int) (((long) (o + 1) * i3[d] + o3[d] - 1) / o3[d]);
                st[d][o] = a;
                ct[d][o] = b - a;
            }
        }
        return new Windows(name, w, new PoolTables(planes, i3, o3, new int[] {1, 1, 1}, st, ct, false, null, 0));
    }

    static Windows perPlane(String name, int planes, int[] in, int[] out, int[] k, int[][] starts) {
        PoolWindows w = PoolWindows.perPlane(planes, in, out, k, starts);
        int[] i3 = pad3(in, 1), o3 = pad3(out, 1), k3 = pad3(k, 1);
        int[][] st = new int[3][];
        int[][] ct = new int[3][];
        for (int d = 0; d < 3; d++) {
            int src = d - (3 - in.length);
            ct[d] = new int[o3[d]];
            java.util.Arrays.fill(ct[d], k3[d]);
            st[d] = src < 0 ? new int[planes * o3[d]] : starts[src].clone();
        }
        return new Windows(name, w, new PoolTables(planes, i3, o3, new int[] {1, 1, 1}, st, ct, true, null, 0));
    }

    /** These windows with PyTorch's average divisors. */
    Windows withDivisors(boolean countIncludePad, int[] padding) {
        PoolTables t = ocl;
        int[] p3 = pad3(padding, 0);
        double[][] div = new double[3][];
        for (int d = 0; d < 3; d++) {
            div[d] = new double[t.out()[d]];
            for (int o = 0; o < t.out()[d]; o++) {
                int s = t.start()[d][o];
                int e = s + (t.count()[d][o] - 1) * t.dilation()[d] + 1;
                div[d][o] = countIncludePad ? Math.min(e, t.in()[d] + p3[d]) - s
                        : Math.min(e, t.in()[d]) - Math.max(s, 0);
            }
        }
        return new Windows(name + (countIncludePad ? ", count_include_pad" : ", padding excluded"),
                cpu.withDivisors(countIncludePad, padding), new PoolTables(t.planes(), t.in(), t.out(),
                t.dilation(), t.start(), t.count(), t.perPlane(), div, 0));
    }

    /** These windows with one divisor for all. */
    Windows withDivisorOverride(double divisor) {
        PoolTables t = ocl;
        return new Windows(name + ", divisor " + divisor, cpu.withDivisorOverride(divisor), new PoolTables(t.planes(),
                t.in(), t.out(), t.dilation(), t.start(), t.count(), t.perPlane(), null, divisor));
    }
}

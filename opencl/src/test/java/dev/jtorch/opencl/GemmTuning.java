package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.View;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A sweep of GEMM tile parameters on opencl:0, for tuning {@code GemmSource.Tiles} on a device; skipped unless
 * {@code -Djtorch.opencl.gemm.tune=true}. For each candidate (the list below, or {@code
 * -Djtorch.opencl.gemm.tune.tiles="tm,tn,tk,rm,rn,vec[,pad];..."}) it prints the best of five timed runs of an
 * {@code s x s x s} float32 product (and float64 where the device has it; {@code s} from {@code
 * -Djtorch.opencl.gemm.tune.size}, 2048 by default) and the largest difference from the default tiles' result:
 *
 * <pre>
 * ./jtorch mvn -o -pl opencl test -Dtest=GemmTuning -Djtorch.opencl.gemm.tune=true -Djtorch.opencl.gemm.tune.size=4096
 * </pre>
 */
class GemmTuning {
    private static final String[] CANDIDATES = {
        "64,64,16,4,4,4,1", "64,64,8,4,4,4,1", "32,32,16,4,4,4,1", "128,64,16,8,4,4,1", "64,128,16,4,8,4,1",
        "128,128,8,8,8,4,1", "128,128,16,8,8,4,1", "128,128,32,8,8,4,1", "128,128,16,8,8,2,1",
        "128,128,16,8,8,8,1", "128,128,16,8,8,4,0", "256,128,8,16,8,4,1",
    };

    @Test
    void sweep() {
        Assumptions.assumeTrue(Boolean.getBoolean("jtorch.opencl.gemm.tune"), "-Djtorch.opencl.gemm.tune=true");
        OpenClBackend ocl = Ocl.backend();
        int s = Integer.getInteger("jtorch.opencl.gemm.tune.size", 2048);
        String list = System.getProperty("jtorch.opencl.gemm.tune.tiles");
        String[] tiles = list == null || list.isBlank() ? CANDIDATES : list.split(";");
        String old = System.getProperty("jtorch.opencl.gemm");
        System.out.println("GEMM tuning, " + s + "^3, on " + ocl.describe());
        try {
            for (DType t : ocl.supportsFloat64() ? new DType[] {DType.FLOAT32, DType.FLOAT64}
                    : new DType[] {DType.FLOAT32}) {
                Random r = new Random(1);
                int[] shape = {1, s, s};
                View a = View.contiguous(ocl.fromHost(Data.random(t, s * s, r, false), t), shape);
                View b = View.contiguous(ocl.fromHost(Data.random(t, s * s, r, false), t), shape);
                Storage ref = ocl.allocate(t, s * s);
                System.clearProperty("jtorch.opencl.gemm");
                ocl.bmm(a, b, View.contiguous(ref, shape), 1, 0);
                double[] expected = doubles(ocl, ref, t);
                for (String c : tiles) {
                    System.setProperty("jtorch.opencl.gemm", c.trim());
                    Storage out = ocl.allocate(t, s * s);
                    View o = View.contiguous(out, shape);
                    long best = Long.MAX_VALUE;
                    try {
                        ocl.bmm(a, b, o, 1, 0); // compiles
                        ocl.synchronize();
                        for (int i = 0; i < 5; i++) {
                            long t0 = System.nanoTime();
                            ocl.bmm(a, b, o, 1, 0);
                            ocl.synchronize();
                            best = Math.min(best, System.nanoTime() - t0);
                        }
                    } catch (RuntimeException e) {
                        System.out.printf("%-8s %-24s failed: %s%n", t, c, e.getMessage());
                        continue;
                    }
                    double[] got = doubles(ocl, out, t);
                    double diff = 0;
                    for (int i = 0; i < got.length; i++) {
                        diff = Math.max(diff, Math.abs(got[i] - expected[i]));
                    }
                    double ms = best / 1e6;
                    System.out.printf("%-8s %-24s %9.3f ms %9.1f GFLOP/s  max |diff| %.3g%n", t, c, ms,
                            2.0 * s * s * s / ms / 1e6, diff);
                }
            }
        } finally {
            if (old == null) {
                System.clearProperty("jtorch.opencl.gemm");
            } else {
                System.setProperty("jtorch.opencl.gemm", old);
            }
        }
        assertTrue(s > 0);
    }

    private static double[] doubles(OpenClBackend ocl, Storage st, DType t) {
        Object h = ocl.toHost(st, 0, st.size());
        double[] d = new double[st.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = Data.value(t, h, i);
        }
        return d;
    }
}

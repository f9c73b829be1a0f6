package dev.jtorch;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The CPU backend's tiled paths for transposed layouts (copy of a transposed view into a contiguous one; binary ops
 * on operands sharing one non-row-major dense layout, into a contiguous or an aliased output) against element-wise
 * reads through {@link Tensor#get}: odd sizes that leave partial tiles, batch dims, storage offsets, float and double.
 */
class TransposedLayoutTest {

    static void sameElements(String what, Tensor expected3dSource, Tensor actual, java.util.function.DoubleBinaryOperator f,
                             Tensor other) {
        int[] s = actual.shape();
        for (int b = 0; b < s[0]; b++) {
            for (int i = 0; i < s[1]; i++) {
                for (int j = 0; j < s[2]; j++) {
                    double e = other == null ? expected3dSource.get(b, i, j)
                            : f.applyAsDouble(expected3dSource.get(b, i, j), other.get(b, i, j));
                    if (actual.dtype() == DType.FLOAT32) {
                        e = (float) e;   // the float op rounds its exact result once
                    }
                    assertEquals(e, actual.get(b, i, j), 0, what + " at " + b + "," + i + "," + j);
                }
            }
        }
    }

    @Test
    void copiesAndBinaryOpsOfTransposedViewsAreElementwiseCorrect() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] dims : new int[][] {{1, 37, 45}, {3, 8, 8}, {2, 65, 9}, {1, 100, 130}}) {
                Torch.manualSeed(dims[1]);
                // a storage offset: the views start one matrix into a larger tensor
                Tensor base = Torch.randn(dims[0] + 1, dims[2], dims[1]).to(dt);
                Tensor other = Torch.randn(dims[0] + 1, dims[2], dims[1]).to(dt);
                Tensor x = base.narrow(0, 1, dims[0]).transpose(1, 2);     // (B, R, C), transposed in memory
                Tensor y = other.narrow(0, 1, dims[0]).transpose(1, 2);
                String what = dt + " " + java.util.Arrays.toString(dims);
                Tensor c = x.clone();
                assertEquals(true, c.isContiguous());
                sameElements(what + " clone", x, c, null, null);
                sameElements(what + " add", x, x.add(y), Double::sum, y);
                sameElements(what + " mul", x, x.mul(y), (p, q) -> p * q, y);
                Tensor before = x.clone();
                x.add_(y);   // in place into the transposed view itself
                sameElements(what + " add_", before, x, Double::sum, y);
            }
        }
    }
}

package dev.jtorch;

import dev.jtorch.testing.FakeDevice;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The element-level API a Java caller needs (issue 13): 0-dim factories, nested-array factories, and reading and
 * writing one element ({@code x[i, j].item()}, {@code x[i, j] = v}); the expected values are the flat arrays
 * the tensors were made from.
 */
class ElementApiTest {
    @Test
    void scalarsAreZeroDimWithTheJavaTypesDtype() {
        Object[][] cases = {{Torch.tensor(2.5f), DType.FLOAT32, 2.5}, {Torch.tensor(2.5), DType.FLOAT64, 2.5},
            {Torch.tensor(3), DType.INT64, 3.0}, {Torch.tensor(7L), DType.INT64, 7.0},
            {Torch.tensor(true), DType.BOOL, 1.0}};
        for (Object[] c : cases) {
            Tensor t = (Tensor) c[0];
            assertEquals(0, t.dim(), t.toString());
            assertEquals(c[1], t.dtype());
            assertEquals((double) c[2], t.item());
            assertEquals((double) c[2], t.get());
        }
        assertEquals(DType.INT64, Torch.tensor(new int[] {1, -2, 3}).dtype());
        assertArrayEquals(new long[] {1, -2, 3}, Torch.tensor(new int[] {1, -2, 3}).toLongArray());
    }

    @Test
    void nestedArraysGiveTheirShape() {
        double[][] m = {{1, 2, 3}, {4, 5, 6}};
        Tensor t = Torch.tensor(m);
        assertArrayEquals(new int[] {2, 3}, t.shape());
        assertEquals(DType.FLOAT64, t.dtype());
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, t.toDoubleArray());
        assertArrayEquals(new int[] {2, 2}, Torch.tensor(new float[][] {{1, 2}, {3, 4}}).shape());
        assertArrayEquals(new long[] {1, 2, 3, 4}, Torch.tensor(new long[][] {{1, 2}, {3, 4}}).toLongArray());
        assertEquals(DType.BOOL, Torch.tensor(new boolean[][] {{true}, {false}}).dtype());
        float[][][] c = {{{1, 2}, {3, 4}, {5, 6}}, {{7, 8}, {9, 10}, {11, 12}}};
        Tensor u = Torch.tensor(c);
        assertArrayEquals(new int[] {2, 3, 2}, u.shape());
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 2; k++) {
                    assertEquals(c[i][j][k], u.get(i, j, k));
                }
            }
        }
        assertArrayEquals(new int[] {0, 0}, Torch.tensor(new double[0][]).shape());
        assertArrayEquals(new int[] {2, 0, 0}, Torch.tensor(new double[2][0][]).shape());
        var e = assertThrows(IllegalArgumentException.class, () -> Torch.tensor(new double[][] {{1, 2}, {3}}));
        assertEquals("expected sequence of length 2 at dim 1 (got 1)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> Torch.tensor(new double[][][] {{{1, 2}}, {{3, 4, 5}}}));
        assertEquals("expected sequence of length 2 at dim 2 (got 3)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Torch.tensor(new double[][] {{1}, null}));
        assertTrue(e.getMessage().contains("row 1 is null"), e.getMessage());
    }

    @Test
    void getAndSetReachOneElement() {
        double[] v = new double[24];
        for (int i = 0; i < v.length; i++) {
            v[i] = i * 1.5 - 7;
        }
        Tensor t = Torch.tensor(v, 2, 3, 4);
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 3; j++) {
                for (int k = 0; k < 4; k++) {
                    assertEquals(v[(i * 3 + j) * 4 + k], t.get(i, j, k));
                    assertEquals(v[(i * 3 + j) * 4 + k], t.get(i - 2, j - 3, k - 4), "negative indices");
                }
            }
        }
        // through a non-contiguous view
        Tensor tt = t.transpose(0, 2);
        assertEquals(v[(1 * 3 + 2) * 4 + 3], tt.get(3, 2, 1));
        assertEquals(-5L, Torch.tensor(new long[] {4, -5}).getLong(1));
        t.set_(100, 1, 2, 3);
        assertEquals(100, t.get(-1, -1, -1));
        assertEquals(100, v.length > 0 ? t.toDoubleArray()[23] : 0);
        var e = assertThrows(IndexOutOfBoundsException.class, () -> t.get(0, 3, 0));
        assertEquals("index 3 is out of bounds for dimension 1 with size 3", e.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> t.get(-3, 0, 0));
        var f = assertThrows(IllegalArgumentException.class, () -> t.get(0, 0));
        assertEquals("get: a tensor of shape [2, 3, 4] takes 3 indices, got 2", f.getMessage());
        Tensor leaf = Torch.ones(3).requiresGrad_(true);
        assertThrows(IllegalStateException.class, () -> leaf.set_(2, 0), "in-place on a leaf that requires grad");
    }

    @Test
    void onASecondBackendOneElementIsReadAndWritten() throws Exception {
        try (var _ = FakeDevice.install()) {
            Tensor t = Torch.tensor(new double[][] {{1, 2}, {3, 4}}).to(FakeDevice.DEVICE);
            assertEquals(3, t.get(1, 0));
            t.set_(-1, 0, 1);
            assertEquals(FakeDevice.DEVICE, t.device());
            assertArrayEquals(new double[] {1, -1, 3, 4}, t.cpu().toDoubleArray());
        }
    }
}

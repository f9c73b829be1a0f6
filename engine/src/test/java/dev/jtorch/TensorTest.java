package dev.jtorch;

import dev.jtorch.backend.Backend;
import dev.jtorch.backend.Storage;
import dev.jtorch.io.SafeTensors;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Factories, views, dtypes and promotion, and the messages for bad input. */
class TensorTest {
    @Test
    void viewsShareStorage() {
        Tensor x = Torch.zeros(3, 4);
        Tensor v = x.t().narrow(0, 1, 2).select(1, 2);
        assertSame(x.storage(), v.storage());
        try (var _ = dev.jtorch.autograd.Autograd.noGrad()) {
            v.fill_(5);
        }
        float[] a = x.toFloatArray();
        assertEquals(5, a[2 * 4 + 1]);
        assertEquals(5, a[2 * 4 + 2]);
        assertEquals(2, x.storage().version() + 1);
        assertFalse(x.t().isContiguous());
        assertTrue(x.t().contiguous().isContiguous());
        assertArrayEquals(new int[] {4, 3}, x.t().shape());
        assertArrayEquals(new int[] {1, 4}, x.t().stride());
    }

    @Test
    void viewOfNonContiguousFailsButReshapeCopies() {
        Tensor x = Torch.arange(12).view(3, 4).t();
        var e = assertThrows(IllegalArgumentException.class, () -> x.view(12));
        assertTrue(e.getMessage().contains("Use .reshape(...) instead"), e.getMessage());
        assertArrayEquals(new long[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, x.reshape(12).toLongArray());
        assertArrayEquals(new int[] {2, 6}, Torch.arange(12).view(2, -1).shape());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Torch.arange(12).view(5, -1));
        assertEquals("shape '[5, -1]' is invalid for input of size 12", e2.getMessage());
    }

    @Test
    void broadcastErrorsNameTheShapes() {
        var e = assertThrows(IllegalArgumentException.class, () -> Torch.ones(2, 3).add(Torch.ones(4)));
        assertTrue(e.getMessage().startsWith("The size of tensor a (3) must match the size of tensor b (4) at "
                + "non-singleton dimension 1"), e.getMessage());
        assertTrue(e.getMessage().contains("[2, 3]") && e.getMessage().contains("[4]"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Torch.ones(2, 3).mm(Torch.ones(4, 5)));
        assertEquals("mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)", e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> Torch.ones(2, 3).add_(Torch.ones(4, 2, 3)));
        assertTrue(e3.getMessage().contains("doesn't match the broadcast shape [4, 2, 3]"), e3.getMessage());
    }

    @Test
    void dimAndIndexErrors() {
        var e = assertThrows(IndexOutOfBoundsException.class, () -> Torch.ones(2, 3).sum(2));
        assertEquals("Dimension out of range (expected to be in range of [-2, 1], but got 2)", e.getMessage());
        var e2 = assertThrows(IndexOutOfBoundsException.class,
                () -> Torch.ones(2, 3).indexSelect(0, Torch.tensor(new long[] {0, 2})));
        assertEquals("index out of range in self", e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class,
                () -> Torch.ones(2, 3).indexSelect(0, Torch.tensor(new float[] {0})));
        assertTrue(e3.getMessage().contains("Expected dtype int64 for index"), e3.getMessage());
        assertThrows(IndexOutOfBoundsException.class, () -> Torch.ones(2, 3).select(1, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> Torch.ones(2, 3).narrow(1, 2, 2));
        var e4 = assertThrows(IllegalArgumentException.class,
                () -> Torch.cat(new Tensor[] {Torch.ones(2, 3), Torch.ones(2, 4)}, 0));
        assertTrue(e4.getMessage().contains("Sizes of tensors must match except in dimension 0"), e4.getMessage());
        var e5 = assertThrows(IllegalArgumentException.class, () -> Torch.ones(2).expand(3));
        assertTrue(e5.getMessage().contains("must match the existing size (2)"), e5.getMessage());
    }

    @Test
    void dtypeErrors() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Torch.ones(2, 2).mm(Torch.ones(DType.FLOAT64, 2, 2)));
        assertTrue(e.getMessage().contains("float32 != torch.float64"), e.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Torch.arange(3).add_(1.5));
        assertEquals("result type Float can't be cast to the desired output type Long", e2.getMessage());
        var e3 = assertThrows(IllegalArgumentException.class, () -> Torch.arange(3).mean());
        assertTrue(e3.getMessage().contains("Got: torch.int64"), e3.getMessage());
        var e4 = assertThrows(IllegalArgumentException.class, () -> Torch.ones(2).maskedFill(Torch.ones(2), 0));
        assertTrue(e4.getMessage().contains("boolean masks"), e4.getMessage());
    }

    @Test
    void mixingDevicesNamesBoth() {
        Storage fake = new Storage(DType.FLOAT32, 4) {
            @Override
            public Device device() {
                return Device.opencl(0);
            }

            @Override
            public Backend backend() {
                throw new AssertionError("must fail before reaching a backend");
            }
        };
        Tensor gpu = Tensor.fromStorage(fake, new int[] {4}, null, 0);
        var e = assertThrows(IllegalArgumentException.class, () -> Torch.ones(4).add(gpu));
        assertTrue(e.getMessage().contains("cpu and opencl:0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Torch.ones(4).mm(gpu.view(4, 1)));
    }

    @Test
    void promotionMatchesPyTorch() {
        var r = SafeTensors.open(OpsGoldenTest.resource("promotion.safetensors"));
        Map<String, String> table = r.metadata();
        int checked = 0;
        for (var e : table.entrySet()) {
            String[] k = e.getKey().split("\\|");
            Tensor a = operand(k[0]);
            Tensor b = operand(k[1]);
            assertEquals(e.getValue(), Torch.resultType(a, b).toString(), e.getKey());
            // and the add really produces that dtype
            if (a.dtype() != DType.BOOL || b.dtype() != DType.BOOL) {
                assertEquals(e.getValue(), a.add(b).dtype().toString(), "add " + e.getKey());
            }
            checked++;
        }
        assertEquals(12 * 14, checked);
    }

    private static Tensor operand(String k) {
        if (k.equals("pyfloat")) {
            return Torch.scalar(1.5);
        }
        if (k.equals("pyint")) {
            return Torch.scalar(2L);
        }
        boolean zeroDim = k.endsWith("_0d");
        String name = zeroDim ? k.substring(0, k.length() - 3) : k;
        DType dt = switch (name) {
            case "float32" -> DType.FLOAT32;
            case "float64" -> DType.FLOAT64;
            case "int64" -> DType.INT64;
            case "bool" -> DType.BOOL;
            case "float16" -> DType.FLOAT16;
            default -> DType.BFLOAT16;
        };
        return zeroDim ? Torch.ones(dt) : Torch.ones(dt, 2);
    }

    @Test
    void integerArithmeticStaysExact() {
        Tensor big = Torch.tensor(new long[] {(1L << 62) + 1, -(1L << 53) - 3});
        assertArrayEquals(new long[] {(1L << 62) + 2, -(1L << 53) - 2}, big.add(1L).toLongArray());
        assertEquals(DType.INT64, big.add(1L).dtype());
        assertEquals(DType.FLOAT32, big.add(1.5).dtype());
        assertEquals(DType.FLOAT32, Torch.arange(4).div(Torch.arange(1, 5, 1)).dtype());
        assertEquals((1L << 62) + 1, big.max().itemLong());
        assertEquals(DType.INT64, Torch.tensor(new boolean[] {true, true, false}).sum().dtype());
        assertEquals(2, Torch.tensor(new boolean[] {true, true, false}).sum().itemLong());
    }

    @Test
    void factories() {
        assertArrayEquals(new float[] {1, 0, 0, 1}, Torch.eye(2).toFloatArray());
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, Torch.linspace(0, 1, 5, DType.FLOAT64).toDoubleArray());
        assertArrayEquals(new long[] {2, 5, 8}, Torch.arange(2, 10, 3).toLongArray());
        assertArrayEquals(new float[] {7, 7}, Torch.full(new int[] {2}, 7).toFloatArray());
        assertEquals(0, Torch.zeros(0, 3).numel());
        assertArrayEquals(new int[0], Torch.scalarTensor(2).shape());
        assertEquals(2.5, Torch.scalarTensor(2.5).item());
        var e = assertThrows(IllegalArgumentException.class, () -> Torch.tensor(new float[] {1, 2, 3}, 2, 2));
        assertTrue(e.getMessage().contains("needs 4 elements"), e.getMessage());
        var gen = new Generator(3);
        Tensor r = Torch.randint(gen, 5, 9, 1000);
        assertTrue(r.min().itemLong() >= 5 && r.max().itemLong() < 9);
    }

    @Test
    void splitChunkUnbindAndMaxIndices() {
        Tensor x = Torch.arange(10).view(5, 2);
        assertEquals(3, x.split(2, 0).length);
        assertArrayEquals(new int[] {1, 2}, x.split(2, 0)[2].shape());
        assertEquals(3, x.chunk(3, 0).length);
        assertEquals(5, x.unbind(0).length);
        Tensor f = Torch.tensor(new float[] {3, 9, 1, 4, 2, 8}, 2, 3);
        Tensor[] mx = f.max(1, false);
        assertArrayEquals(new float[] {9, 8}, mx[0].toFloatArray());
        assertArrayEquals(new long[] {1, 2}, mx[1].toLongArray());
        assertArrayEquals(new long[] {1, 2}, f.argmax(1, false).toLongArray());
        assertEquals(1, f.argmax().itemLong());
        assertArrayEquals(new long[] {0, 1, 0}, f.argmin(0, false).toLongArray());
    }

    @Test
    void nanPropagates() {
        Tensor x = Torch.tensor(new float[] {1, Float.NaN, 3});
        assertTrue(Double.isNaN(x.max().item()));
        assertEquals(1, x.argmax().itemLong());
        assertTrue(Double.isNaN(x.sum().item()));
        assertTrue(x.isnan().any().item() != 0);
    }
}

package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.Device;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Reductions, softmax and indexing at the tensor level: the same expressions on the CPU and on opencl:0 (through
 * the registry) give the same values, and gradients through softmax and reductions computed on the device equal
 * the CPU's.
 */
class ReductionsOnOpenClTest {
    private static final Device D = Device.opencl(0);

    @BeforeEach
    void device() {
        Ocl.backend();
    }

    private static void assertClose(Tensor expected, Tensor actual) {
        assertEquals(Device.CPU, expected.device());
        assertEquals(D, actual.device(), "the result stays on the device");
        assertArrayEquals(expected.shape(), actual.shape());
        assertEquals(expected.dtype(), actual.dtype());
        double[] e = expected.toDoubleArray();
        double[] a = actual.cpu().toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], 1e-5 + 1e-5 * Math.abs(e[i]), "element " + i);
        }
    }

    @Test
    void reductionsAndSoftmaxMatchTheCpu() {
        Torch.manualSeed(5);
        Tensor x = Torch.randn(4, 6, 5);
        Tensor xd = x.to(D);
        assertClose(x.sum(1).softmax(0), xd.sum(1).softmax(0));
        assertClose(x.logSoftmax(2), xd.logSoftmax(2));
        assertClose(x.transpose(0, 2).softmax(1), xd.transpose(0, 2).softmax(1));
        assertClose(x.sum(), xd.sum());
        assertClose(x.mean(new int[] {0, 2}, true), xd.mean(new int[] {0, 2}, true));
        assertClose(x.var(new int[] {1}, 1, false), xd.var(new int[] {1}, 1, false));
        assertClose(x.amax(new int[] {0, 1}, false), xd.amax(new int[] {0, 1}, false));
        assertClose(x.argmax(2, false), xd.argmax(2, false));
        assertClose(x.argmin(), xd.argmin());
        assertClose(x.logsumexp(1, true), xd.logsumexp(1, true));
        assertClose(x.norm(3, new int[] {2}, false), xd.norm(3, new int[] {2}, false));
        assertClose(x.gt(0.0).any(1, false), xd.gt(0.0).any(1, false));
        assertClose(x.gt(-2.0).all(), xd.gt(-2.0).all());
        assertClose(x.max(1, true)[0], xd.max(1, true)[0]);
        Tensor i = Torch.tensor(new long[] {5, -3, 7, 1L << 40, 2, 2}, 2, 3);
        assertClose(i.sum(1), i.to(D).sum(1));
        assertClose(i.prod(0, false), i.to(D).prod(0, false));
        assertClose(x.to(DType.FLOAT64).softmax(1), xd.to(DType.FLOAT64).softmax(1));
    }

    /** Reductions over an empty dim give the CPU's values of an empty row (0, 1, -inf, NaN, ...). */
    @Test
    void reductionsOverAnEmptyDimMatchTheCpu() {
        Ocl.backend();
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64, DType.INT64}) {
            Tensor x = Torch.zeros(dt, 3, 0);
            Tensor d = x.to(Device.opencl(0));
            java.util.List<java.util.function.Function<Tensor, Tensor>> fs = new java.util.ArrayList<>(List.of(
                    t -> t.sum(1, false), t -> t.prod(1, false), t -> t.gt(0.0).any(1, false),
                    t -> t.gt(0.0).all(1, false)));
            if (dt != DType.INT64) {
                fs.addAll(List.of(t -> t.logsumexp(1, false), t -> t.mean(1, false),
                        t -> t.norm(2, new int[] {1}, false), t -> t.sum(new int[] {0, 1}, true)));
            }
            for (var f : fs) {
                Tensor c = f.apply(x);
                Tensor o = f.apply(d);
                assertEquals(Device.opencl(0), o.device());
                assertEquals(c.dtype(), o.dtype());
                assertArrayEquals(c.shape(), o.shape());
                assertArrayEquals(c.toDoubleArray(), o.cpu().toDoubleArray(), 0.0, c + " vs " + o);
            }
        }
    }

    @Test
    void indexingMatchesTheCpu() {
        Torch.manualSeed(6);
        Tensor x = Torch.randn(5, 4);
        Tensor xd = x.to(D);
        Tensor rows = Torch.tensor(new long[] {4, 0, 4, 2}, 4);
        assertClose(x.indexSelect(0, rows), xd.indexSelect(0, rows.to(D)));
        Tensor cols = Torch.tensor(new long[] {3, 0, 0, 2, 1, 1}, 3, 2);
        assertClose(x.t().indexSelect(1, cols.select(1, 0)), xd.t().indexSelect(1, cols.to(D).select(1, 0)));
        Tensor g = Torch.tensor(new long[] {0, 3, 3, 1, 2, 2, 0, 0, 1, 1}, 5, 2);
        assertClose(x.gather(1, g), xd.gather(1, g.to(D)));
        Tensor src = Torch.randn(5, 2);
        assertClose(x.scatterAdd(1, g, src), xd.scatterAdd(1, g.to(D), src.to(D)));
        Tensor s4 = Torch.randn(4, 4);
        assertClose(x.indexAdd(0, rows, s4), xd.indexAdd(0, rows.to(D), s4.to(D)));
    }

    @Test
    void gradientsThroughSoftmaxAndReductionsMatchTheCpu() {
        Torch.manualSeed(7);
        Tensor x = Torch.randn(3, 5);
        Tensor w = Torch.randn(3, 5);
        Tensor xc = x.clone().requiresGrad_(true);
        Tensor xd = x.to(D).requiresGrad_(true);
        xc.softmax(1).mul(w).sum().backward();
        xd.softmax(1).mul(w.to(D)).sum().backward();
        assertClose(xc.grad(), xd.grad());
        Tensor yc = x.clone().requiresGrad_(true);
        Tensor yd = x.to(D).requiresGrad_(true);
        yc.logSoftmax(0).mul(w).mean(new int[] {1}, false).sum().backward();
        yd.logSoftmax(0).mul(w.to(D)).mean(new int[] {1}, false).sum().backward();
        assertClose(yc.grad(), yd.grad());
    }
}

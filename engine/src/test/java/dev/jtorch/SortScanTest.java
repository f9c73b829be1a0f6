package dev.jtorch;

import dev.jtorch.io.SafeTensors;
import dev.jtorch.testing.TestDevice;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * sort, argsort, topk, kthvalue, cumsum, cumprod, tril and triu at their edges against PyTorch 1.13
 * (sort_scan.safetensors, written by tools/parity/gen_sort_goldens.py): 0-dim and empty inputs, signed zeros,
 * infinities and NaN in PyTorch's order, int64 extremes (exact), bool and float16, long lines, float32 sums
 * accumulated in double; values, indices, the gradient and the grad_fn name; and each error PyTorch raises, with
 * its message (IndexError as IndexOutOfBoundsException, RuntimeError as IllegalArgumentException), on the CPU and
 * on the second backend. The ops' ordinary cases are in OpCases (the golden, gradcheck and device suites).
 */
class SortScanTest {
    private static final SafeTensors.Reader GOLDEN = SafeTensors.open(OpsGoldenTest.resource("sort_scan.safetensors"));
    private static final Map<String, Tensor> TENSORS = GOLDEN.all();

    /** Mirrors gen_sort_goldens.py's CASES: each returns a Tensor or a ValuesIndices. */
    static final Map<String, Function<Tensor, Object>> CASES = new LinkedHashMap<>();

    private static void c(String name, Function<Tensor, Object> f) {
        CASES.put(name, f);
    }

    static {
        c("sort_0d", x -> x.sort());
        c("sort_0d_dim0", x -> x.sort(0, true));
        c("sort_empty_dim", x -> x.sort(-1));
        c("sort_empty_rows", x -> x.sort(1));
        c("sort_signed_zeros", x -> x.sort(true, -1, false));
        c("sort_signed_zeros_desc", x -> x.sort(true, -1, true));
        c("sort_inf_nan", x -> x.sort(true, -1, false));
        c("sort_inf_nan_desc", x -> x.sort(true, -1, true));
        c("sort_all_nan", x -> x.sort(true, -1, true));
        c("sort_long_line", x -> x.sort(1));
        c("sort_long_ties", x -> x.sort(true, 1, true));
        c("sort_long_dim0", x -> x.sort(0));
        c("sort_int64_extremes", x -> x.sort(true, -1, false));
        c("sort_bool", x -> x.sort(true, -1, false));
        c("sort_float16", x -> x.sort(0, true));
        c("sort_float32", x -> x.sort(1));
        c("argsort_0d", x -> x.argsort());
        c("topk_0d_k0", x -> x.topk(0));
        c("topk_0d_k1", x -> x.topk(1));
        c("topk_k0", x -> x.topk(0));
        c("topk_k_all", x -> x.topk(4, -1, false, true));
        c("topk_empty_rows", x -> x.topk(2, 1));
        c("topk_int64", x -> x.topk(2, 0));
        c("topk_inf", x -> x.topk(3, -1, false, true));
        c("kthvalue_0d", x -> x.kthvalue(1));
        c("kthvalue_0d_keepdim", x -> x.kthvalue(1, 0, true));
        c("kthvalue_empty_rows", x -> x.kthvalue(2));
        c("kthvalue_int64", x -> x.kthvalue(2, 1, true));
        c("kthvalue_3d", x -> x.kthvalue(4, 1));
        c("cumsum_0d", x -> x.cumsum(0));
        c("cumprod_0d", x -> x.cumprod(-1));
        c("cumsum_empty_dim", x -> x.cumsum(1));
        c("cumsum_empty_rows", x -> x.cumsum(1));
        c("cumprod_empty_rows", x -> x.cumprod(0));
        c("cumsum_float32_long", x -> x.cumsum(1));
        c("cumprod_float32", x -> x.cumprod(1));
        c("cumsum_int64_exact", x -> x.cumsum(0));
        c("cumprod_bool", x -> x.cumprod(0));
        c("cumsum_to_float32", x -> x.cumsum(1, DType.FLOAT32));
        c("cumsum_inf_nan", x -> x.cumsum(0));
        c("cumprod_zero_first", x -> x.cumprod(0));
        c("cumprod_zero_last", x -> x.cumprod(0));
        c("cumprod_all_zero", x -> x.cumprod(0));
        c("tril_empty", x -> x.tril());
        c("triu_empty_batch", x -> x.triu(1));
        c("tril_far_above", x -> x.tril(10));
        c("tril_far_below", x -> x.tril(-10));
        c("triu_far_above", x -> x.triu(10));
        c("triu_4d", x -> x.triu(1));
        c("tril_nan", x -> x.tril());
        c("tril_float16", x -> x.tril());
        c("sort_bad_dim", x -> x.sort(2));
        c("sort_0d_bad_dim", x -> x.sort(1));
        c("argsort_bad_dim", x -> x.argsort(-3));
        c("topk_k_too_big", x -> x.topk(5));
        c("topk_k_negative", x -> x.topk(-1));
        c("topk_0d_k2", x -> x.topk(2));
        c("topk_empty_dim_k1", x -> x.topk(1));
        c("topk_bool", x -> x.topk(1));
        c("kthvalue_k0", x -> x.kthvalue(0));
        c("kthvalue_k_too_big", x -> x.kthvalue(4, 0));
        c("kthvalue_empty_dim", x -> x.kthvalue(1));
        c("kthvalue_0d_k2", x -> x.kthvalue(2));
        c("kthvalue_bool", x -> x.kthvalue(1));
        c("cumsum_bad_dim", x -> x.cumsum(2));
        c("cumprod_bad_dim", x -> x.cumprod(-3));
        c("cumsum_bool_dtype", x -> x.cumsum(0, DType.BOOL));
        c("cumprod_bool_dtype", x -> x.cumprod(0, DType.BOOL));
        c("tril_1d", x -> x.tril());
        c("tril_0d", x -> x.tril());
        c("triu_1d", x -> x.triu(1));
    }

    private static double rtol(DType t) {
        return switch (t) {
            case FLOAT64 -> 1e-10;
            case FLOAT32 -> 2e-6;
            case FLOAT16, BFLOAT16 -> 1e-3;
            case INT64, BOOL -> 0;
        };
    }

    /** Within the dtype's tolerance; equal infinities and NaN against NaN agree. */
    private static void close(String what, Tensor expected, Tensor actual) {
        double r = rtol(expected.dtype());
        Tensor a = actual.cpu();
        assertArrayEquals(expected.shape(), a.shape(), what + ": shape");
        assertEquals(expected.dtype(), a.dtype(), what + ": dtype");
        if (expected.dtype() == DType.INT64) {
            assertArrayEquals(expected.toLongArray(), a.toLongArray(), what);
            return;
        }
        double[] e = expected.toDoubleArray();
        double[] v = a.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = e[i] == v[i] || (Double.isNaN(e[i]) && Double.isNaN(v[i]))
                    || Math.abs(e[i] - v[i]) <= r / 10 + r * Math.abs(e[i]);
            assertTrue(ok, () -> what + ": expected " + java.util.Arrays.toString(e) + "\nactual   "
                    + java.util.Arrays.toString(v));
        }
    }

    private static void run(String name, Device device) {
        Map<String, Tensor> all = TENSORS;
        Tensor in = all.get(name + ".in0").clone();
        if (device != null) {
            in = in.to(device);
        }
        if (in.isFloatingPoint()) {
            in.requiresGrad_(true);
        }
        Tensor x = in;
        Function<Tensor, Object> fn = CASES.get(name);
        assertTrue(fn != null, "no Java op for golden case " + name);
        String error = GOLDEN.metadata().get(name + ".error");
        if (error != null) {
            String type = error.substring(0, error.indexOf(':'));
            Class<? extends RuntimeException> expected = type.equals("IndexError") ? IndexOutOfBoundsException.class
                    : IllegalArgumentException.class;
            RuntimeException e = assertThrows(expected, () -> fn.apply(x), name);
            assertEquals(error.substring(type.length() + 2), e.getMessage(), name);
            return;
        }
        Object r = fn.apply(x);
        Tensor out;
        if (r instanceof ValuesIndices vi) {
            out = vi.values();
            close(name + " values", all.get(name + ".values"), vi.values());
            close(name + " indices", all.get(name + ".indices"), vi.indices());
            if (device != null) {
                assertEquals(device, vi.indices().device(), name + ": indices on the device");
            }
        } else {
            out = (Tensor) r;
            close(name + " output", all.get(name + ".out"), out);
        }
        if (device != null) {
            assertEquals(device, out.device(), name + ": output on the device");
        }
        Tensor gout = all.get(name + ".gout");
        if (gout == null) {
            assertTrue(!out.requiresGrad(), name + ": PyTorch's output has no gradient");
            return;
        }
        assertEquals(GOLDEN.metadata().get(name + ".grad_fn"), out.gradFn().name(), name + ": grad_fn name");
        out.backward(device != null ? gout.to(device) : gout);
        close(name + " grad", all.get(name + ".grad0"), x.grad());
    }

    private static List<DynamicTest> tests(Device device) {
        Set<String> names = new TreeSet<>();
        for (String k : GOLDEN.keys()) {
            names.add(k.substring(0, k.lastIndexOf('.')));
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : names) {
            tests.add(DynamicTest.dynamicTest(name, () -> run(name, device)));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> matchPyTorch() {
        return tests(null);
    }

    /** Every case again on the second backend ({@link TestDevice}: the fake device, or the OpenCL device). */
    @Tag("device")
    @TestFactory
    List<DynamicTest> matchPyTorchOnASecondBackend() {
        return OpsGoldenTest.onTestDevice(tests(TestDevice.device()));
    }

    @Test
    void everyCaseHasAGolden() {
        Set<String> golden = new TreeSet<>();
        for (String k : GOLDEN.keys()) {
            golden.add(k.substring(0, k.lastIndexOf('.')));
        }
        assertEquals(new TreeSet<>(CASES.keySet()), golden);
        assertEquals(71, golden.size());
    }

    /** PyTorch's CPU kernel sums float32 in double and rounds each running sum once: so does jtorch's. */
    @Test
    void float32SumsAccumulateInDouble() {
        Tensor x = TENSORS.get("cumsum_float32_long.in0");
        assertArrayEquals(TENSORS.get("cumsum_float32_long.out").toFloatArray(), x.cumsum(1).toFloatArray());
    }

    @Test
    void resultsAreFreshContiguousTensors() {
        Tensor x = Torch.randn(Torch.manualSeed(3), DType.FLOAT64, 4, 6).t();
        ValuesIndices top = x.topk(2, 0, true, true);
        assertTrue(top.values().isContiguous() && top.indices().isContiguous());
        assertArrayEquals(new int[] {2, 4}, top.values().shape());
        assertEquals(DType.INT64, top.indices().dtype());
        assertEquals(top.values(), top.get(0));
        assertEquals(top.indices(), top.get(-1));
        assertThrows(IndexOutOfBoundsException.class, () -> top.get(2));
        assertTrue(Torch.argsort(x, 0, true, false).equal(x.sort(0, true).indices()));
        assertTrue(Torch.kthvalue(x, 1, 1, false).values().equal(x.amin(new int[] {1}, false)));
    }

    @Test
    void integerAndBoolInputsHaveNoHistory() {
        Tensor x = Torch.tensor(new long[] {3, 1, 2});
        assertNull(x.sort().values().gradFn());
        assertEquals(DType.INT64, Torch.tensor(new boolean[] {true, false}).cumsum(0).dtype());
        assertEquals(DType.FLOAT32, x.cumsum(0, DType.FLOAT32).dtype());
    }

    /** A chain of the ops through gradcheck, with zeros in cumprod's input (distinct values: no ties to sort). */
    @Test
    void composedChainPassesGradcheck() {
        Tensor x = Torch.tensor(new double[] {0.5, -2, 0, 3, 0.25, -1, 0.1, 1.75, 2.5, -0.5, 0, 4}, 3, 4);
        assertTrue(dev.jtorch.autograd.Autograd.gradcheck(in -> in[0].sort(1, true).values().cumprod(1).tril(1)
                .cumsum(0).topk(3, 1, true, true).values(), x.requiresGrad_(true)));
    }
}

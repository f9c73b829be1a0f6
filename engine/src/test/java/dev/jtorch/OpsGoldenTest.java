package dev.jtorch;

import dev.jtorch.io.SafeTensors;
import dev.jtorch.testing.FakeDevice;
import dev.jtorch.testing.TestDevice;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Every op against real PyTorch (goldens from tools/parity/gen_engine_goldens.py): outputs, gradients of
 * sum(out * gout) for every input, and the grad_fn name. float64 at 1e-10 relative, float32 at float32's.
 */
class OpsGoldenTest {
    /** grad_fn names where jtorch composes the op from others, so its last node differs from PyTorch's. */
    static final Map<String, String> COMPOSED = Map.ofEntries(
            Map.entry("dot", "ViewBackward0 (dot is mm of a row and a column)"),
            Map.entry("mv", "SqueezeBackward1 (mv is mm with an unsqueezed vector)"),
            Map.entry("matmul_vec_mat", "SqueezeBackward1"),
            Map.entry("std", "SqrtBackward0 (std is sqrt of var)"),
            Map.entry("std_dim", "SqrtBackward0"),
            Map.entry("square", "MulBackward0 (x * x)"),
            Map.entry("rsub_scalar", "SubBackward0 (scalar - x)"),
            Map.entry("repeat", "ViewBackward0 (expand + reshape)"),
            // PyTorch pools 1-d inputs in 2-d and squeezes; jtorch pools them natively (MaxPool1DWithIndices...)
            Map.entry("max_pool1d", "MaxPool1DWithIndicesBackward0"),
            Map.entry("avg_pool1d", "AvgPool1DBackward0"),
            Map.entry("adaptive_avg_pool1d", "AdaptiveAvgPool1DBackward0"),
            Map.entry("adaptive_max_pool1d", "AdaptiveMaxPool1DBackward0"),
            // PyTorch 1.13 has no fused attention: its golden is the composed definition (UnsafeViewBackward0)
            Map.entry("scaled_dot_product_attention", "ScaledDotProductFlashAttentionBackward0 (one fused op)"),
            Map.entry("sdpa_causal", "ScaledDotProductFlashAttentionBackward0"));

    static byte[] resource(String name) {
        try (InputStream in = OpsGoldenTest.class.getResourceAsStream("/goldens/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing golden " + name + ": run bash tools/parity/run.sh");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static void assertClose(String what, Tensor expected, Tensor actual, double rtol, double atol) {
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (Double.isNaN(e[i]) && Double.isNaN(a[i])) {
                continue;
            }
            if (!(Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]))) {
                fail(what + ": element " + i + " expected " + e[i] + " got " + a[i] + " (rtol " + rtol + ", atol "
                        + atol + ")\nexpected " + Arrays.toString(e) + "\nactual   " + Arrays.toString(a));
            }
        }
    }

    private List<DynamicTest> run(String file, double rtol, double atol, boolean checkNames) {
        return run(file, rtol, atol, checkNames, null);
    }

    /** The goldens of {@code file}; with {@code device}, inputs and outputs live there (a second backend). */
    private List<DynamicTest> run(String file, double rtol, double atol, boolean checkNames, Device device) {
        SafeTensors.Reader r = SafeTensors.open(resource(file));
        Map<String, Tensor> all = r.all();
        Set<String> cases = new TreeSet<>();
        for (String k : all.keySet()) {
            cases.add(k.substring(0, k.lastIndexOf('.')));
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : cases) {
            tests.add(DynamicTest.dynamicTest(name, () -> {
                var fn = OpCases.CASES.get(name);
                assertTrue(fn != null, "no Java op for golden case " + name);
                List<Tensor> ins = new ArrayList<>();
                for (int i = 0; all.containsKey(name + ".in" + i); i++) {
                    Tensor t = all.get(name + ".in" + i).clone();
                    if (device != null) {
                        t = t.to(device);
                    }
                    ins.add(t.isFloatingPoint() ? t.requiresGrad_(true) : t);
                }
                Tensor out = fn.apply(ins.toArray(new Tensor[0]));
                if (device != null) {
                    assertEquals(device, out.device(), name + ": output on the device");
                }
                assertClose(name + " output", all.get(name + ".out"), out.cpu(), rtol, atol);
                Tensor gout = all.get(name + ".gout");
                if (gout == null) {
                    return;
                }
                String torchName = r.metadata().get(name + ".grad_fn");
                if (checkNames && !COMPOSED.containsKey(name)) {
                    assertEquals(torchName, out.gradFn().name(), name + ": grad_fn name");
                }
                out.backward(device != null ? gout.to(device) : gout);
                for (int i = 0; i < ins.size(); i++) {
                    Tensor g = all.get(name + ".grad" + i);
                    if (g != null) {
                        Tensor actual = ins.get(i).grad();
                        assertTrue(actual != null, name + ": no gradient for input " + i);
                        if (device != null) {
                            assertEquals(device, actual.device(), name + ": gradient on the device");
                        }
                        assertClose(name + " grad" + i, g, actual.cpu(), rtol, atol);
                    }
                }
            }));
        }
        return tests;
    }

    @TestFactory
    List<DynamicTest> float64MatchesPyTorch() {
        return run("ops_f64.safetensors", 1e-10, 1e-12, true);
    }

    @TestFactory
    List<DynamicTest> float32MatchesPyTorch() {
        return run("ops_f32.safetensors", 2e-5, 2e-6, false);
    }

    /**
     * Every float64 golden again with its tensors on a second backend ({@link TestDevice}: {@link FakeDevice},
     * or the real device the OpenCL module names).
     */
    @Tag("device")
    @TestFactory
    List<DynamicTest> float64OnASecondBackend() {
        return onTestDevice(run("ops_f64.safetensors", 1e-10, 1e-12, true, TestDevice.device()));
    }

    /** Every float32 golden on the second backend, at float tolerance. */
    @Tag("device")
    @TestFactory
    List<DynamicTest> float32OnASecondBackend() {
        return onTestDevice(run("ops_f32.safetensors", 2e-5, 2e-6, false, TestDevice.device()));
    }

    static List<DynamicTest> onTestDevice(List<DynamicTest> tests) {
        List<DynamicTest> wrapped = new ArrayList<>();
        for (DynamicTest t : tests) {
            wrapped.add(DynamicTest.dynamicTest(t.getDisplayName(), () -> {
                try (var _ = TestDevice.install()) {
                    OpCases.device = TestDevice.device();
                    t.getExecutable().execute();
                } finally {
                    OpCases.device = Device.CPU;
                }
            }));
        }
        return wrapped;
    }

    @Test
    void everyJavaCaseHasAGolden() {
        Set<String> golden = new TreeSet<>();
        for (String k : SafeTensors.open(resource("ops_f64.safetensors")).keys()) {
            golden.add(k.substring(0, k.lastIndexOf('.')));
        }
        assertEquals(new TreeSet<>(OpCases.CASES.keySet()), golden);
        assertTrue(golden.size() >= 110, "golden cases: " + golden.size());
    }
}

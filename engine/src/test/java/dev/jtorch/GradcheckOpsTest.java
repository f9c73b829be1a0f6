package dev.jtorch;

import dev.jtorch.autograd.Autograd;
import dev.jtorch.autograd.GradcheckError;
import dev.jtorch.io.SafeTensors;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * gradcheck (central differences in float64, PyTorch's tolerances) for every differentiable op of the golden
 * set, once with contiguous leaves and once with non-contiguous (strided) leaves. Inputs come from the golden
 * file, which keeps them away from kinks (log of positives, distinct values for max).
 */
class GradcheckOpsTest {
    /** Cases whose op is not smooth in float64 finite differences. */
    static final Set<String> SKIP = Set.of(
            "to_float32",    // rounds through float32: the numerical derivative is quantised
            "embedding");    // padding_idx and scale_grad_by_freq change the gradient on purpose (embedding_plain)

    static Tensor strided(Tensor t) {
        // a leaf whose elements are two apart in storage: every op sees a non-contiguous input
        int[] shape = t.shape();
        int[] big = java.util.Arrays.copyOf(shape, shape.length + 1);
        big[shape.length] = 2;
        Tensor holder = Torch.zeros(t.dtype(), big);
        Tensor v = holder.select(-1, 0);
        v.copy_(t);
        return v;
    }

    private List<DynamicTest> cases(boolean nonContiguous) {
        return cases(nonContiguous, null);
    }

    /** With {@code device}, the leaves live on that backend (gradcheck's perturbations included). */
    private List<DynamicTest> cases(boolean nonContiguous, Device device) {
        Map<String, Tensor> all = SafeTensors.load(OpsGoldenTest.resource("ops_f64.safetensors"));
        Set<String> names = new TreeSet<>();
        for (String k : all.keySet()) {
            if (k.endsWith(".gout")) {
                names.add(k.substring(0, k.length() - 5));
            }
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : names) {
            if (SKIP.contains(name)) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest(name, () -> {
                List<Tensor> ins = new ArrayList<>();
                for (int i = 0; all.containsKey(name + ".in" + i); i++) {
                    Tensor t = all.get(name + ".in" + i);
                    if (t.isFloatingPoint()) {
                        Tensor leaf = nonContiguous && t.numel() > 1 ? strided(t) : t.clone();
                        if (device != null) {
                            leaf = leaf.to(device);
                        }
                        if (nonContiguous && t.numel() > 1) {
                            assertTrue(!leaf.isContiguous(), name + ": input should be non-contiguous");
                        }
                        ins.add(leaf.detach().requiresGrad_(true));
                    } else {
                        ins.add(device != null ? t.to(device) : t);
                    }
                }
                var fn = OpCases.CASES.get(name);
                assertTrue(Autograd.gradcheck(fn, ins.toArray(new Tensor[0])), name);
            }));
        }
        assertTrue(tests.size() >= 100, "gradcheck cases: " + tests.size());
        return tests;
    }

    /**
     * Every case again with its leaves on a second backend ({@link dev.jtorch.testing.TestDevice}: the fake
     * device, or the real device the OpenCL module names).
     */
    @Tag("device")
    @TestFactory
    List<DynamicTest> everyOpOnASecondBackend() {
        return OpsGoldenTest.onTestDevice(cases(false, dev.jtorch.testing.TestDevice.device()));
    }

    @TestFactory
    List<DynamicTest> everyOpContiguous() {
        return cases(false);
    }

    @TestFactory
    List<DynamicTest> everyOpNonContiguous() {
        return cases(true);
    }

    @Test
    void gradcheckCatchesAWrongBackward() {
        // a custom node with a deliberately wrong rule must be caught
        Tensor x = Torch.randn(Torch.defaultGenerator(), DType.FLOAT64, 3).requiresGrad_(true);
        GradcheckError e = assertThrows(GradcheckError.class, () -> Autograd.gradcheck(in -> {
            Tensor y = in[0].detach().mul(in[0].detach());
            var node = new dev.jtorch.autograd.Node("WrongBackward") {
                @Override
                public Tensor[] apply(Tensor[] g) {
                    return new Tensor[] {g[0]};
                }
            };
            Autograd.record(node, new Tensor[] {in[0]}, y);
            return y;
        }, x));
        assertTrue(e.getMessage().contains("Jacobian mismatch"), e.getMessage());
    }

    @Test
    void gradcheckNeedsDouble() {
        Tensor x = Torch.randn(3).requiresGrad_(true);
        var e = assertThrows(IllegalArgumentException.class, () -> Autograd.gradcheck(in -> in[0].exp(), x));
        assertTrue(e.getMessage().contains("torch.float64"), e.getMessage());
    }
}

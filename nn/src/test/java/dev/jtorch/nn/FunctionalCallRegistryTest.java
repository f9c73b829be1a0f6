package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.nn.utils.Stateless;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every module of the registry reads its tensors through {@link Module#attr}: {@code Stateless.functionalCall}
 * with every parameter and persistent buffer replaced gives, bit for bit, the output and gradients of a second
 * module that loaded the same values, the gradients reach the given tensors and not the module's, and the module
 * is left unchanged. A layer that read a field in forward would give the original values here.
 */
class FunctionalCallRegistryTest {

    @TestFactory
    List<DynamicTest> everyModuleUnderFunctionalCall() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : ModuleRegistryTest.goldenNames()) {
            tests.add(DynamicTest.dynamicTest(name, () -> check(name)));
        }
        return tests;
    }

    private static void check(String name) {
        Module m = ModuleRegistryTest.prepared(name);
        Map<String, Tensor> before = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> before.put(k, v.clone()));
        Map<String, Tensor> replaced = new LinkedHashMap<>();
        Map<String, Tensor> loaded = new LinkedHashMap<>();
        for (var e : m.stateDict().entrySet()) {
            Tensor v = e.getValue();
            Tensor nv = v.isFloatingPoint() ? v.mul(1.25).add(0.03125) : v.clone();
            loaded.put(e.getKey(), nv);
            boolean isParam = m.namedParameters().containsKey(e.getKey());
            Tensor given = nv.clone();
            replaced.put(e.getKey(), isParam && v.requiresGrad() ? given.requiresGrad_(true) : given);
        }
        Module other = ModuleRegistryTest.prepared(name);
        other.loadStateDict(loaded);

        Torch.manualSeed(11);
        Tensor expected = other.call(ModuleRegistryTest.inputs(name, false));
        Torch.manualSeed(11);
        Tensor actual = Stateless.functionalCall(m, replaced, ModuleRegistryTest.inputs(name, false));
        ModuleRegistryTest.close(name + " output", expected, actual, 0, 0);

        if (ModuleRegistryTest.G.containsKey(name + ".gout") && actual.requiresGrad()) {
            Tensor gout = ModuleRegistryTest.G.get(name + ".gout");
            expected.backward(gout);
            actual.backward(gout);
            for (var p : other.namedParameters().entrySet()) {
                Tensor g = replaced.get(p.getKey()).grad();
                if (p.getValue().grad() == null) {
                    assertNull(g, name + " " + p.getKey());
                } else {
                    assertTrue(g != null, name + ": no gradient reached the given " + p.getKey());
                    ModuleRegistryTest.close(name + " grad " + p.getKey(), p.getValue().grad(), g, 0, 0);
                }
            }
            for (var p : m.namedParameters().entrySet()) {
                assertNull(p.getValue().grad(), name + ": the module's own " + p.getKey() + " got a gradient");
            }
        }
        Map<String, Tensor> after = m.stateDict();
        assertEquals(before.keySet(), after.keySet());
        for (var e : before.entrySet()) {
            ModuleRegistryTest.close(name + " unchanged " + e.getKey(), e.getValue(), after.get(e.getKey()), 0, 0);
        }
    }
}

package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.utils.OrthogonalParametrization;
import dev.jtorch.nn.utils.ParametrizationList;
import dev.jtorch.nn.utils.Parametrizations;
import dev.jtorch.nn.utils.Parametrizations.OrthogonalMap;
import dev.jtorch.nn.utils.Parametrize;
import dev.jtorch.nn.utils.SpectralNorm;
import dev.jtorch.nn.utils.Stateless;
import dev.jtorch.nn.utils.WeightNorm;
import dev.jtorch.optim.SGD;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import static dev.jtorch.nn.ParametrizeGoldenTest.G;
import static dev.jtorch.nn.ParametrizeGoldenTest.close;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The behaviour of parametrize, parametrizations, weight_norm and spectral_norm beyond the PyTorch values of
 * {@link ParametrizeGoldenTest}: gradcheck through each, state dict round trips and PyTorch state dicts, removal,
 * {@code cached()}, functional calls, optimizer steps, buffers, threads and PyTorch's errors.
 */
class ParametrizeTest {
    static Linear linear64(int in, int out, long seed) {
        Torch.manualSeed(seed);
        Linear l = new Linear(in, out);
        l.float64();
        return l;
    }

    static Tensor randn(long seed, int... shape) {
        Torch.manualSeed(seed);
        return Torch.randn(Torch.defaultGenerator(), DType.FLOAT64, shape);
    }

    /** gradcheck of the output w.r.t. the given dotted tensors of m, replaced through a functional call. */
    static void gradcheckThrough(Module m, Tensor x, String... names) {
        Tensor[] leaves = new Tensor[names.length];
        for (int i = 0; i < names.length; i++) {
            Tensor t = m.stateDict().get(names[i]);
            leaves[i] = t.clone().requiresGrad_(true);
        }
        assertTrue(Autograd.gradcheck(in -> {
            Map<String, Tensor> over = new java.util.HashMap<>();
            for (int i = 0; i < names.length; i++) {
                over.put(names[i], in[i]);
            }
            return Stateless.functionalCall(m, over, x);
        }, leaves), String.join(",", names));
    }

    @Test
    void gradcheckThroughEachParametrization() {
        Tensor x = randn(1, 3, 4);
        Linear sym = linear64(4, 4, 2);
        Parametrize.registerParametrization(sym, "weight", new ParametrizeGoldenTest.Symmetric());
        Parametrize.registerParametrization(sym, "weight", new ParametrizeGoldenTest.Symmetric());
        gradcheckThrough(sym, x, "parametrizations.weight.original", "bias");
        for (OrthogonalMap map : OrthogonalMap.values()) {
            for (boolean triv : new boolean[] {true, false}) {
                for (int out : new int[] {4, 3, 6}) {
                    Linear l = linear64(4, out, 3);
                    Parametrizations.orthogonal(l, "weight", map, triv);
                    if (map == OrthogonalMap.HOUSEHOLDER) {
                        // the diagonal of the original holds signs cast to int (not differentiable, and a finite
                        // difference would step across the cast): vary the other entries only
                        Tensor orig = l.stateDict().get("parametrizations.weight.original");
                        Tensor n = out > 4 ? orig : orig.transpose(0, 1);
                        Tensor eye = Torch.eye(n.size(0), n.size(1), DType.FLOAT64);
                        Tensor mask = eye.rsub(1.0);
                        Tensor diag = n.mul(eye);
                        Tensor off = n.mul(mask).clone().requiresGrad_(true);
                        boolean wide = out <= 4;
                        assertTrue(Autograd.gradcheck(in -> {
                            Tensor t = in[0].mul(mask).add(diag);
                            return Stateless.functionalCall(l, Map.of("parametrizations.weight.original",
                                    wide ? t.transpose(0, 1) : t), x);
                        }, off), map + " " + triv + " " + out);
                    } else {
                        gradcheckThrough(l, x, "parametrizations.weight.original");
                    }
                }
            }
        }
        Linear psn = linear64(4, 3, 4);
        Parametrizations.spectralNorm(psn);
        psn.eval();   // in training, each call would move u and v
        gradcheckThrough(psn, x, "parametrizations.weight.original");
        Linear sn = linear64(4, 3, 5);
        SpectralNorm.spectralNorm(sn);
        sn.eval();
        gradcheckThrough(sn, x, "weight_orig");
        for (Integer dim : new Integer[] {0, 1, null}) {
            Linear wn = linear64(4, 3, 6);
            WeightNorm.weightNorm(wn, "weight", dim);
            gradcheckThrough(wn, x, "weight_g", "weight_v");
            Linear pwn = linear64(4, 3, 6);
            Parametrizations.weightNorm(pwn, "weight", dim);
            gradcheckThrough(pwn, x, "parametrizations.weight.original0", "parametrizations.weight.original1");
        }
    }

    @Test
    void stateDictRoundTripIntoAFreshParametrizedModule() {
        List<Consumer<Module>> registrations = List.of(
                m -> Parametrizations.orthogonal(m),
                m -> Parametrizations.orthogonal(m, "weight", OrthogonalMap.CAYLEY, false),
                m -> Parametrizations.spectralNorm(m),
                m -> Parametrizations.weightNorm(m),
                m -> WeightNorm.weightNorm(m),
                m -> SpectralNorm.spectralNorm(m));
        Tensor x = randn(7, 2, 5);
        for (Consumer<Module> reg : registrations) {
            Linear a = linear64(5, 3, 8);
            reg.accept(a);
            a.call(x);   // a training forward (moves spectral norms' u and v)
            a.eval();
            Linear b = linear64(5, 3, 9);
            reg.accept(b);
            b.eval();
            assertFalse(a.attr("weight").allclose(b.attr("weight"), 1e-6, 1e-6));
            assertEquals(a.stateDict().keySet(), b.stateDict().keySet());
            b.loadStateDict(a.stateDict());
            close("weight", a.attr("weight"), b.attr("weight"));
            close("out", a.call(x), b.call(x));
        }
    }

    @Test
    void loadsPyTorchStateDicts() {
        for (String name : List.of("orth_linear_householder_triv", "orth_conv_matrix_exp_triv", "psn_linear",
                "psn_conv", "sn_old_linear")) {
            String layer = name.contains("conv") ? "conv" : "linear";
            Module m = ParametrizeGoldenTest.make(layer);
            Torch.manualSeed(99);   // other draws than PyTorch's: the state dict brings them
            if (name.startsWith("orth")) {
                Parametrizations.orthogonal(m, "weight", OrthogonalMap.of(name.split("_")[2].equals("matrix")
                        ? "matrix_exp" : "householder"), true);
            } else if (name.startsWith("psn")) {
                Parametrizations.spectralNorm(m);
            } else {
                SpectralNorm.spectralNorm(m);
            }
            m.eval();
            m.loadStateDict(G.prefixed(name + ".final."));
            close(name + ".eval", G.g(name + ".eval"), ParametrizeGoldenTest.run(m, G.g(name + ".x")));
        }
    }

    @Test
    void originalIsTheLayersParameterAndRemovalKeepsIt() {
        Linear l = linear64(4, 4, 10);
        Parameter w = l.weight;
        Parametrize.registerParametrization(l, "weight", new ParametrizeGoldenTest.Symmetric());
        assertTrue(Parametrize.isParametrized(l));
        assertTrue(Parametrize.isParametrized(l, "weight"));
        assertFalse(Parametrize.isParametrized(l, "bias"));
        ParametrizationList list = Parametrize.parametrizations(l, "weight");
        assertSame(w, list.original());
        assertSame(list, l.getSubmodule("parametrizations.weight"));
        // PyTorch's repr, but for the class name (ParametrizedLinear there)
        assertTrue(l.toString().endsWith("\n  (parametrizations): ModuleDict(\n    (weight): ParametrizationList(\n"
                + "      (0): Symmetric()\n    )\n  )\n)"), l.toString());
        Tensor value = l.attr("weight").detach().clone();
        Parametrize.removeParametrizations(l, "weight");
        assertSame(w, l.parameter("weight"));
        close("left parametrized", value, l.weight);
        assertFalse(Parametrize.isParametrized(l));
        assertThrows(IllegalArgumentException.class, () -> l.getSubmodule("parametrizations"));

        Linear k = linear64(4, 4, 11);
        Parametrize.registerParametrization(k, "weight", new ParametrizeGoldenTest.Symmetric());
        Tensor orig = k.weight.detach().clone();
        Parametrize.removeParametrizations(k, "weight", false);
        assertSame(k.weight, k.parameter("weight"));
        close("unparametrized", orig, k.weight);

        Linear two = linear64(4, 3, 12);
        Parametrizations.weightNorm(two);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Parametrize.removeParametrizations(two, "weight", false));
        assertEquals("Cannot leave unparametrized (`leave_parametrized=False`) a tensor that is parametrized in terms "
                + "of a sequence of tensors.", e.getMessage());
        assertTrue(Parametrize.isParametrized(two, "weight"));
        Tensor wn = two.attr("weight").detach().clone();
        Parametrize.removeParametrizations(two, "weight");
        assertTrue(two.parameter("weight").requiresGrad());
        close("weight norm left", wn, two.parameter("weight"));
    }

    @Test
    void cachedComputesOncePerThreadAndScope() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        class Counting extends Module {
            @Override
            public Tensor forward(Tensor x) {
                calls.incrementAndGet();
                return x.mul(2);
            }
        }
        Linear l = linear64(3, 3, 13);
        Parametrize.registerParametrization(l, "weight", new Counting());
        calls.set(0);
        l.attr("weight");
        l.attr("weight");
        assertEquals(2, calls.get());
        try (var _ = Parametrize.cached()) {
            Tensor a = l.attr("weight");
            try (var _ = Parametrize.cached()) {
                assertSame(a, l.attr("weight"));
            }
            assertSame(a, l.attr("weight"));   // the outer scope still holds it
            assertEquals(3, calls.get());
            ExecutorService pool = Executors.newSingleThreadExecutor();
            try {
                Tensor other = pool.submit(() -> l.attr("weight")).get();
                assertNotSame(a, other);        // another thread does not see this thread's cache
            } finally {
                pool.shutdown();
            }
            assertEquals(4, calls.get());
        }
        l.attr("weight");
        assertEquals(5, calls.get());
    }

    @Test
    void functionalCallReplacesTheOriginalOrTheParametrizedTensor() {
        Linear l = linear64(4, 4, 14);
        Parametrize.registerParametrization(l, "weight", new ParametrizeGoldenTest.Symmetric());
        Tensor x = randn(15, 2, 4);
        Tensor w2 = randn(16, 4, 4);
        Tensor sym = w2.triu().add(w2.triu(1).t());
        close("original replaced", F.linear(x, sym, l.bias),
                Stateless.functionalCall(l, Map.of("parametrizations.weight.original", w2), x));
        close("weight replaced", F.linear(x, w2, l.bias), Stateless.functionalCall(l, Map.of("weight", w2), x));
        close("module unchanged", F.linear(x, l.attr("weight"), l.bias), l.call(x));
    }

    @Test
    void optimizerStepOnTheOriginalChangesTheWeight() {
        Linear l = linear64(4, 4, 17);
        Parametrize.registerParametrization(l, "weight", new ParametrizeGoldenTest.Symmetric());
        SGD opt = new SGD(l.parameters(), 0.1);
        Tensor before = l.attr("weight").detach().clone();
        l.call(randn(18, 3, 4)).pow(2).sum().backward();
        opt.step();
        Tensor after = l.attr("weight").detach();
        assertFalse(before.allclose(after, 1e-9, 1e-9));
        close("still symmetric", after.t(), after);
        // an orthogonal weight stays orthogonal
        Linear o = linear64(6, 3, 19);
        Parametrizations.orthogonal(o);
        SGD opt2 = new SGD(o.parameters(), 0.5);
        Tensor q0 = o.attr("weight").detach().clone();
        o.call(randn(20, 3, 6)).pow(2).sum().backward();
        opt2.step();
        Tensor q = o.attr("weight").detach();
        assertFalse(q0.allclose(q, 1e-9, 1e-9));
        close("orthonormal rows", Torch.eye(3, 3, DType.FLOAT64), q.matmul(q.t()));
    }

    @Test
    void buffersAndAssignmentThroughRightInverse() {
        Linear l = linear64(4, 4, 21);
        l.registerBuffer("mask", randn(22, 4, 4));
        Parametrize.registerParametrization(l, "mask", new ParametrizeGoldenTest.Symmetric());
        assertTrue(l.stateDict().containsKey("parametrizations.mask.original"));
        assertFalse(l.namedParameters().containsKey("parametrizations.mask.original"));
        Tensor m = l.attr("mask");
        close("symmetric buffer", m.t(), m);
        Tensor a = randn(23, 4, 4);
        a = a.add(a.t());
        Parametrize.parametrizations(l, "mask").rightInverse(a);   // PyTorch's l.mask = a
        close("assigned", a, l.attr("mask"));
        Parametrize.removeParametrizations(l, "mask");
        assertTrue(l.namedBuffers().containsKey("mask"));

        Linear o = linear64(4, 4, 24);
        Parametrizations.orthogonal(o, "weight", OrthogonalMap.MATRIX_EXP, false);
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                () -> Parametrize.parametrizations(o, "weight").rightInverse(Torch.eye(4, 4, DType.FLOAT64)));
        assertEquals("It is not possible to assign to the matrix exponential or the Cayley parametrizations when "
                + "use_trivialization=False.", e.getMessage());
        Linear h = linear64(4, 4, 25);
        Parametrizations.orthogonal(h, "weight", OrthogonalMap.HOUSEHOLDER, true);
        Tensor q = Parametrizations.orthogonal(linear64(4, 4, 26)).attr("weight").detach();
        Parametrize.parametrizations(h, "weight").rightInverse(q);
        close("orthogonal assigned", q, h.attr("weight"));
    }

    @Test
    void evalForwardsRunConcurrently() throws Exception {
        Module net = new Sequential(linear64(6, 6, 27), linear64(6, 3, 28), linear64(3, 3, 29));
        Parametrizations.orthogonal(((Sequential) net).get(0));
        Parametrizations.spectralNorm(((Sequential) net).get(1));
        SpectralNorm.spectralNorm(((Sequential) net).get(2));
        net.eval();
        Tensor x = randn(30, 5, 6);
        Tensor want;
        try (var _ = Autograd.noGrad()) {
            want = net.call(x);
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Tensor>> outs = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                outs.add(pool.submit(() -> {
                    try (var _ = Autograd.noGrad()) {
                        return net.call(x);
                    }
                }));
            }
            for (Future<Tensor> f : outs) {
                close("concurrent", want, f.get());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void errorsAsPyTorch() {
        Linear l = linear64(4, 3, 31);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Parametrize.registerParametrization(l, "nope", new ParametrizeGoldenTest.Symmetric()));
        assertEquals("Module '" + l + "' does not have a parameter, a buffer, or a parametrized element with name "
                + "'nope'", e.getMessage());
        class Flatten2 extends Module {
            @Override
            public Tensor forward(Tensor x) {
                return x.flatten();
            }
        }
        e = assertThrows(IllegalArgumentException.class,
                () -> Parametrize.registerParametrization(l, "weight", new Flatten2()));
        assertEquals("Registering a parametrization may not change the shape of the tensor, unless `unsafe` flag is "
                + "enabled.\nunparametrized shape: torch.Size([3, 4])\nparametrized shape: torch.Size([12])",
                e.getMessage());
        assertFalse(Parametrize.isParametrized(l));
        assertEquals(DType.FLOAT64, l.weight.dtype());
        class ToFloat extends Module {
            @Override
            public Tensor forward(Tensor x) {
                return x.float32();
            }
        }
        e = assertThrows(IllegalArgumentException.class,
                () -> Parametrize.registerParametrization(l, "weight", new ToFloat()));
        assertEquals("Registering a parametrization may not change the dtype of the tensor, unless `unsafe` flag is "
                + "enabled.\nunparametrized dtype: torch.float64\nparametrized dtype: torch.float32", e.getMessage());
        Parametrize.registerParametrization(l, "weight", new Flatten2(), true);
        assertEquals(12, l.attr("weight").numel());
        e = assertThrows(IllegalArgumentException.class, () -> Parametrize.removeParametrizations(l, "bias"));
        assertEquals("Module " + l + " does not have a parametrization on bias", e.getMessage());

        Linear w = linear64(4, 3, 32);
        WeightNorm.weightNorm(w);
        IllegalStateException s = assertThrows(IllegalStateException.class, () -> WeightNorm.weightNorm(w));
        assertEquals("Cannot register two weight_norm hooks on the same parameter weight", s.getMessage());
        Linear sn = linear64(4, 3, 33);
        SpectralNorm.spectralNorm(sn);
        s = assertThrows(IllegalStateException.class, () -> SpectralNorm.spectralNorm(sn));
        assertEquals("Cannot register two spectral_norm hooks on the same parameter weight", s.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> WeightNorm.removeWeightNorm(sn));
        assertEquals("weight_norm of 'weight' not found in " + sn, e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> SpectralNorm.removeSpectralNorm(w));
        assertEquals("spectral_norm of 'weight' not found in " + w, e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> SpectralNorm.spectralNorm(linear64(4, 3, 34), "weight", 0, 1e-12, null));
        assertEquals("Expected n_power_iterations to be positive, but got n_power_iterations=0", e.getMessage());
        Linear nb = new Linear(3, 2, false);
        e = assertThrows(IllegalArgumentException.class, () -> SpectralNorm.spectralNorm(nb, "bias", 1, 1e-12, null));
        assertEquals("`SpectralNorm` cannot be applied as parameter `bias` is None", e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> Parametrizations.orthogonal(linear64(4, 3, 35), "bias",
                null, true));
        assertEquals("Expected a matrix or batch of matrices. Got a tensor of 1 dimensions.", e.getMessage());
        Linear nope = linear64(4, 3, 36);
        e = assertThrows(IllegalArgumentException.class, () -> Parametrizations.orthogonal(nope, "nope", null, true));
        assertEquals("Module '" + nope + "' has no parameter or buffer with name 'nope'", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> OrthogonalMap.of("qr"));
        assertEquals("orthogonal_map has to be one of \"matrix_exp\", \"cayley\", \"householder\". Got: qr",
                e.getMessage());
        OrthogonalParametrization orth = new OrthogonalParametrization(Torch.zeros(3, 4), OrthogonalMap.CAYLEY, true);
        e = assertThrows(IllegalArgumentException.class, () -> orth.rightInverse(Torch.zeros(4, 3)));
        assertEquals("Expected a matrix or batch of matrices of shape torch.Size([3, 4]). Got a tensor of shape "
                + "torch.Size([4, 3]).", e.getMessage());
        IndexOutOfBoundsException i = assertThrows(IndexOutOfBoundsException.class,
                () -> Parametrizations.spectralNorm(linear64(4, 3, 37), "weight", 1, 1e-12, 2));
        assertEquals("Dimension out of range (expected to be in range of [-2, 1] but got 2)", i.getMessage());
    }

    @Test
    void spectralNormKeepsDimOneForConvTranspose() {
        ConvTranspose2d ct = new ConvTranspose2d(2, 5, 3);
        SpectralNorm.spectralNorm(ct);
        assertEquals(5, ct.buffer("weight_u").size(0));
        ConvTranspose2d ct2 = new ConvTranspose2d(2, 5, 3);
        Parametrizations.spectralNorm(ct2);
        assertEquals(5, ct2.getBuffer("parametrizations.weight.0._u").size(0));
        assertEquals("_SpectralNorm()", Parametrize.parametrizations(ct2, "weight").get(0).toString());
    }
}

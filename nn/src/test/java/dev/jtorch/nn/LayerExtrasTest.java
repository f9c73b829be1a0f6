package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.nn.functional.EmbeddingBagMode;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.functional.PadMode;
import dev.jtorch.optim.SGD;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The layer behaviours that {@link ModuleRegistryTest} cannot reach, each against PyTorch 1.13
 * ({@code tools/parity/gen_layer_extras.py}, {@code layer_extras.safetensors}), case by case:
 * <ul>
 *   <li>ConvTranspose1d/2d/3d {@code forward(input, outputSize)} at both ends of the valid range, spatial or
 *   full-shape sizes, batched and unbatched: outputs and every gradient;</li>
 *   <li>the indices of max pooling ({@code forwardWithIndices} of MaxPool, AdaptiveMaxPool and FractionalMaxPool
 *   with PyTorch's {@code _random_samples}; {@code F.maxPool2dWithIndices}), equal to PyTorch's, with ties and
 *   NaN; MaxUnpool fed PyTorch's indices with an explicit output size;</li>
 *   <li>unbatched inputs of the pooling, padding, instance norm, convolution and fold layers;</li>
 *   <li>Embedding.fromPretrained (freeze), max_norm renormalising the weight as PyTorch does, negative
 *   padding_idx, F.embedding, F.embeddingBag (per-sample weights, include_last_offset, empty bags),
 *   F.oneHot and F.normalize (p 1, 2, 3, inf) with gradients;</li>
 *   <li>BatchNorm running statistics over three training steps (momentum 0.1, 0.3 and None), int64
 *   num_batches_tracked, then eval; InstanceNorm with running statistics over two steps;</li>
 *   <li>F.pad in every mode and rank with negative pads, with gradients;</li>
 *   <li>float16 and bfloat16 Conv2d, BatchNorm2d (eval) and MaxPool2d close to PyTorch's float32 result on the
 *   same values (and to PyTorch's own bfloat16 result);</li>
 *   <li>a Sequential CNN trained three SGD steps ends with PyTorch's parameters and running statistics.</li>
 * </ul>
 * Float64 values compare at 1e-10 relative; indices and int64 buffers exactly. The generator and this class
 * hold the same case names ({@link #everyGoldenCaseHasAJavaCase}).
 */
class LayerExtrasTest {
    /** Cases the generator writes; a change in the generator must show up here. */
    static final int CASES = 152;
    static final double RTOL = 1e-10;
    static final double ATOL = 1e-12;

    static final Map<String, Tensor> FLAT;
    static final Map<String, String> META;

    static {
        try (InputStream in = LayerExtrasTest.class.getResourceAsStream("/goldens/layer_extras.safetensors")) {
            SafeTensors.Reader r = SafeTensors.open(in.readAllBytes());
            FLAT = r.all();
            META = r.metadata();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ golden access

    /** One case's parts (sliced from the flat tensors) and metadata. */
    static final class P {
        final String name;
        final Map<String, Tensor> parts = new LinkedHashMap<>();

        P(String name) {
            this.name = name;
            String spec = META.get("case." + name);
            assertNotNull(spec, name + ": no case");
            for (String part : spec.substring(spec.indexOf('|') + 1).split(";")) {
                int at = part.indexOf('@');
                int eq = part.indexOf('=');
                String head = part.substring(0, at);
                int colon = head.indexOf(':');
                String key = colon < 0 ? head : head.substring(0, colon);
                String dtype = colon < 0 ? "f64" : head.substring(colon + 1);
                int off = Integer.parseInt(part.substring(at + 1, eq));
                String s = part.substring(eq + 1);
                int[] shape = s.isEmpty() ? new int[0] : Arrays.stream(s.split(",")).mapToInt(Integer::parseInt)
                        .toArray();
                int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
                Tensor flat = FLAT.get(dtype);
                assertNotNull(flat, "no flat tensor " + dtype);
                parts.put(key, flat.narrow(0, off, n).reshape(shape).clone());
            }
        }

        boolean has(String key) {
            return parts.containsKey(key);
        }

        /** A copy of a part. */
        Tensor t(String key) {
            Tensor v = parts.get(key);
            assertNotNull(v, name + ": no part " + key);
            return v.clone();
        }

        /** An input: requires grad when PyTorch recorded its gradient. */
        Tensor in(String key) {
            Tensor v = t(key);
            return has("grad_" + key) ? v.requiresGrad_(true) : v;
        }

        int[] ints(String key) {
            return Arrays.stream(t(key).toLongArray()).mapToInt(Math::toIntExact).toArray();
        }

        Map<String, Tensor> prefixed(String prefix) {
            Map<String, Tensor> m = new LinkedHashMap<>();
            for (var e : parts.entrySet()) {
                if (e.getKey().startsWith(prefix)) {
                    m.put(e.getKey().substring(prefix.length()), e.getValue().clone());
                }
            }
            return m;
        }

        String meta(String key) {
            String v = META.get(name + "." + key);
            assertNotNull(v, name + ": no metadata " + key);
            return v;
        }

        void close(String key, Tensor actual) {
            close(key, actual, RTOL, ATOL);
        }

        void close(String key, Tensor actual, double rtol, double atol) {
            LayerExtrasTest.close(name + " " + key, parts.get(key), actual, rtol, atol);
        }

        /** Same dtype, shape and values (NaN equal to NaN). */
        void exact(String key, Tensor actual) {
            LayerExtrasTest.close(name + " " + key, parts.get(key), actual, 0, 0);
        }
    }

    static void close(String what, Tensor expected, Tensor actual, double rtol, double atol) {
        assertNotNull(expected, what + ": no golden");
        assertNotNull(actual, what + ": missing");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            boolean ok = Double.isNaN(e[i]) ? Double.isNaN(a[i])
                    : e[i] == a[i] || Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]);
            if (!ok) {
                fail(what + ": element " + i + " expected " + e[i] + " got " + a[i] + "\nexpected "
                        + Arrays.toString(e) + "\nactual   " + Arrays.toString(a));
            }
        }
    }

    /** The output gradient of every case: ((7 k) mod 11 - 5) / 4 at flat position k (as the generator). */
    static Tensor gradOut(int[] shape) {
        int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        double[] v = new double[n];
        for (int k = 0; k < n; k++) {
            v[k] = (7L * k % 11 - 5) / 4.0;
        }
        return Torch.tensor(v, shape);
    }

    static int[] a(int... v) {
        return v;
    }

    static Tensor detached(Tensor t) {
        return t.detach().clone();
    }

    // ------------------------------------------------------------------ shared checks

    /** Inputs x, x1, x2, ... of a case (float ones require grad when PyTorch recorded their gradient). */
    static Tensor[] inputs(P p) {
        List<Tensor> xs = new ArrayList<>();
        for (int i = 0; p.has(i == 0 ? "x" : "x" + i); i++) {
            xs.add(p.in(i == 0 ? "x" : "x" + i));
        }
        return xs.toArray(new Tensor[0]);
    }

    /** Backward of sum(y * gout): the gradients of the inputs and of the named parameters against PyTorch's. */
    static void gradients(P p, Tensor y, Tensor[] xs, Map<String, Parameter> params) {
        boolean any = p.parts.keySet().stream().anyMatch(k -> k.startsWith("grad"));
        if (!any) {
            return;
        }
        y.backward(gradOut(y.shape()));
        for (int i = 0; i < xs.length; i++) {
            String key = i == 0 ? "grad_x" : "grad_x" + i;
            if (p.has(key)) {
                p.close(key, xs[i].grad());
            }
        }
        for (var e : params.entrySet()) {
            if (p.has("grad." + e.getKey())) {
                p.close("grad." + e.getKey(), e.getValue().grad());
            } else {
                assertFalse(e.getValue().requiresGrad() && e.getValue().grad() != null, p.name + ": a gradient for "
                        + e.getKey() + " that PyTorch has not");
            }
        }
    }

    /**
     * A module case: float64, PyTorch's state loaded, training only for names ending in _train; call's result
     * (a Tensor, or Pooled with the indices) against out/indices, the buffers after the call, the gradients.
     */
    static void module(P p, Module m, Function<Tensor[], Object> call) {
        m.float64();
        m.loadStateDict(p.prefixed("state."));
        m.train(p.name.endsWith("_train"));
        Tensor[] xs = inputs(p);
        Object r = call.apply(xs);
        Tensor y;
        if (r instanceof Pooled pooled) {
            y = pooled.output();
            p.exact("indices", pooled.indices());
        } else {
            y = (Tensor) r;
            assertFalse(p.has("indices"), p.name + ": PyTorch returned indices");
        }
        p.close("out", y);
        for (var e : p.prefixed("after.").entrySet()) {
            Tensor b = m.namedBuffers().get(e.getKey());
            assertNotNull(b, p.name + ": no buffer " + e.getKey());
            close(p.name + " buffer after " + e.getKey(), e.getValue(), b, RTOL, ATOL);
        }
        gradients(p, y, xs, m.namedParameters());
    }

    static void module(P p, Module m) {
        module(p, m, xs -> m.call(xs));
    }

    /** A functional case: fn(x, x1, ..., o0, o1, ...) against out and the gradients of the float inputs. */
    static void functional(P p, Function<Tensor[], Tensor> fn) {
        Tensor[] xs = inputs(p);
        List<Tensor> all = new ArrayList<>(Arrays.asList(xs));
        for (int i = 0; i < 4; i++) {
            all.add(p.has("o" + i) ? p.t("o" + i) : null);
        }
        Tensor y = fn.apply(all.toArray(new Tensor[0]));
        p.close("out", y);
        gradients(p, y, xs, Map.of());
    }

    // ------------------------------------------------------------------ the cases

    static final Map<String, String> GROUPS = new LinkedHashMap<>();
    static final Map<String, Consumer<P>> CHECKS = new LinkedHashMap<>();

    private static void c(String group, String name, Consumer<P> check) {
        assertFalse(CHECKS.containsKey(name), name);
        GROUPS.put(name, group);
        CHECKS.put(name, check);
    }

    private static void m(String group, String name, Supplier<Module> ctor) {
        c(group, name, p -> module(p, ctor.get()));
    }

    // ConvTranspose forward(input, output_size)
    static void convT(String name, Supplier<ConvNd> ctor) {
        c("convT", name, p -> {
            ConvNd m = ctor.get();
            int[] size = p.ints("output_size");
            module(p, m, xs -> switch (m) {
                case ConvTranspose1d t -> t.forward(xs[0], size);
                case ConvTranspose2d t -> t.forward(xs[0], size);
                case ConvTranspose3d t -> t.forward(xs[0], size);
                default -> throw new IllegalStateException();
            });
        });
    }

    static ConvNd ct1() {
        return new ConvTranspose1d(ConvTranspose1d.options(2, 3, 3).stride(3).padding(1));
    }

    static ConvNd ct2() {
        return new ConvTranspose2d(ConvTranspose2d.options(2, 2, 3, 2).stride(2, 3).padding(1, 0).dilation(1, 2));
    }

    static ConvNd ct2g() {
        return new ConvTranspose2d(ConvTranspose2d.options(4, 2, 3).stride(2).padding(1).outputPadding(1).groups(2));
    }

    static ConvNd ct3() {
        return new ConvTranspose3d(ConvTranspose3d.options(2, 1, 2, 3, 2).stride(2, 1, 3).padding(0, 1, 1));
    }

    static {
        convT("convT1d_min", LayerExtrasTest::ct1);
        convT("convT1d_max", LayerExtrasTest::ct1);
        convT("convT1d_unbatched_max", LayerExtrasTest::ct1);
        convT("convT1d_unbatched_full", LayerExtrasTest::ct1);
        convT("convT2d_min", LayerExtrasTest::ct2);
        convT("convT2d_max", LayerExtrasTest::ct2);
        convT("convT2d_mixed", LayerExtrasTest::ct2);
        convT("convT2d_full_max", LayerExtrasTest::ct2);
        convT("convT2d_unbatched_max", LayerExtrasTest::ct2);
        convT("convT2d_groups_outpad_min", LayerExtrasTest::ct2g);
        convT("convT3d_min", LayerExtrasTest::ct3);
        convT("convT3d_max", LayerExtrasTest::ct3);
        convT("convT3d_unbatched_mixed", LayerExtrasTest::ct3);
    }

    // max pooling indices
    static void pooled(String name, Supplier<Module> ctor) {
        c("indices", name, p -> {
            Module m = ctor.get();
            module(p, m, xs -> switch (m) {
                case MaxPoolNd t -> t.forwardWithIndices(xs[0]);
                case AdaptiveMaxPool1d t -> t.forwardWithIndices(xs[0]);
                case AdaptiveMaxPool2d t -> t.forwardWithIndices(xs[0]);
                case AdaptiveMaxPool3d t -> t.forwardWithIndices(xs[0]);
                default -> throw new IllegalStateException();
            });
        });
    }

    /** Fractional max pooling with PyTorch's _random_samples (the state it recorded). */
    static void fractional(String name, Function<Tensor, Module> ctor) {
        c("indices", name, p -> {
            Module m = ctor.apply(p.t("state._random_samples"));
            module(p, m, xs -> switch (m) {
                case FractionalMaxPool2d t -> t.forwardWithIndices(xs[0]);
                case FractionalMaxPool3d t -> t.forwardWithIndices(xs[0]);
                default -> throw new IllegalStateException();
            });
        });
    }

    static void fMaxPool2d(String name, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceil) {
        c("indices", name, p -> {
            Tensor x = p.in("x");
            Tensor[] r = F.maxPool2dWithIndices(x, kernel, stride, padding, dilation, ceil);
            p.close("out", r[0]);
            p.exact("indices", r[1]);
            gradients(p, r[0], new Tensor[] {x}, Map.of());
        });
    }

    /** MaxUnpool fed PyTorch's indices (x1) with its explicit output size. */
    static void unpool(String name, Supplier<Module> ctor) {
        c("indices", name, p -> {
            Module m = ctor.get();
            int[] size = p.ints("output_size");
            module(p, m, xs -> switch (m) {
                case MaxUnpool1d t -> t.forward(xs[0], xs[1], size);
                case MaxUnpool2d t -> t.forward(xs[0], xs[1], size);
                case MaxUnpool3d t -> t.forward(xs[0], xs[1], size);
                default -> throw new IllegalStateException();
            });
        });
    }

    static {
        pooled("maxpool1d_idx", () -> new MaxPool1d(MaxPool1d.options(3).stride(2).padding(1).dilation(2)
                .ceilMode(true)));
        pooled("maxpool2d_idx", () -> new MaxPool2d(MaxPool2d.options(3, 2).stride(2, 1).padding(1, 1).dilation(1, 2)
                .ceilMode(true)));
        pooled("maxpool2d_ties", () -> new MaxPool2d(MaxPool2d.options(2).stride(1)));
        pooled("maxpool2d_nan", () -> new MaxPool2d(2));
        pooled("maxpool2d_unbatched_idx", () -> new MaxPool2d(MaxPool2d.options(3).stride(2).padding(1)));
        pooled("maxpool3d_idx", () -> new MaxPool3d(MaxPool3d.options(2, 3, 2).stride(1, 2, 2).padding(1, 1, 0)
                .dilation(1, 1, 2).ceilMode(true)));
        pooled("maxpool3d_unbatched_idx", () -> new MaxPool3d(MaxPool3d.options(2).stride(1, 2, 2).padding(1)));
        pooled("adaptivemax1d_idx", () -> new AdaptiveMaxPool1d(4));
        pooled("adaptivemax2d_idx", () -> new AdaptiveMaxPool2d(3, null));
        pooled("adaptivemax2d_overlap_idx", () -> new AdaptiveMaxPool2d(5, 3));
        pooled("adaptivemax2d_ties", () -> new AdaptiveMaxPool2d(3));
        pooled("adaptivemax2d_nan", () -> new AdaptiveMaxPool2d(2));
        pooled("adaptivemax3d_idx", () -> new AdaptiveMaxPool3d(2, 3, 2));
        pooled("adaptivemax3d_unbatched_idx", () -> new AdaptiveMaxPool3d(2));
        fractional("fracmax2d_idx", s -> new FractionalMaxPool2d(FractionalMaxPool2d.options(2).outputSize(4, 3)
                .returnIndices(true).randomSamples(s)));
        fractional("fracmax2d_ratio_idx", s -> new FractionalMaxPool2d(FractionalMaxPool2d.options(3, 2)
                .outputRatio(0.5, 0.6).returnIndices(true).randomSamples(s)));
        fractional("fracmax2d_unbatched_idx", s -> new FractionalMaxPool2d(FractionalMaxPool2d.options(3)
                .outputSize(4).returnIndices(true).randomSamples(s)));
        fractional("fracmax2d_ties", s -> new FractionalMaxPool2d(FractionalMaxPool2d.options(2).outputSize(5, 4)
                .returnIndices(true).randomSamples(s)));
        fractional("fracmax3d_idx", s -> new FractionalMaxPool3d(FractionalMaxPool3d.options(2).outputSize(2, 3, 2)
                .returnIndices(true).randomSamples(s)));
        fractional("fracmax3d_ratio_idx", s -> new FractionalMaxPool3d(FractionalMaxPool3d.options(2, 3, 2)
                .outputRatio(0.5).returnIndices(true).randomSamples(s)));
        fMaxPool2d("F_maxpool2d_idx", a(2, 3), a(2, 2), a(1, 1), a(1), false);
        fMaxPool2d("F_maxpool2d_default_stride_idx", a(2), null, a(0), a(1), false);
        fMaxPool2d("F_maxpool2d_dilated_ceil_idx", a(3), a(2), a(1), a(2, 1), true);
        unpool("unpool2d_outsize", () -> new MaxUnpool2d(a(2), a(2), a(0)));
        unpool("unpool2d_outsize_full", () -> new MaxUnpool2d(a(2), a(2), a(0)));
        unpool("unpool2d_padded_outsize", () -> new MaxUnpool2d(a(3), a(2), a(1)));
        unpool("unpool2d_unbatched_outsize", () -> new MaxUnpool2d(a(2), a(2), a(0)));
        unpool("unpool1d_outsize", () -> new MaxUnpool1d(a(2), a(2), a(0)));
        unpool("unpool3d_outsize", () -> new MaxUnpool3d(a(2), a(2), a(0)));
    }

    // unbatched inputs
    static void u(String name, Supplier<Module> ctor) {
        m("unbatched", name, ctor);
    }

    static {
        u("u_maxpool1d", () -> new MaxPool1d(MaxPool1d.options(3).stride(2).padding(1)));
        u("u_avgpool1d", () -> new AvgPool1d(AvgPool1d.options(3).stride(2).padding(1).countIncludePad(false)));
        u("u_maxpool2d", () -> new MaxPool2d(MaxPool2d.options(2, 3).stride(2, 2).ceilMode(true)));
        u("u_avgpool2d", () -> new AvgPool2d(AvgPool2d.options(3).stride(2).padding(1).ceilMode(true)
                .countIncludePad(false)));
        u("u_avgpool2d_divisor", () -> new AvgPool2d(AvgPool2d.options(2, 3).divisorOverride(4)));
        u("u_maxpool3d", () -> new MaxPool3d(MaxPool3d.options(2).stride(1, 2, 2).padding(1)));
        u("u_avgpool3d", () -> new AvgPool3d(AvgPool3d.options(2, 3, 2).stride(2).padding(1)));
        u("u_lppool1d", () -> new LPPool1d(2, a(3), a(2), false));
        u("u_lppool2d", () -> new LPPool2d(2, a(2, 3), a(1), false));
        u("u_adaptiveavg1d", () -> new AdaptiveAvgPool1d(4));
        u("u_adaptiveavg2d", () -> new AdaptiveAvgPool2d(3, 4));
        u("u_adaptiveavg3d", () -> new AdaptiveAvgPool3d(2, 3, 2));
        u("u_adaptivemax2d", () -> new AdaptiveMaxPool2d(3));
        u("u_adaptivemax3d", () -> new AdaptiveMaxPool3d(3, 2, 2));
        u("u_reflectionpad1d", () -> new ReflectionPad1d(2));
        u("u_reflectionpad2d", () -> new ReflectionPad2d(1, 2, 3, 0));
        u("u_reflectionpad3d", () -> new ReflectionPad3d(1));
        u("u_replicationpad1d", () -> new ReplicationPad1d(3, 1));
        u("u_replicationpad2d", () -> new ReplicationPad2d(2));
        u("u_replicationpad3d", () -> new ReplicationPad3d(1, 1, 2, 2, 0, 1));
        u("u_constantpad1d", () -> new ConstantPad1d(2, 3.5));
        u("u_constantpad1d_1d", () -> new ConstantPad1d(a(1, 2), -1.0));
        u("u_constantpad2d", () -> new ConstantPad2d(a(1, 0, 2, 1), -1.5));
        u("u_constantpad3d", () -> new ConstantPad3d(1, 0.5));
        u("u_zeropad2d", () -> new ZeroPad2d(1, 1, 2, 0));
        u("u_instancenorm1d", () -> new InstanceNorm1d(3));
        u("u_instancenorm2d_affine", () -> new InstanceNorm2d(InstanceNorm2d.options(2).affine(true)));
        u("u_instancenorm3d", () -> new InstanceNorm3d(2));
        u("u_instancenorm2d_track_train", () -> new InstanceNorm2d(InstanceNorm2d.options(2).trackRunningStats(true)));
        u("u_instancenorm1d_track_eval", () -> new InstanceNorm1d(InstanceNorm1d.options(2).trackRunningStats(true)));
        u("u_conv1d", () -> new Conv1d(Conv1d.options(3, 2, 3).padding(1)));
        u("u_conv2d", () -> new Conv2d(Conv2d.options(2, 3, 3).stride(2).padding(1)));
        u("u_conv2d_reflect", () -> new Conv2d(Conv2d.options(2, 2, 3).padding(1).paddingMode(PadMode.REFLECT)));
        u("u_conv2d_replicate_same", () -> new Conv2d(Conv2d.options(2, 2, 2, 3).padding("same")
                .paddingMode(PadMode.REPLICATE)));
        u("u_conv3d", () -> new Conv3d(Conv3d.options(2, 2, 2, 3, 2).padding(1, 0, 1)));
        u("u_convT1d", () -> new ConvTranspose1d(ConvTranspose1d.options(3, 2, 3).stride(2).padding(1)
                .outputPadding(1)));
        u("u_convT2d", () -> new ConvTranspose2d(ConvTranspose2d.options(2, 2, 3).stride(2)));
        u("u_convT3d", () -> new ConvTranspose3d(ConvTranspose3d.options(2, 1, 2).stride(2)));
        u("u_unfold", () -> new Unfold(a(2, 3), a(1), a(1), a(2, 1)));
        u("u_fold", () -> new Fold(a(3, 5), 2));
    }

    // embedding, one_hot, normalize
    /** Embedding.from_pretrained: requires_grad as PyTorch's, output, the weight after, its gradient. */
    static void pretrained(String name, boolean freeze, Long paddingIdx, Double maxNorm) {
        c("embedding", name, p -> {
            Embedding m = Embedding.fromPretrained(p.t("weight"), freeze, paddingIdx, maxNorm, 2, false, false);
            assertEquals(Boolean.parseBoolean(p.meta("requires_grad").toLowerCase()), m.weight.requiresGrad(),
                    name + ": weight requires grad");
            Tensor y = m.call(p.t("idx"));
            p.close("out", y);
            p.close("after.weight", detached(m.weight));
            assertEquals(p.has("grad.weight"), y.requiresGrad(), name + ": output requires grad");
            gradients(p, y, new Tensor[0], m.namedParameters());
        });
    }

    /** An Embedding with PyTorch's table: output, the weight after the forward (max_norm), the gradient. */
    static void embedding(String name, Supplier<Embedding> ctor) {
        c("embedding", name, p -> {
            Embedding m = ctor.get();
            m.float64();
            m.loadStateDict(p.prefixed("state."));
            assertEquals(p.meta("padding_idx"), m.paddingIdx == null ? "None" : String.valueOf(m.paddingIdx),
                    name + ": padding_idx");
            Tensor y = m.call(p.t("idx"));
            p.close("out", y);
            p.close("after.weight", detached(m.weight));
            gradients(p, y, new Tensor[0], m.namedParameters());
        });
    }

    static void bag(String name, EmbeddingBagMode mode, boolean psw, boolean last, Long paddingIdx) {
        c("embedding", name, p -> functional(p, t -> F.embeddingBag(t[psw ? 2 : 1], t[0], t[psw ? 3 : 2], null, 2,
                false, mode, false, psw ? t[1] : null, last, paddingIdx)));
    }

    static void oneHot(String name, Integer numClasses) {
        c("embedding", name, p -> {
            if (numClasses != null) {
                assertEquals(p.meta("num_classes"), String.valueOf(numClasses), name);
            }
            p.exact("out", numClasses == null ? F.oneHot(p.t("o0")) : F.oneHot(p.t("o0"), numClasses));
        });
    }

    static void normalize(String name, double pNorm, int dim, double eps) {
        c("embedding", name, p -> {
            String pr = Double.isInfinite(pNorm) ? "inf" : String.valueOf(pNorm);
            assertEquals(p.meta("args"), pr + "," + dim + "," + (eps == 1e-12 ? "1e-12" : String.valueOf(eps)),
                    name + ": arguments");
            functional(p, t -> F.normalize(t[0], pNorm, dim, eps));
        });
    }

    static {
        pretrained("emb_pretrained_frozen", true, null, null);
        pretrained("emb_pretrained_trainable_padding", false, 1L, null);
        pretrained("emb_pretrained_frozen_maxnorm", true, null, 1.0);
        embedding("emb_maxnorm_l2", () -> new Embedding(Embedding.options(6, 4).maxNorm(1.0)));
        embedding("emb_maxnorm_p1", () -> new Embedding(Embedding.options(6, 4).maxNorm(2.0).normType(1.0)));
        embedding("emb_maxnorm_p3", () -> new Embedding(Embedding.options(6, 4).maxNorm(0.7).normType(3.0)));
        embedding("emb_negative_padding", () -> new Embedding(Embedding.options(7, 3).paddingIdx(-2L)));
        embedding("emb_negative_padding_scale", () -> new Embedding(Embedding.options(7, 3).paddingIdx(-1L)
                .scaleGradByFreq(true)));
        c("embedding", "emb_negative_padding_init", p -> {
            Torch.manualSeed(0);
            Embedding m = new Embedding(Embedding.options(7, 3).paddingIdx(-2L));
            assertEquals(p.meta("padding_idx"), String.valueOf(m.paddingIdx));
            // PyTorch vectorises normal_ for 16 or more float32 draws: equal to rounding (docs/nn.md)
            p.close("init.weight", detached(m.weight), 1e-5, 1e-6);
            Tensor zeros = Torch.zeros(DType.FLOAT32, 3);
            close(p.name + " padding row", zeros, p.t("init.weight").select(0, 5), 0, 0);
            close(p.name + " padding row", zeros, detached(m.weight).select(0, 5), 0, 0);
        });
        c("embedding", "F_embedding", p -> functional(p, t -> F.embedding(t[1], t[0])));
        c("embedding", "F_embedding_negative_padding", p -> functional(p, t -> F.embedding(t[1], t[0], -1L, null, 2,
                false, false)));
        c("embedding", "F_embedding_padding_scale", p -> functional(p, t -> F.embedding(t[1], t[0], 0L, null, 2,
                true, false)));
        bag("F_bag_sum_psw", EmbeddingBagMode.SUM, true, false, null);
        bag("F_bag_sum_psw_last", EmbeddingBagMode.SUM, true, true, null);
        bag("F_bag_sum_psw_padding", EmbeddingBagMode.SUM, true, false, 4L);
        bag("F_bag_sum_psw_2d", EmbeddingBagMode.SUM, true, false, null);
        bag("F_bag_mean_last_empty", EmbeddingBagMode.MEAN, false, true, null);
        bag("F_bag_max_last", EmbeddingBagMode.MAX, false, true, null);
        bag("F_bag_mean_padding", EmbeddingBagMode.MEAN, false, false, 1L);
        oneHot("one_hot_inferred", null);
        oneHot("one_hot_classes", 6);
        oneHot("one_hot_scalar", 4);
        oneHot("one_hot_empty", 5);
        normalize("normalize_p2_dim1", 2, 1, 1e-12);
        normalize("normalize_p1_dim0", 1, 0, 1e-12);
        normalize("normalize_p3_dimlast", 3, -1, 1e-12);
        normalize("normalize_p2_dim2", 2, 2, 1e-12);
        normalize("normalize_p1_dim1_eps", 1, 1, 0.9);
        normalize("normalize_p2_zero_row", 2, 0, 1e-12);
        normalize("normalize_p3_zero_row", 3, 1, 1e-12);
        normalize("normalize_pinf_dim1", Double.POSITIVE_INFINITY, 1, 1e-12);
    }

    // running statistics over several steps
    static void stats(String name, Supplier<NormBase> ctor) {
        c("stats", name, p -> {
            NormBase m = ctor.get();
            m.float64();
            m.loadStateDict(p.prefixed("state."));
            m.train();
            for (int s = 0; p.has("step" + s + ".x"); s++) {
                p.close("step" + s + ".out", m.call(p.t("step" + s + ".x")));
            }
            Map<String, Tensor> sd = m.stateDict();
            Map<String, Tensor> after = p.prefixed("after.");
            assertEquals(after.keySet(), sd.keySet(), name + ": state dict keys");
            for (var e : after.entrySet()) {
                close(name + " after the steps " + e.getKey(), e.getValue(), sd.get(e.getKey()), RTOL, ATOL);
            }
            if (m.trackRunningStats) {
                assertEquals(DType.INT64, sd.get("num_batches_tracked").dtype(), name + ": num_batches_tracked dtype");
            }
            m.eval();
            Tensor x = p.in("x");
            Tensor y = m.call(x);
            p.close("out", y);
            gradients(p, y, new Tensor[] {x}, m.namedParameters());
        });
    }

    static {
        stats("bn2d_momentum_3steps", () -> new BatchNorm2d(2));
        stats("bn2d_cumulative_3steps", () -> new BatchNorm2d(BatchNorm2d.options(2).momentum(null)));
        stats("bn1d_3steps_mixed_shapes", () -> new BatchNorm1d(BatchNorm1d.options(4).eps(1e-3).momentum(0.3)));
        stats("bn3d_cumulative_noaffine", () -> new BatchNorm3d(BatchNorm3d.options(2).momentum(null)
                .affine(false)));
        stats("in2d_track_2steps", () -> new InstanceNorm2d(InstanceNorm2d.options(3).affine(true)
                .trackRunningStats(true)));
        stats("in1d_track_2steps_unbatched", () -> new InstanceNorm1d(InstanceNorm1d.options(2).momentum(0.2)
                .trackRunningStats(true)));
    }

    // F.pad
    static void pad(String name, int[] pad, PadMode mode, Double value) {
        c("pad", name, p -> {
            assertEquals(p.meta("pad"), String.join(",", Arrays.stream(pad).mapToObj(String::valueOf).toList()),
                    name + ": pad");
            assertEquals(p.meta("mode"), mode.pytorchName(), name + ": mode");
            if (value != null) {
                assertEquals(Double.parseDouble(p.meta("value")), value, name + ": value");
            }
            functional(p, t -> value == null ? F.pad(t[0], pad, mode) : F.pad(t[0], pad, mode, value));
        });
    }

    static {
        pad("pad_constant1d_neg", a(2, -1), PadMode.CONSTANT, 1.5);
        pad("pad_constant2d_neg", a(1, -2, -1, 2), PadMode.CONSTANT, -0.5);
        pad("pad_constant3d_neg", a(1, 0, -1, 2, 0, 1), PadMode.CONSTANT, 2.0);
        pad("pad_constant_all_dims", a(1, -1, 2, 0), PadMode.CONSTANT, 1.5);
        pad("pad_constant_channels", a(1, 1, 0, 1, 2, 1), PadMode.CONSTANT, -2.0);
        pad("pad_constant_default", a(2, 1), PadMode.CONSTANT, null);
        pad("pad_reflect1d", a(3, 4), PadMode.REFLECT, null);
        pad("pad_reflect1d_unbatched", a(2, 1), PadMode.REFLECT, null);
        pad("pad_reflect1d_neg", a(-1, 2), PadMode.REFLECT, null);
        pad("pad_reflect2d", a(1, 3, 2, 3), PadMode.REFLECT, null);
        pad("pad_reflect2d_unbatched", a(0, 4, 3, 1), PadMode.REFLECT, null);
        pad("pad_reflect2d_neg", a(-1, 2, 1, -2), PadMode.REFLECT, null);
        pad("pad_reflect3d", a(1, 2, 0, 2, 2, 0), PadMode.REFLECT, null);
        pad("pad_reflect3d_unbatched", a(2, 0, 1, 1, 1, 2), PadMode.REFLECT, null);
        pad("pad_replicate1d", a(5, 2), PadMode.REPLICATE, null);
        pad("pad_replicate1d_neg", a(-2, 3), PadMode.REPLICATE, null);
        pad("pad_replicate2d", a(2, 0, 4, 1), PadMode.REPLICATE, null);
        pad("pad_replicate2d_unbatched", a(1, 3, 0, 2), PadMode.REPLICATE, null);
        pad("pad_replicate3d", a(1, 1, 2, 1, 2, 1), PadMode.REPLICATE, null);
        pad("pad_circular1d", a(2, 4), PadMode.CIRCULAR, null);
        pad("pad_circular1d_neg", a(-1, 2), PadMode.CIRCULAR, null);
        pad("pad_circular1d_neg_both", a(-1, -2), PadMode.CIRCULAR, null);
        pad("pad_circular2d", a(1, 2, 3, 0), PadMode.CIRCULAR, null);
        pad("pad_circular2d_neg", a(2, -1, -1, 3), PadMode.CIRCULAR, null);
        pad("pad_circular3d", a(1, 1, 2, 0, 1, 2), PadMode.CIRCULAR, null);
        pad("pad_circular3d_neg", a(2, -1, -1, 2, 1, -1), PadMode.CIRCULAR, null);
    }

    // float16 / bfloat16
    /**
     * A layer in dtype on a dtype input (PyTorch's rounded state): the output keeps the dtype and is within
     * rtol of PyTorch's float32 result on the same values (ref), and of PyTorch's own result where it has the
     * kernel (native, bfloat16); max pooling's indices equal PyTorch's.
     */
    static void lowp(String name, DType dtype, Supplier<Module> ctor) {
        c("lowp", name, p -> {
            double tol = dtype == DType.FLOAT16 ? 0x1p-10 : 0x1p-7;
            Module m = ctor.get().to(dtype);
            m.loadStateDict(p.prefixed("state."));
            m.eval();
            for (var e : p.prefixed("state.").entrySet()) {
                assertEquals(e.getValue().dtype(), m.stateDict().get(e.getKey()).dtype(), name + " " + e.getKey());
            }
            Tensor x = p.t("x");
            assertEquals(dtype, x.dtype());
            try (var _ = Autograd.noGrad()) {
                Tensor y;
                if (m instanceof MaxPoolNd pool) {
                    Pooled r = pool.forwardWithIndices(x);
                    y = r.output();
                    p.exact("indices", r.indices());
                } else {
                    y = m.call(x);
                }
                assertEquals(dtype, y.dtype(), name + ": output dtype");
                p.close("ref", y.to(DType.FLOAT32), tol, tol);
                if (m instanceof MaxPoolNd) {
                    p.exact("ref", y.to(DType.FLOAT32));
                }
                if (p.has("native")) {
                    p.close("native", y, 2 * tol, 2 * tol);
                }
            }
        });
    }

    static {
        lowp("conv2d_float16", DType.FLOAT16, () -> new Conv2d(Conv2d.options(3, 4, 3).padding(1)));
        lowp("conv2d_bfloat16", DType.BFLOAT16, () -> new Conv2d(Conv2d.options(3, 4, 3).padding(1)));
        lowp("batchnorm2d_eval_float16", DType.FLOAT16, () -> new BatchNorm2d(3));
        lowp("batchnorm2d_eval_bfloat16", DType.BFLOAT16, () -> new BatchNorm2d(3));
        lowp("maxpool2d_float16", DType.FLOAT16, () -> new MaxPool2d(MaxPool2d.options(3).stride(2).padding(1)));
        lowp("maxpool2d_bfloat16", DType.BFLOAT16, () -> new MaxPool2d(MaxPool2d.options(3).stride(2).padding(1)));
    }

    // a small CNN trained 3 SGD steps
    static {
        c("train", "cnn_sgd_3steps", p -> {
            Sequential m = new Sequential(new Conv2d(Conv2d.options(1, 4, 3).padding(1)), new BatchNorm2d(4),
                    new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(4 * 3 * 3, 3));
            m.float64();
            m.loadStateDict(p.prefixed("state."));
            m.train();
            SGD opt = new SGD(m.parameters(), 0.1, 0.9, 0, 1e-3, false, false);
            List<Double> losses = new ArrayList<>();
            for (int s = 0; p.has("step" + s + ".x"); s++) {
                opt.zeroGrad();
                Tensor loss = F.crossEntropy(m.call(p.t("step" + s + ".x")), p.t("step" + s + ".y"));
                loss.backward();
                opt.step();
                losses.add(loss.item());
            }
            p.close("losses", Torch.tensor(losses.stream().mapToDouble(Double::doubleValue).toArray(),
                    losses.size()));
            Map<String, Tensor> sd = m.stateDict();
            Map<String, Tensor> after = p.prefixed("after.");
            assertEquals(after.keySet(), sd.keySet(), "state dict keys");
            for (var e : after.entrySet()) {
                close("cnn after 3 steps " + e.getKey(), e.getValue(), sd.get(e.getKey()), RTOL, ATOL);
            }
            m.eval();
            try (var _ = Autograd.noGrad()) {
                p.close("eval.out", m.call(p.t("step0.x")));
            }
        });
    }

    // ------------------------------------------------------------------ the tests

    static Map<String, String> goldenCases() {
        Map<String, String> names = new TreeMap<>();
        for (var e : META.entrySet()) {
            if (e.getKey().startsWith("case.")) {
                names.put(e.getKey().substring(5), e.getValue().substring(0, e.getValue().indexOf('|')));
            }
        }
        return names;
    }

    @TestFactory
    List<DynamicTest> everyCase() {
        List<DynamicTest> tests = new ArrayList<>();
        for (var e : goldenCases().entrySet()) {
            String name = e.getKey();
            tests.add(DynamicTest.dynamicTest(e.getValue() + "/" + name, () -> {
                assertTrue(CHECKS.containsKey(name), "no Java case for " + name);
                assertEquals(e.getValue(), GROUPS.get(name), name + ": group");
                CHECKS.get(name).accept(new P(name));
            }));
        }
        return tests;
    }

    @Test
    void everyGoldenCaseHasAJavaCase() {
        assertEquals(new TreeMap<>(GROUPS), goldenCases());
        assertEquals(CASES, goldenCases().size(), "cases checked");
        assertEquals(String.valueOf(CASES), META.get("cases"));
    }
}

package dev.jtorch.nn.functional;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.io.SafeTensors;
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
import java.util.Set;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The functional vision ops against PyTorch 1.13 ({@code tools/parity/gen_vision_goldens.py}): for every case
 * the output and the gradients of sum(out * gout) with respect to every input (float64 at 1e-10, float32 at
 * float tolerance), gradcheck in float64, and PyTorch's messages for bad inputs.
 */
class VisionTest {
    static final Map<String, Tensor> G;
    static final Map<String, String> META;
    /** Cases the generator writes; a change in the generator must show up here. */
    static final int CASES = 134;

    static {
        try (InputStream in = VisionTest.class.getResourceAsStream("/goldens/vision.safetensors")) {
            SafeTensors.Reader r = SafeTensors.open(in.readAllBytes());
            G = r.all();
            META = r.metadata();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ spec parsing

    static Map<String, String> parse(String spec) {
        Map<String, String> d = new LinkedHashMap<>();
        for (String kv : spec.split(";")) {
            int eq = kv.indexOf('=');
            d.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
        return d;
    }

    static int[] ints(String s) {
        return s == null || s.isEmpty() ? null : Arrays.stream(s.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    static double[] doubles(String s) {
        return s == null || s.isEmpty() ? null : Arrays.stream(s.split(",")).mapToDouble(Double::parseDouble)
                .toArray();
    }

    static Boolean optBool(String s) {
        return s == null || s.isEmpty() ? null : s.equals("1");
    }

    static DType dtype(String s) {
        return switch (s == null ? "float64" : s) {
            case "float64" -> DType.FLOAT64;
            case "float32" -> DType.FLOAT32;
            case "int64" -> DType.INT64;
            case "float16" -> DType.FLOAT16;
            case "bfloat16" -> DType.BFLOAT16;
            case "bool" -> DType.BOOL;
            default -> throw new IllegalArgumentException(s);
        };
    }

    /** The jtorch call a spec describes (the same one the generator made in PyTorch). */
    static Tensor call(Map<String, String> d, Tensor[] ins) {
        return switch (d.get("fn")) {
            case "pixel_shuffle" -> Vision.pixelShuffle(ins[0], Integer.parseInt(d.get("r")));
            case "pixel_unshuffle" -> Vision.pixelUnshuffle(ins[0], Integer.parseInt(d.get("r")));
            case "channel_shuffle" -> Vision.channelShuffle(ins[0], Integer.parseInt(d.get("g")));
            case "interpolate" -> Vision.interpolate(ins[0], ints(d.get("size")), doubles(d.get("scale")),
                    InterpolationMode.of(d.get("mode")), optBool(d.get("align")), optBool(d.get("recompute")));
            case "grid_sample" -> Vision.gridSample(ins[0], ins[1], GridSampleMode.of(d.get("mode")),
                    GridSamplePadding.of(d.get("padding")), "1".equals(d.get("align")));
            case "affine_grid" -> Vision.affineGrid(ins[0], ints(d.get("size")), "1".equals(d.get("align")));
            default -> throw new IllegalArgumentException(d.get("fn"));
        };
    }

    /** The parts of a case (in0, in1, out, gout, grad_in0, grad_in1), sliced from its flat tensor. */
    static Map<String, Tensor> parts(String name) {
        Tensor flat = G.get(name);
        Map<String, Tensor> m = new LinkedHashMap<>();
        int off = 0;
        for (Map.Entry<String, String> e : parse(META.get("parts." + name)).entrySet()) {
            int[] shape = e.getValue().isEmpty() ? new int[0] : ints(e.getValue());
            int n = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
            m.put(e.getKey(), flat.narrow(0, off, n).reshape(shape).clone());
            off += n;
        }
        assertEquals(flat.numel(), off, name + ": parts cover the flat tensor");
        return m;
    }

    static Set<String> caseNames() {
        Set<String> names = new TreeSet<>();
        for (String k : META.keySet()) {
            if (k.startsWith("case.")) {
                names.add(k.substring(5));
            }
        }
        return names;
    }

    static void close(String what, Tensor expected, Tensor actual, double rtol, double atol) {
        assertNotNull(actual, what + ": missing");
        assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
        assertEquals(expected.dtype(), actual.dtype(), what + ": dtype");
        double[] e = expected.toDoubleArray();
        double[] a = actual.toDoubleArray();
        for (int i = 0; i < e.length; i++) {
            if (!(Math.abs(e[i] - a[i]) <= atol + rtol * Math.abs(e[i]))) {
                fail(what + ": element " + i + " expected " + e[i] + " got " + a[i] + "\nexpected "
                        + Arrays.toString(e) + "\nactual   " + Arrays.toString(a));
            }
        }
    }

    // ------------------------------------------------------------------ goldens

    @TestFactory
    List<DynamicTest> everyCaseAgainstPyTorch() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String name : caseNames()) {
            tests.add(DynamicTest.dynamicTest(name, () -> check(name)));
        }
        return tests;
    }

    private void check(String name) {
        Map<String, String> d = parse(META.get("case." + name));
        Map<String, Tensor> p = parts(name);
        boolean f32 = p.get("in0").dtype() == DType.FLOAT32;
        double rtol = f32 ? 1e-5 : 1e-10;
        double atol = f32 ? 1e-6 : 1e-12;
        List<Tensor> ins = new ArrayList<>();
        for (int i = 0; p.containsKey("in" + i); i++) {
            ins.add(p.get("in" + i).clone().requiresGrad_(true));
        }
        Tensor[] xs = ins.toArray(new Tensor[0]);
        Tensor y = call(d, xs);
        close(name + " output", p.get("out"), y, rtol, atol);
        if (p.containsKey("gout")) {
            y.backward(p.get("gout"));
            for (int i = 0; i < xs.length; i++) {
                close(name + " grad of input " + i, p.get("grad_in" + i), xs[i].grad(), rtol, atol);
            }
        }
        if (!f32) {
            Tensor[] leaves = new Tensor[xs.length];
            for (int i = 0; i < xs.length; i++) {
                leaves[i] = p.get("in" + i).clone().requiresGrad_(true);
            }
            assertTrue(Autograd.gradcheck(in -> call(d, in), leaves), name + " gradcheck");
        }
    }

    @Test
    void everyModePaddingAndAlignmentIsCovered() {
        assertEquals(CASES, caseNames().size(), "cases in vision.safetensors");
        Set<String> seen = new TreeSet<>();
        for (String name : caseNames()) {
            Map<String, String> d = parse(META.get("case." + name));
            String dims = "d" + (ints(d.get("shape")).length - 2);
            switch (d.get("fn")) {
                case "interpolate" -> seen.add("interpolate " + d.get("mode") + " " + dims + " align="
                        + d.getOrDefault("align", "") + " size=" + d.containsKey("size") + " recompute="
                        + d.getOrDefault("recompute", ""));
                case "grid_sample" -> seen.add("grid " + d.get("mode") + " " + d.get("padding") + " " + dims
                        + " align=" + d.get("align"));
                default -> seen.add(d.get("fn"));
            }
        }
        for (InterpolationMode m : InterpolationMode.values()) {
            assertTrue(seen.stream().anyMatch(s -> s.startsWith("interpolate " + m.pytorchName() + " ")),
                    m + " covered");
        }
        for (String m : new String[] {"linear d1", "bilinear d2", "bicubic d2", "trilinear d3"}) {
            for (String a : new String[] {"0", "1"}) {
                String prefix = "interpolate " + m + " align=" + a;
                assertTrue(seen.contains(prefix + " size=true recompute="), prefix + " with a size");
                assertTrue(seen.contains(prefix + " size=false recompute="), prefix + " with a scale");
                assertTrue(seen.contains(prefix + " size=false recompute=1"), prefix + " recomputed");
            }
        }
        for (GridSampleMode m : GridSampleMode.values()) {
            for (GridSamplePadding pad : GridSamplePadding.values()) {
                for (String a : new String[] {"0", "1"}) {
                    assertTrue(seen.contains("grid " + m.pytorchName() + " " + pad.pytorchName() + " d2 align=" + a));
                    if (m != GridSampleMode.BICUBIC) {
                        assertTrue(seen.contains(
                                "grid " + m.pytorchName() + " " + pad.pytorchName() + " d3 align=" + a));
                    }
                }
            }
        }
        for (String fn : new String[] {"pixel_shuffle", "pixel_unshuffle", "channel_shuffle", "affine_grid"}) {
            assertTrue(seen.contains(fn), fn);
        }
    }

    // ------------------------------------------------------------------ bad inputs

    @TestFactory
    List<DynamicTest> pytorchMessagesForBadInputs() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String k : new TreeSet<>(META.keySet())) {
            if (k.startsWith("err.") && !k.endsWith(".msg")) {
                String spec = META.get(k);
                String msg = META.get(k + ".msg");
                tests.add(DynamicTest.dynamicTest(spec, () -> {
                    Map<String, String> d = parse(spec);
                    List<Tensor> ins = new ArrayList<>();
                    ins.add(Torch.zeros(dtype(d.get("dtype")), ints(d.get("shape"))));
                    if (d.containsKey("grid")) {
                        ins.add(Torch.zeros(dtype(d.get("griddtype")), ints(d.get("grid"))));
                    }
                    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                            () -> call(d, ins.toArray(new Tensor[0])), spec);
                    assertTrue(e.getMessage().contains(msg), "expected PyTorch's\n  " + msg + "\ngot\n  "
                            + e.getMessage());
                }));
            }
        }
        assertTrue(tests.size() >= 50, "error cases: " + tests.size());
        return tests;
    }

    @Test
    void modeNamesAreParsedAsPyTorchSpellsThem() {
        for (InterpolationMode m : InterpolationMode.values()) {
            assertEquals(m, InterpolationMode.of(m.pytorchName()));
        }
        assertEquals(InterpolationMode.NEAREST_EXACT, InterpolationMode.of("nearest-exact"));
        for (GridSampleMode m : GridSampleMode.values()) {
            assertEquals(m, GridSampleMode.of(m.pytorchName()));
        }
        for (GridSamplePadding m : GridSamplePadding.values()) {
            assertEquals(m, GridSamplePadding.of(m.pytorchName()));
        }
        String bad = META.get("mode_err.grid_sample_mode");
        assertEquals(META.get("mode_err.grid_sample_mode.msg"),
                assertThrows(IllegalArgumentException.class, () -> GridSampleMode.of(bad)).getMessage());
        assertEquals(META.get("mode_err.grid_sample_padding.msg"),
                assertThrows(IllegalArgumentException.class, () -> GridSamplePadding.of(bad)).getMessage());
        String torch = META.get("mode_err.interpolate_mode.msg");
        String tail = torch.substring(torch.indexOf("for the modes:"));
        String ours = assertThrows(IllegalArgumentException.class, () -> InterpolationMode.of(bad)).getMessage();
        assertTrue(ours.contains(tail), ours);
    }

    // ------------------------------------------------------------------ beyond the goldens

    @Test
    void stridedInputsGiveTheSameResults() {
        Torch.manualSeed(3);
        Tensor x = Torch.randn(Torch.defaultGenerator(), DType.FLOAT64, 1, 2, 5, 4).transpose(2, 3);
        Tensor c = x.contiguous();
        for (InterpolationMode m : new InterpolationMode[] {InterpolationMode.NEAREST, InterpolationMode.BILINEAR,
            InterpolationMode.BICUBIC}) {
            Boolean align = m.interpolating() ? Boolean.TRUE : null;
            assertTrue(Vision.interpolate(x, null, new double[] {1.7}, m, align, null)
                    .equal(Vision.interpolate(c, null, new double[] {1.7}, m, align, null)), m.pytorchName());
        }
        Tensor grid = Torch.rand(Torch.defaultGenerator(), DType.FLOAT64, 1, 3, 2, 2).mul(2.4).sub(1.2);
        Tensor gridT = grid.transpose(1, 2).contiguous().transpose(1, 2);
        assertTrue(Vision.gridSample(x, gridT, GridSampleMode.BILINEAR, GridSamplePadding.REFLECTION, false)
                .equal(Vision.gridSample(c, grid, GridSampleMode.BILINEAR, GridSamplePadding.REFLECTION, false)));
    }

    @Test
    void unchangedSizeIsACopy() {
        Tensor x = Torch.ones(DType.FLOAT32, 1, 1, 3);
        Tensor y = Vision.interpolate(x, new int[] {3}, null, InterpolationMode.LINEAR, false, null);
        assertNotSame(x, y);
        assertTrue(y.equal(x));
    }

    @Test
    void areaAcceptsEmptyOutputsAsPyTorch() {
        Tensor y = Vision.interpolate(Torch.zeros(DType.FLOAT64, 1, 1, 4, 4), new int[] {0, 2}, null,
                InterpolationMode.AREA, null, null);
        assertArrayEquals(new int[] {1, 1, 0, 2}, y.shape());
        Tensor z = Vision.interpolate(Torch.zeros(DType.FLOAT64, 1, 1, 4, 4), null, new double[] {0.1},
                InterpolationMode.AREA, null, null);
        assertArrayEquals(new int[] {1, 1, 0, 0}, z.shape());
    }

    @Test
    void emptyBatchesAndGridsGiveEmptyOutputs() {
        Tensor x = Torch.zeros(DType.FLOAT64, 0, 2, 3, 4);
        assertArrayEquals(new int[] {0, 2, 5, 6}, Vision.interpolate(x, null, new double[] {1.7},
                InterpolationMode.BICUBIC, false, null).shape());
        assertArrayEquals(new int[] {0, 2, 5, 6}, Vision.interpolate(x, null, new double[] {1.7},
                InterpolationMode.NEAREST, null, null).shape());
        assertArrayEquals(new int[] {0, 2, 2, 3}, Vision.gridSample(x, Torch.zeros(DType.FLOAT64, 0, 2, 3, 2),
                GridSampleMode.BILINEAR, GridSamplePadding.ZEROS, false).shape());
        assertArrayEquals(new int[] {2, 2, 0, 3}, Vision.gridSample(Torch.zeros(DType.FLOAT64, 2, 2, 3, 4),
                Torch.zeros(DType.FLOAT64, 2, 0, 3, 2), GridSampleMode.BICUBIC, GridSamplePadding.REFLECTION, true)
                .shape());
    }

    @Test
    void bfloat16IsResampledThroughFloat32() {
        Tensor x = Torch.tensor(new float[] {1, 2, 3, 4}, 1, 1, 4);
        Tensor y = Vision.interpolate(x.to(DType.BFLOAT16), new int[] {7}, null, InterpolationMode.LINEAR, true,
                null);
        assertEquals(DType.BFLOAT16, y.dtype());
        Tensor expect = Vision.interpolate(x, new int[] {7}, null, InterpolationMode.LINEAR, true, null)
                .to(DType.BFLOAT16);
        assertTrue(y.equal(expect));
    }

    @Test
    void nearestGridGradientIsZeroNotMissing() {
        Tensor x = Torch.ones(DType.FLOAT64, 1, 1, 3, 3).requiresGrad_(true);
        Tensor grid = Torch.zeros(DType.FLOAT64, 1, 2, 2, 2).add(0.3).requiresGrad_(true);
        Vision.gridSample(x, grid, GridSampleMode.NEAREST, GridSamplePadding.ZEROS, false).sum().backward();
        assertNotNull(grid.grad());
        assertEquals(0.0, grid.grad().abs().sum().item());
    }
}

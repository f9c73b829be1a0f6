package dev.jtorch.nn.utils;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.nn.BatchNorm1d;
import dev.jtorch.nn.BatchNorm2d;
import dev.jtorch.nn.BatchNorm3d;
import dev.jtorch.nn.BatchNormBase;
import dev.jtorch.nn.Conv1d;
import dev.jtorch.nn.Conv2d;
import dev.jtorch.nn.Conv3d;
import dev.jtorch.nn.ConvNd;
import dev.jtorch.nn.ConvTranspose2d;
import dev.jtorch.nn.Linear;
import dev.jtorch.nn.Module;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** torch.nn.utils.fusion against PyTorch 1.13 (fusion.safetensors, tools/parity/gen_fusion_goldens.py). */
class FusionTest {
    static final Map<String, Tensor> G;
    static final Map<String, String> META;

    static {
        try (InputStream in = FusionTest.class.getResourceAsStream("/goldens/fusion.safetensors")) {
            SafeTensors.Reader r = SafeTensors.open(in.readAllBytes());
            G = r.all();
            META = r.metadata();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static Map<String, Tensor> prefixed(String p) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        G.forEach((k, v) -> {
            if (k.startsWith(p)) {
                m.put(k.substring(p.length()), v);
            }
        });
        return m;
    }

    static <M extends Module> M loaded(M m, String prefix) {
        m.float64();
        m.loadStateDict(prefixed(prefix));
        m.eval();
        return m;
    }

    static void close(String what, Tensor e, Tensor a) {
        assertArrayEquals(e.shape(), a.shape(), what);
        assertTrue(e.allclose(a, 1e-12, 1e-12), what + ": expected " + e + " got " + a);
    }

    void check(String name, Module fused) {
        for (var p : prefixed(name + ".fused.").entrySet()) {
            close(name + " fused " + p.getKey(), p.getValue(), fused.stateDict().get(p.getKey()));
        }
        Tensor x = G.get(name + ".x");
        close(name + " fused output", G.get(name + ".fused_out"), fused.call(x));
        close(name + " fused output = bn(layer(x))", G.get(name + ".out"), fused.call(x));
    }

    @Test
    void convolutionsAndLinearsFuseAsInPyTorch() {
        assertEquals("Conv2d(3, 4, 3, stride=2, padding=1)", META.get("conv2d"));
        ConvNd c2 = loaded(new Conv2d(Conv2d.options(3, 4, 3).stride(2).padding(1)), "conv2d.layer.");
        BatchNormBase b2 = loaded(new BatchNorm2d(4), "conv2d.bn.");
        check("conv2d", Fusion.fuseConvBnEval(c2, b2));

        ConvNd c1 = loaded(new Conv1d(Conv1d.options(3, 5, 2).dilation(2).bias(false)), "conv1d_nobias_noaffine.layer.");
        BatchNormBase b1 = loaded(new BatchNorm1d(BatchNorm1d.options(5).affine(false)), "conv1d_nobias_noaffine.bn.");
        check("conv1d_nobias_noaffine", Fusion.fuseConvBnEval(c1, b1));

        ConvNd c3 = loaded(new Conv3d(Conv3d.options(4, 6, 2).groups(2)), "conv3d_groups.layer.");
        check("conv3d_groups", Fusion.fuseConvBnEval(c3, loaded(new BatchNorm3d(6), "conv3d_groups.bn.")));

        ConvNd t2 = loaded(new ConvTranspose2d(ConvTranspose2d.options(3, 4, 3).stride(2).outputPadding(1)),
                "convtranspose2d.layer.");
        check("convtranspose2d", Fusion.fuseConvBnEval(t2, loaded(new BatchNorm2d(4), "convtranspose2d.bn."), true));

        Linear l = loaded(new Linear(5, 4), "linear.layer.");
        check("linear", Fusion.fuseLinearBnEval(l, loaded(new BatchNorm1d(4), "linear.bn.")));
        Linear ln = loaded(new Linear(5, 4, false), "linear_nobias.layer.");
        check("linear_nobias", Fusion.fuseLinearBnEval(ln, loaded(new BatchNorm1d(4), "linear_nobias.bn.")));
    }

    @Test
    void fusionNeedsEvalModeAndMatchingSizes() {
        Conv2d c = new Conv2d(3, 4, 3);
        BatchNorm2d bn = new BatchNorm2d(4);
        var e = assertThrows(IllegalArgumentException.class, () -> Fusion.fuseConvBnEval(c, bn));
        assertEquals("Fusion only for eval!", e.getMessage());
        c.eval();
        bn.eval();
        ConvNd f = Fusion.fuseConvBnEval(c, bn);
        assertEquals(DType.FLOAT32, f.weight.dtype());
        // inputs untouched: a fresh batch norm in eval is the identity up to eps, so the fused weight is close
        assertTrue(f.weight.allclose(c.weight, 1e-5, 1e-6));
        Linear l = new Linear(5, 3);
        l.eval();
        assertThrows(IllegalArgumentException.class, () -> Fusion.fuseLinearBnEval(l, bn));
        Tensor x = Torch.randn(2, 3, 5, 5);
        assertArrayEquals(bn.call(c.call(x)).toDoubleArray(), f.call(x).toDoubleArray(), 1e-5);
    }
}

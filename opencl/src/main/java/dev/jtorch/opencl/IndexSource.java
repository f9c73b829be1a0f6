package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.opencl.ElementwiseSource.CType;

import java.util.List;

/**
 * Generates the OpenCL C of the indexing ops along one dim, as two kernels that cover all five:
 *
 * <ul>
 * <li>{@code GATHER}: one work-item per output element, {@code out[o0] = src[o1 + idx[o2] * sd]}, where the
 * geometry gives the source's offset without its indexed dim and {@code sd} is that dim's stride. GATHER runs
 * it over the index's shape; INDEX_SELECT over the output's shape with the 1-d index broadcast (stride 0) over
 * every dim but the indexed one.</li>
 * <li>{@code SCATTER} and {@code SCATTER_ADD}: one work-item per line along the indexed dim, which walks the
 * {@code n} positions of its line in order, {@code out[o0 + idx[o2 + t * is] * od] (+)= src[o1 + t * sd]}.
 * Two work-items never write one destination (their lines differ off the indexed dim), so the result is
 * deterministic and equal to the CPU backend's, duplicates included: the last write wins, and sums add in the
 * CPU's order (no atomics, so float64 needs none either). SCATTER and SCATTER_ADD run over the index's shape;
 * INDEX_ADD is SCATTER_ADD over the source's shape with the 1-d index broadcast.</li>
 * </ul>
 *
 * <p>Indices are int64 and already range-checked by the tensor layer. Values are read into the compute type
 * (long for int64 and bool outputs, wrapping as Java does) and converted to the output's dtype.
 */
final class IndexSource {
    private IndexSource() {
    }

    /** The gather program: kernels {@code GATHER_c/_s (out, src, idx, geometry, sd)}. */
    static String gather(DType src, DType out, CType c) {
        StringBuilder s = ElementwiseSource.header("gather " + src + " -> " + out, c, List.of(src, out));
        for (boolean dense : new boolean[] {true, false}) {
            ElementwiseSource.kernel(s, "GATHER", dense, new String[] {"out", "src", "idx"},
                    new DType[] {out, src, DType.INT64}, ", const int sd", "int j = (int) idx[o2];\n",
                    "out[o0] = " + ElementwiseSource.store(out,
                            ElementwiseSource.load(src, "src[o1 + j * sd]", c), c) + ";\n");
        }
        return s.toString();
    }

    /**
     * The scatter program, adding into the output when {@code add}: kernels {@code SCATTER_c/_s} or
     * {@code SCATTER_ADD_c/_s (out, src, idx, geometry, n, od, sd, is)}.
     */
    static String scatter(boolean add, DType src, DType out, CType c) {
        StringBuilder s = ElementwiseSource.header("scatter" + (add ? "_add " : " ") + src + " -> " + out, c,
                List.of(src, out));
        String v = ElementwiseSource.load(src, "src[o1 + t * sd]", c);
        if (add) {
            String old = ElementwiseSource.load(out, "out[q]", c);
            v = c == CType.LONG ? "as_long(as_ulong(" + old + ") + as_ulong(" + v + "))" : "(" + old + ") + (" + v
                    + ")";
        }
        String body = "for (int t = 0; t < n; t++) {\n        int q = o0 + (int) idx[o2 + t * is] * od;\n"
                + "        out[q] = " + ElementwiseSource.store(out, v, c) + ";\n    }\n";
        for (boolean dense : new boolean[] {true, false}) {
            ElementwiseSource.kernel(s, add ? "SCATTER_ADD" : "SCATTER", dense, new String[] {"out", "src", "idx"},
                    new DType[] {out, src, DType.INT64}, ", const int n, const int od, const int sd, const int is",
                    body, "");
        }
        return s.toString();
    }
}

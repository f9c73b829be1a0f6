package dev.jtorch.opencl;

import dev.jtorch.backend.View;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The index space of one elementwise launch: the output's shape with dims of size 1 dropped and adjacent dims
 * merged where every operand allows it (as the CPU backend's row iteration does), and each operand's strides
 * and storage offset. A contiguous tensor becomes one dim of stride 1 and runs the dense kernel; anything else
 * runs the strided kernel, which takes at most {@link #MAX_DIMS} dims: a view with more (after merging) is
 * launched once per index of its outer dims ({@link #split()}).
 *
 * <p>{@link #pack()} lays the geometry out as the kernels' {@code jt_geo} struct: {@code int n, nd, size[8],
 * st[4][8], off[4]}.
 */
final class Geometry {
    /** The most dims one launch of the strided kernels takes. */
    static final int MAX_DIMS = 8;
    /** The most operands of a launch (where: out, cond, a, b). */
    static final int MAX_OPERANDS = 4;
    /** Ints in the packed struct. */
    static final int INTS = 2 + MAX_DIMS + MAX_OPERANDS * MAX_DIMS + MAX_OPERANDS;

    final int n;
    final int[] size;
    final int[][] stride;
    final int[] offset;

    private Geometry(int n, int[] size, int[][] stride, int[] offset) {
        this.n = n;
        this.size = size;
        this.stride = stride;
        this.offset = offset;
    }

    /** The merged geometry of views of {@code shape} (the output first); {@code n} is 0 for an empty shape. */
    static Geometry of(int[] shape, View... ops) {
        int k = ops.length;
        List<Integer> dims = new ArrayList<>();
        List<int[]> st = new ArrayList<>();
        long n = 1;
        for (int i = 0; i < shape.length; i++) {
            n *= shape[i];
            if (shape[i] == 1) {
                continue;
            }
            int last = dims.size() - 1;
            boolean merge = last >= 0;
            for (int j = 0; j < k && merge; j++) {
                merge = (long) st.get(last)[j] == (long) ops[j].stride()[i] * shape[i];
            }
            int[] s = new int[k];
            for (int j = 0; j < k; j++) {
                s[j] = ops[j].stride()[i];
            }
            if (merge) {
                dims.set(last, dims.get(last) * shape[i]);
                st.set(last, s);
            } else {
                dims.add(shape[i]);
                st.add(s);
            }
        }
        int nd = dims.size();
        int[] size = new int[nd];
        int[][] stride = new int[k][nd];
        for (int d = 0; d < nd; d++) {
            size[d] = dims.get(d);
            for (int j = 0; j < k; j++) {
                stride[j][d] = st.get(d)[j];
            }
        }
        int[] offset = new int[k];
        for (int j = 0; j < k; j++) {
            offset[j] = ops[j].storageOffset();
        }
        return new Geometry(View.intCount(n, shape), size, stride, offset);
    }

    /** True when every operand is dense in the same order (one dim of stride 1, or a single element). */
    boolean dense() {
        if (size.length == 0) {
            return true;
        }
        if (size.length > 1) {
            return false;
        }
        for (int[] s : stride) {
            if (s[0] != 1) {
                return false;
            }
        }
        return true;
    }

    /** This geometry as launches of at most {@link #MAX_DIMS} dims (itself when it has no more). */
    List<Geometry> split() {
        int nd = size.length;
        if (nd <= MAX_DIMS) {
            return List.of(this);
        }
        int outer = nd - MAX_DIMS;
        int[] inner = Arrays.copyOfRange(size, outer, nd);
        int[][] innerStride = new int[stride.length][];
        int innerN = 1;
        for (int s : inner) {
            innerN *= s;
        }
        for (int j = 0; j < stride.length; j++) {
            innerStride[j] = Arrays.copyOfRange(stride[j], outer, nd);
        }
        List<Geometry> out = new ArrayList<>();
        int[] idx = new int[outer];
        while (true) {
            int[] off = offset.clone();
            for (int j = 0; j < off.length; j++) {
                for (int d = 0; d < outer; d++) {
                    off[j] += idx[d] * stride[j][d];
                }
            }
            out.add(new Geometry(innerN, inner, innerStride, off));
            int d = outer - 1;
            while (d >= 0 && ++idx[d] == size[d]) {
                idx[d] = 0;
                d--;
            }
            if (d < 0) {
                return out;
            }
        }
    }

    /** The {@code jt_geo} struct: n, nd, size[8], st[4][8], off[4]. */
    int[] pack() {
        int[] p = new int[INTS];
        p[0] = n;
        p[1] = size.length;
        System.arraycopy(size, 0, p, 2, size.length);
        for (int j = 0; j < stride.length; j++) {
            System.arraycopy(stride[j], 0, p, 2 + MAX_DIMS + j * MAX_DIMS, stride[j].length);
        }
        System.arraycopy(offset, 0, p, 2 + MAX_DIMS + MAX_OPERANDS * MAX_DIMS, offset.length);
        return p;
    }
}

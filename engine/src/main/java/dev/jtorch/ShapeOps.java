package dev.jtorch;

import dev.jtorch.autograd.Autograd;
import dev.jtorch.internal.Numel;

import java.util.Arrays;

/** Views (sharing storage) and joins, with their backward rules. */
final class ShapeOps {
    private ShapeOps() {
    }

    static Tensor makeView(Tensor t, int[] shape, int[] stride, int offset) {
        Tensor v = new Tensor(t.storage, shape, stride, offset);
        v.base = t.base != null ? t.base : t;
        return v;
    }

    static int[] inferShape(int[] shape, long numel) {
        int[] out = shape.clone();
        int infer = -1;
        int[] given = shape;
        for (int i = 0; i < out.length; i++) {
            if (out[i] == -1) {
                if (infer >= 0) {
                    throw new IllegalArgumentException("only one dimension can be inferred");
                }
                infer = i;
                given = out.clone();
                given[i] = 1;
            } else if (out[i] < 0) {
                throw new IllegalArgumentException("invalid shape dimension " + out[i]);
            }
        }
        long prod = Shapes.numelLong(given);
        if (infer >= 0) {
            if (prod == 0 || numel % prod != 0) {
                throw new IllegalArgumentException("shape '" + Shapes.str(shape) + "' is invalid for input of size "
                        + numel);
            }
            out[infer] = Numel.dimSize(numel / prod, "the inferred dimension of shape " + Shapes.str(shape));
        } else if (prod != numel) {
            throw new IllegalArgumentException("shape '" + Shapes.str(shape) + "' is invalid for input of size "
                    + numel);
        }
        return out;
    }

    /** PyTorch's computeStride: strides for a view of the new shape, or null if impossible without a copy. */
    static int[] viewStrides(int[] oldShape, int[] oldStride, int[] newShape) {
        int[] newStride = new int[newShape.length];
        if (oldShape.length == 0) {
            Arrays.fill(newStride, 1);
            return newStride;
        }
        if (Shapes.numelLong(oldShape) == 0) {
            return Shapes.contiguousStrides(newShape);
        }
        int viewD = newShape.length - 1;
        int chunkBase = oldStride[oldStride.length - 1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int d = oldShape.length - 1; d >= 0; d--) {
            tensorNumel *= oldShape[d];
            if (d == 0 || (oldShape[d - 1] != 1 && oldStride[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStride[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) {
                    return null;
                }
                if (d > 0) {
                    chunkBase = oldStride[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? newStride : null;
    }

    static Tensor view(Tensor t, int[] shape) {
        return view(t, shape, "ViewBackward0");
    }

    /** A view recorded under {@code name} (matmul's reshapes are UnsafeViewBackward0 in PyTorch). */
    static Tensor view(Tensor t, int[] shape, String name) {
        int[] ns = inferShape(shape, t.numel());
        int[] st = viewStrides(t.shape, t.stride, ns);
        if (st == null) {
            throw new IllegalArgumentException("view size is not compatible with input tensor's size and stride (at "
                    + "least one dimension spans across two contiguous subspaces). Use .reshape(...) instead. "
                    + "(input shape " + Shapes.str(t.shape) + ", stride " + Shapes.str(t.stride) + ", view "
                    + Shapes.str(ns) + ")");
        }
        Tensor v = makeView(t, ns, st, t.offset);
        int[] old = t.shape;
        return FnNode.record1(name, v, t, (g, s) -> new Tensor[] {g.reshape(old)});
    }

    static Tensor reshape(Tensor t, int[] shape) {
        int[] ns = inferShape(shape, t.numel());
        if (viewStrides(t.shape, t.stride, ns) != null) {
            return view(t, ns);
        }
        return t.clone().view(ns);
    }

    static Tensor alias(Tensor t) {
        Tensor v = makeView(t, t.shape, t.stride, t.offset);
        return FnNode.record1("AliasBackward0", v, t, (g, s) -> new Tensor[] {g});
    }

    static Tensor flatten(Tensor t, int start, int end) {
        if (t.dim() == 0) {
            return t.reshape(1);
        }
        start = Shapes.wrapDim(start, t.dim());
        end = Shapes.wrapDim(end, t.dim());
        if (start > end) {
            throw new IllegalArgumentException("flatten() has invalid args: start_dim cannot come after end_dim");
        }
        if (start == end) {
            return t;
        }
        int[] ns = new int[t.dim() - (end - start)];
        int k = 0;
        for (int i = 0; i < start; i++) {
            ns[k++] = t.shape[i];
        }
        long p = 1;
        for (int i = start; i <= end; i++) {
            p *= t.shape[i];
        }
        ns[k++] = Numel.dimSize(p, "the flattened dimension of shape " + Shapes.str(t.shape));
        for (int i = end + 1; i < t.dim(); i++) {
            ns[k++] = t.shape[i];
        }
        return t.reshape(ns);
    }

    static Tensor unflatten(Tensor t, int dim, int[] sizes) {
        dim = Shapes.wrapDim(dim, t.dim());
        int[] inner = inferShape(sizes, t.shape[dim]);
        int[] ns = new int[t.dim() - 1 + inner.length];
        System.arraycopy(t.shape, 0, ns, 0, dim);
        System.arraycopy(inner, 0, ns, dim, inner.length);
        System.arraycopy(t.shape, dim + 1, ns, dim + inner.length, t.dim() - dim - 1);
        return t.view(ns);
    }

    static Tensor transpose(Tensor t, int d0, int d1) {
        int n = t.dim();
        d0 = Shapes.wrapDim(d0, n);
        d1 = Shapes.wrapDim(d1, n);
        if (n == 0) {
            return alias(t);
        }
        int[] sh = t.shape.clone();
        int[] st = t.stride.clone();
        sh[d0] = t.shape[d1];
        sh[d1] = t.shape[d0];
        st[d0] = t.stride[d1];
        st[d1] = t.stride[d0];
        Tensor v = makeView(t, sh, st, t.offset);
        int a = d0;
        int b = d1;
        return FnNode.record1("TransposeBackward0", v, t, (g, s) -> new Tensor[] {g.transpose(a, b)});
    }

    static Tensor permute(Tensor t, int[] dims) {
        int n = t.dim();
        if (dims.length != n) {
            throw new IllegalArgumentException("permute(sparse_coo): number of dimensions in the tensor input does "
                    + "not match the length of the desired ordering of dimensions i.e. input.dim() = " + n
                    + " is not equal to len(dims) = " + dims.length);
        }
        int[] sh = new int[n];
        int[] st = new int[n];
        int[] inv = new int[n];
        boolean[] seen = new boolean[n];
        for (int i = 0; i < n; i++) {
            int d = Shapes.wrapDim(dims[i], n);
            if (seen[d]) {
                throw new IllegalArgumentException("permute(): duplicate dims are not allowed.");
            }
            seen[d] = true;
            sh[i] = t.shape[d];
            st[i] = t.stride[d];
            inv[d] = i;
        }
        Tensor v = makeView(t, sh, st, t.offset);
        return FnNode.record1("PermuteBackward0", v, t, (g, s) -> new Tensor[] {g.permute(inv)});
    }

    static Tensor slice(Tensor t, int dim, int start, int end, int step) {
        dim = Shapes.wrapDim(dim, t.dim());
        if (step <= 0) {
            throw new IllegalArgumentException("slice step must be positive, got " + step);
        }
        int size = t.shape[dim];
        if (start < 0) {
            start += size;
        }
        if (end < 0) {
            end += size;
        }
        start = Math.max(0, Math.min(start, size));
        end = Math.max(start, Math.min(end, size));
        int len = (end - start + step - 1) / step;
        int[] sh = t.shape.clone();
        int[] st = t.stride.clone();
        sh[dim] = len;
        st[dim] = t.stride[dim] * step;
        Tensor v = makeView(t, sh, st, t.offset + start * t.stride[dim]);
        int[] old = t.shape;
        int d = dim;
        int s0 = start;
        int e0 = end;
        DType dt = t.dtype;
        return FnNode.record1("SliceBackward0", v, t, (g, s) -> {
            Tensor gx = g.newEmptyShared(dt, old);
            gx.slice(d, s0, e0, step).copy_(g);
            return new Tensor[] {gx};
        });
    }

    static Tensor narrow(Tensor t, int dim, int start, int length) {
        int d = Shapes.wrapDim(dim, t.dim());
        int size = t.shape[d];
        if (start < 0) {
            start += size;
        }
        if (start < 0 || length < 0 || start + length > size) {
            throw new IndexOutOfBoundsException("start (" + start + ") + length (" + length + ") exceeds dimension "
                    + "size (" + size + ").");
        }
        return slice(t, d, start, start + length, 1);
    }

    static Tensor select(Tensor t, int dim, int index) {
        if (t.dim() == 0) {
            throw new IndexOutOfBoundsException("select() cannot be applied to a 0-dim tensor.");
        }
        int d = Shapes.wrapDim(dim, t.dim());
        int size = t.shape[d];
        if (index < -size || index >= size) {
            throw new IndexOutOfBoundsException("select(): index " + index + " out of range for tensor of size "
                    + Shapes.str(t.shape) + " at dimension " + d);
        }
        int i = index < 0 ? index + size : index;
        int[] sh = new int[t.dim() - 1];
        int[] st = new int[t.dim() - 1];
        for (int a = 0, k = 0; a < t.dim(); a++) {
            if (a != d) {
                sh[k] = t.shape[a];
                st[k++] = t.stride[a];
            }
        }
        Tensor v = makeView(t, sh, st, t.offset + i * t.stride[d]);
        int[] old = t.shape;
        DType dt = t.dtype;
        return FnNode.record1("SelectBackward0", v, t, (g, s) -> {
            Tensor gx = g.newEmptyShared(dt, old);
            gx.select(d, i).copy_(g);
            return new Tensor[] {gx};
        });
    }

    static Tensor expand(Tensor t, int[] sizes) {
        int n = sizes.length;
        if (n < t.dim()) {
            throw new IllegalArgumentException("expand: the number of sizes provided (" + n + ") must be greater or "
                    + "equal to the number of dimensions in the tensor (" + t.dim() + ")");
        }
        int[] sh = new int[n];
        int[] st = new int[n];
        for (int i = n - 1; i >= 0; i--) {
            int j = t.dim() - n + i;
            int target = sizes[i];
            if (j < 0) {
                if (target < 0) {
                    throw new IllegalArgumentException("The expanded size of the tensor (" + target + ") isn't "
                            + "allowed in a leading, non-existing dimension " + i);
                }
                sh[i] = target;
                st[i] = 0;
            } else {
                int cur = t.shape[j];
                if (target == -1) {
                    target = cur;
                }
                if (cur != target) {
                    if (cur != 1) {
                        throw new IllegalArgumentException("The expanded size of the tensor (" + target + ") must "
                                + "match the existing size (" + cur + ") at non-singleton dimension " + i
                                + ".  Target sizes: " + Shapes.str(sizes) + ".  Tensor sizes: " + Shapes.str(t.shape));
                    }
                    st[i] = 0;
                } else {
                    st[i] = t.stride[j];
                }
                sh[i] = target;
            }
        }
        Shapes.numelLong(sh); // PyTorch refuses a count beyond int64
        Tensor v = makeView(t, sh, st, t.offset);
        int[] old = t.shape;
        DType dt = t.dtype;
        return FnNode.record1("ExpandBackward0", v, t,
                (g, s) -> new Tensor[] {ElementwiseOps.reduceGrad(g, old, dt)});
    }

    static Tensor squeeze(Tensor t, Integer dim) {
        int[] old = t.shape;
        int[] sh;
        int[] st;
        if (dim == null) {
            int k = 0;
            for (int s : t.shape) {
                k += s == 1 ? 0 : 1;
            }
            sh = new int[k];
            st = new int[k];
            for (int i = 0, j = 0; i < t.dim(); i++) {
                if (t.shape[i] != 1) {
                    sh[j] = t.shape[i];
                    st[j++] = t.stride[i];
                }
            }
        } else {
            if (t.dim() == 0) {
                Shapes.wrapDim(dim, 0);
                return alias(t);
            }
            int d = Shapes.wrapDim(dim, t.dim());
            if (t.shape[d] != 1) {
                return alias(t);
            }
            sh = Shapes.squeezeDims(t.shape, new int[] {d});
            st = Shapes.squeezeDims(t.stride, new int[] {d});
        }
        Tensor v = makeView(t, sh, st, t.offset);
        return FnNode.record1(dim == null ? "SqueezeBackward0" : "SqueezeBackward1", v, t,
                (g, s) -> new Tensor[] {g.reshape(old)});
    }

    static Tensor unsqueeze(Tensor t, int dim) {
        int d = Shapes.wrapDim(dim, t.dim() + 1);
        int[] sh = new int[t.dim() + 1];
        int[] st = new int[t.dim() + 1];
        for (int i = 0, j = 0; i <= t.dim(); i++) {
            if (i == d) {
                sh[i] = 1;
                st[i] = j < t.dim() ? t.stride[j] * t.shape[j] : 1;
            } else {
                sh[i] = t.shape[j];
                st[i] = t.stride[j++];
            }
        }
        Tensor v = makeView(t, sh, st, t.offset);
        return FnNode.record1("UnsqueezeBackward0", v, t, (g, s) -> new Tensor[] {g.squeeze(d)});
    }

    static Tensor asStrided(Tensor t, int[] size, int[] stride, int storageOffset) {
        Tensor.checkBounds(t.storage, size, stride, storageOffset);
        Tensor v = makeView(t, size.clone(), stride.clone(), storageOffset);
        if (!Autograd.needsRecording(t)) {
            return v;
        }
        if (!t.isContiguous()) {
            throw new UnsupportedOperationException("asStrided backward needs a contiguous input");
        }
        // each view element's position in the input, for an index_add of the gradient
        int n = Numel.of(v);
        long[] pos = new long[n];
        int[] idx = new int[size.length];
        for (int e = 0; e < n; e++) {
            long off = storageOffset - t.offset;
            for (int d = 0; d < size.length; d++) {
                off += (long) idx[d] * stride[d];
            }
            if (off < 0 || off >= t.numel()) {
                throw new UnsupportedOperationException("asStrided backward: the view reaches outside the input");
            }
            pos[e] = off;
            for (int d = size.length - 1; d >= 0; d--) {
                if (++idx[d] < size[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        Tensor index = Torch.tensor(pos, n);
        int[] old = t.shape;
        DType dt = t.dtype;
        return FnNode.record1("AsStridedBackward0", v, t, (g, s) -> new Tensor[] {
            g.newEmpty(dt, Shapes.numel(old)).indexAdd(0, index, g.reshape(-1)).view(old)});
    }

    static Tensor[] split(Tensor t, int splitSize, int dim) {
        int d = Shapes.wrapDim(dim, t.dim());
        if (splitSize <= 0) {
            throw new IllegalArgumentException("split expects split_size be positive, but got split_size="
                    + splitSize);
        }
        int size = t.shape[d];
        int n = Math.max(1, (size + splitSize - 1) / splitSize);
        Tensor[] out = new Tensor[n];
        for (int i = 0; i < n; i++) {
            out[i] = t.narrow(d, i * splitSize, Math.min(splitSize, size - i * splitSize));
        }
        return out;
    }

    static Tensor[] splitWithSizes(Tensor t, int[] sizes, int dim) {
        int d = Shapes.wrapDim(dim, t.dim());
        int total = 0;
        for (int s : sizes) {
            total += s;
        }
        if (total != t.shape[d]) {
            throw new IllegalArgumentException("split_with_sizes expects split_sizes to sum exactly to " + t.shape[d]
                    + " (input tensor's size at dimension " + d + "), but got split_sizes=" + Shapes.str(sizes));
        }
        Tensor[] out = new Tensor[sizes.length];
        for (int i = 0, start = 0; i < sizes.length; start += sizes[i], i++) {
            out[i] = t.narrow(d, start, sizes[i]);
        }
        return out;
    }

    static Tensor[] chunk(Tensor t, int chunks, int dim) {
        if (chunks <= 0) {
            throw new IllegalArgumentException("chunk expects `chunks` to be greater than 0, got: " + chunks);
        }
        int size = t.size(dim);
        int each = Math.max(1, (size + chunks - 1) / chunks);
        return split(t, each, dim);
    }

    static Tensor[] unbind(Tensor t, int dim) {
        int d = Shapes.wrapDim(dim, t.dim());
        Tensor[] out = new Tensor[t.shape[d]];
        for (int i = 0; i < out.length; i++) {
            out[i] = t.select(d, i);
        }
        return out;
    }

    static Tensor repeat(Tensor t, int[] repeats) {
        if (repeats.length < t.dim()) {
            throw new IllegalArgumentException("Number of dimensions of repeat dims can not be smaller than number "
                    + "of dimensions of tensor");
        }
        int n = repeats.length;
        int lead = n - t.dim();
        int[] padded = new int[n];
        for (int i = 0; i < n; i++) {
            padded[i] = i < lead ? 1 : t.shape[i - lead];
        }
        int[] inter = new int[2 * n];
        int[] target = new int[2 * n];
        int[] result = new int[n];
        for (int i = 0; i < n; i++) {
            inter[2 * i] = 1;
            inter[2 * i + 1] = padded[i];
            target[2 * i] = repeats[i];
            target[2 * i + 1] = padded[i];
            result[i] = Numel.dimSize((long) repeats[i] * padded[i], "dimension " + i + " of repeat's result");
        }
        return t.reshape(inter).expand(target).reshape(result);
    }

    static Tensor cat(Tensor[] ts, int dim) {
        if (ts.length == 0) {
            throw new IllegalArgumentException("torch.cat(): expected a non-empty list of Tensors");
        }
        Tensor ref = null;
        for (Tensor t : ts) {
            if (!(t.dim() == 1 && t.shape[0] == 0)) {
                ref = t;
                break;
            }
        }
        if (ref == null) {
            ref = ts[0];
        }
        int d = Shapes.wrapDim(dim, ref.dim());
        int total = 0;
        DType rt = ts[0].dtype;
        for (int i = 0; i < ts.length; i++) {
            Tensor t = ts[i];
            ElementwiseOps.checkDevices(ref, t);
            rt = DType.promoteTypes(rt, t.dtype);
            if (t.dim() == 1 && t.shape[0] == 0) {
                continue;
            }
            if (t.dim() != ref.dim()) {
                throw new IllegalArgumentException("Tensors must have same number of dimensions: got " + ref.dim()
                        + " and " + t.dim());
            }
            for (int k = 0; k < t.dim(); k++) {
                if (k != d && t.shape[k] != ref.shape[k]) {
                    throw new IllegalArgumentException("Sizes of tensors must match except in dimension " + d
                            + ". Expected size " + ref.shape[k] + " but got size " + t.shape[k] + " for tensor number "
                            + i + " in the list.");
                }
            }
            total += t.shape[d];
        }
        int[] sh = ref.shape.clone();
        sh[d] = total;
        Tensor out = ref.newEmptyShared(rt, sh);
        int[] starts = new int[ts.length];
        int[] lens = new int[ts.length];
        int pos = 0;
        for (int i = 0; i < ts.length; i++) {
            Tensor t = ts[i];
            if (t.dim() == 1 && t.shape[0] == 0 && ref.dim() != 1) {
                lens[i] = -1;
                continue;
            }
            starts[i] = pos;
            lens[i] = t.shape[d];
            int[] st = out.stride;
            int[] vs = t.shape;
            Tensor dst = new Tensor(out.storage, vs, st, out.offset + pos * out.stride[d]);
            Dispatch.copy(t, dst);
            pos += t.shape[d];
        }
        DType[] types = new DType[ts.length];
        for (int i = 0; i < ts.length; i++) {
            types[i] = ts[i].dtype;
        }
        return FnNode.record("CatBackward0", out, ts, (g, s) -> {
            Tensor[] r = new Tensor[lens.length];
            for (int i = 0; i < lens.length; i++) {
                if (lens[i] >= 0) {
                    Tensor gi = g.narrow(d, starts[i], lens[i]);
                    r[i] = gi.dtype() == types[i] ? gi : gi.to(types[i]);
                }
            }
            return r;
        });
    }

    static Tensor stack(Tensor[] ts, int dim) {
        if (ts.length == 0) {
            throw new IllegalArgumentException("stack expects a non-empty TensorList");
        }
        int d = Shapes.wrapDim(dim, ts[0].dim() + 1);
        Tensor[] u = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) {
            if (!Arrays.equals(ts[i].shape, ts[0].shape)) {
                throw new IllegalArgumentException("stack expects each tensor to be equal size, but got "
                        + Shapes.str(ts[0].shape) + " at entry 0 and " + Shapes.str(ts[i].shape) + " at entry " + i);
            }
            u[i] = ts[i].unsqueeze(d);
        }
        return cat(u, d);
    }
}

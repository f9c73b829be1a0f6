package dev.jtorch;

import dev.jtorch.backend.Op;

import java.util.Arrays;

/** Matrix products (on the GEMM kernel) and the softmax family, with their backward rules. */
final class LinalgOps {
    private LinalgOps() {
    }

    private static void sameDtype(String op, Tensor a, Tensor b) {
        ElementwiseOps.checkDevices(a, b);
        if (a.dtype != b.dtype) {
            throw new IllegalArgumentException(op + ": expected m1 and m2 to have the same dtype, but got: "
                    + a.dtype + " != " + b.dtype);
        }
    }

    private static Tensor as3d(Tensor t) {
        return new Tensor(t.storage, new int[] {1, t.shape[0], t.shape[1]}, new int[] {0, t.stride[0], t.stride[1]},
                t.offset);
    }

    static Tensor mm(Tensor a, Tensor b) {
        sameDtype("mm", a, b);
        if (a.dim() != 2 || b.dim() != 2) {
            throw new IllegalArgumentException("mm: expected 2-D tensors, got " + a.dim() + "-D "
                    + Shapes.str(a.shape) + " and " + b.dim() + "-D " + Shapes.str(b.shape));
        }
        if (a.shape[1] != b.shape[0]) {
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + a.shape[0] + "x"
                    + a.shape[1] + " and " + b.shape[0] + "x" + b.shape[1] + ")");
        }
        Tensor out = a.newEmpty(a.dtype, a.shape[0], b.shape[1]);
        Dispatch.bmm(as3d(a), as3d(b), as3d(out), 1, 0);
        if (!a.dtype.isFloatingPoint()) {
            return out;
        }
        boolean na = a.requiresGrad();
        boolean nb = b.requiresGrad();
        return FnNode.record("MmBackward0", out, new Tensor[] {a, b}, (g, s) -> new Tensor[] {
            na ? g.mm(s[1].t()) : null, nb ? s[0].t().mm(g) : null}, nb ? a : null, na ? b : null);
    }

    static Tensor addmm(Tensor bias, Tensor m1, Tensor m2, double beta, double alpha) {
        sameDtype("addmm", m1, m2);
        ElementwiseOps.checkDevices(bias, m1);
        if (m1.dim() != 2 || m2.dim() != 2) {
            throw new IllegalArgumentException("addmm: expected 2-D matrices, got " + Shapes.str(m1.shape) + " and "
                    + Shapes.str(m2.shape));
        }
        if (m1.shape[1] != m2.shape[0]) {
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + m1.shape[0] + "x"
                    + m1.shape[1] + " and " + m2.shape[0] + "x" + m2.shape[1] + ")");
        }
        int[] shape = {m1.shape[0], m2.shape[1]};
        int[] bs = Shapes.broadcast(bias.shape, shape);
        if (!Arrays.equals(bs, shape)) {
            throw new IllegalArgumentException("addmm: bias of shape " + Shapes.str(bias.shape) + " cannot broadcast "
                    + "to the product's shape " + Shapes.str(shape));
        }
        if (bias.dtype != m1.dtype) {
            throw new IllegalArgumentException("addmm: expected self and mat1 to have the same dtype, but got: "
                    + bias.dtype + " != " + m1.dtype);
        }
        Tensor out = m1.newEmptyShared(m1.dtype, shape);
        if (beta != 0) {
            Dispatch.copy(ElementwiseOps.broadcastView(bias, shape), out);
        }
        Dispatch.bmm(as3d(m1), as3d(m2), as3d(out), alpha, beta);
        int[] bshape = bias.shape;
        DType dt = bias.dtype;
        boolean n0 = bias.requiresGrad();
        boolean n1 = m1.requiresGrad();
        boolean n2 = m2.requiresGrad();
        return FnNode.record("AddmmBackward0", out, new Tensor[] {bias, m1, m2}, (g, s) -> new Tensor[] {
            n0 ? ElementwiseOps.reduceGrad(beta == 1 ? g : g.mul(beta), bshape, dt) : null,
            n1 ? scale(g.mm(s[1].t()), alpha) : null,
            n2 ? scale(s[0].t().mm(g), alpha) : null}, n2 ? m1 : null, n1 ? m2 : null);
    }

    /**
     * {@code input @ weight^T + bias} (F.linear). In inference (nothing to record) with a weight that is a
     * parameter (a leaf requiring grad), the product runs as {@link Dispatch#bmmConstantB}: the backend may keep
     * the weight prepared across calls (the CPU keeps its packed GEMM panels until the weight changes). Otherwise,
     * and for mismatched dtypes or devices (whose errors the composite reports), the composite: addmm for a 2-D
     * input with a bias, else matmul plus the bias.
     */
    static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        boolean constant = weight.requiresGrad() && weight.gradFn() == null && weight.dim() == 2 && input.dim() >= 1
                && weight.shape[1] > 0
                && !dev.jtorch.autograd.Autograd.needsRecording(input, weight, bias)
                && input.dtype == weight.dtype && input.dtype.isFloatingPoint()
                && input.device().equals(weight.device()) && input.shape[input.dim() - 1] == weight.shape[1]
                && (bias == null || (bias.dtype == input.dtype && bias.device().equals(input.device())
                && bias.dim() == 1 && bias.shape[0] == weight.shape[0]));
        if (!constant) {
            if (input.dim() == 2 && bias != null) {
                return bias.addmm(input, weight.t());
            }
            Tensor y = input.matmul(weight.t());
            return bias == null ? y : y.add(bias);
        }
        int in = weight.shape[1];
        int out = weight.shape[0];
        Tensor x2 = input.reshape(-1, in);
        int rows = x2.shape[0];
        Tensor y = input.newEmptyShared(input.dtype, new int[] {rows, out});
        double beta = 0;
        if (bias != null && rows > 0) {
            Dispatch.copy(ElementwiseOps.broadcastView(bias, new int[] {rows, out}), y);
            beta = 1;
        }
        Dispatch.bmmConstantB(as3d(x2), as3d(weight.t()), as3d(y), 1, beta);
        int[] outShape = input.shape.clone();
        outShape[outShape.length - 1] = out;
        return y.view(outShape);
    }

    private static Tensor scale(Tensor t, double alpha) {
        return alpha == 1 ? t : t.mul(alpha);
    }

    static Tensor bmm(Tensor a, Tensor b) {
        sameDtype("bmm", a, b);
        if (a.dim() != 3 || b.dim() != 3) {
            throw new IllegalArgumentException("batch1 must be a 3D tensor and batch2 must be a 3D tensor, got "
                    + Shapes.str(a.shape) + " and " + Shapes.str(b.shape));
        }
        if (a.shape[0] != b.shape[0] || a.shape[2] != b.shape[1]) {
            throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: ["
                    + a.shape[0] + ", " + a.shape[2] + "] but got: [" + b.shape[0] + ", " + b.shape[1] + "].");
        }
        Tensor out = a.newEmpty(a.dtype, a.shape[0], a.shape[1], b.shape[2]);
        Dispatch.bmm(a, b, out, 1, 0);
        if (!a.dtype.isFloatingPoint()) {
            return out;
        }
        boolean na = a.requiresGrad();
        boolean nb = b.requiresGrad();
        return FnNode.record("BmmBackward0", out, new Tensor[] {a, b}, (g, s) -> new Tensor[] {
            na ? g.bmm(s[1].transpose(1, 2)) : null, nb ? s[0].transpose(1, 2).bmm(g) : null},
                nb ? a : null, na ? b : null);
    }

    static Tensor dot(Tensor a, Tensor b) {
        if (a.dim() != 1 || b.dim() != 1) {
            throw new IllegalArgumentException("1D tensors expected, but got " + a.dim() + "D and " + b.dim()
                    + "D tensors");
        }
        if (a.shape[0] != b.shape[0]) {
            throw new IllegalArgumentException("inconsistent tensor size, expected tensor [" + a.shape[0]
                    + "] and src [" + b.shape[0] + "] to have the same number of elements, but got " + a.shape[0]
                    + " and " + b.shape[0] + " elements respectively");
        }
        return a.unsqueeze(0).mm(b.unsqueeze(1)).view();
    }

    static Tensor mv(Tensor m, Tensor v) {
        if (m.dim() != 2 || v.dim() != 1) {
            throw new IllegalArgumentException("vector + matrix @ vector expected, got " + m.dim() + "D and "
                    + v.dim() + "D");
        }
        if (m.shape[1] != v.shape[0]) {
            throw new IllegalArgumentException("size mismatch, got input (" + m.shape[0] + "), mat (" + m.shape[0]
                    + "x" + m.shape[1] + "), vec (" + v.shape[0] + ")");
        }
        return m.mm(v.unsqueeze(1)).squeeze(1);
    }

    static Tensor matmul(Tensor a, Tensor b) {
        int da = a.dim();
        int db = b.dim();
        if (da == 0 || db == 0) {
            throw new IllegalArgumentException("both arguments to matmul need to be at least 1D, but they are "
                    + da + "D and " + db + "D");
        }
        if (da == 1 && db == 1) {
            return dot(a, b);
        }
        if (da == 2 && db == 1) {
            return mv(a, b);
        }
        if (da == 1 && db == 2) {
            if (a.shape[0] != b.shape[0]) {
                throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (1x" + a.shape[0]
                        + " and " + b.shape[0] + "x" + b.shape[1] + ")");
            }
            return a.unsqueeze(0).mm(b).squeeze(0);
        }
        if (da == 2 && db == 2) {
            return mm(a, b);
        }
        if (da >= 3 && db <= 2) {
            // fold the batch into the rows: one GEMM
            Tensor b2 = db == 1 ? b.unsqueeze(1) : b;
            int m = a.shape[da - 1];
            if (m != b2.shape[0]) {
                throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + (a.numel() / Math.max(m, 1))
                        + "x" + m + " and " + b2.shape[0] + "x" + b2.shape[1] + ")");
            }
            int[] outShape = Arrays.copyOf(a.shape, da);
            outShape[da - 1] = b2.shape[1];
            Tensor r = ShapeOps.view(a.reshape(-1, m).mm(b2), outShape, "UnsafeViewBackward0");
            return db == 1 ? r.squeeze(-1) : r;
        }
        Tensor a3 = da == 1 ? a.unsqueeze(0) : a;
        Tensor b3 = db == 1 ? b.unsqueeze(1) : b;
        int n = a3.shape[a3.dim() - 2];
        int k = a3.shape[a3.dim() - 1];
        int k2 = b3.shape[b3.dim() - 2];
        int p = b3.shape[b3.dim() - 1];
        if (k != k2) {
            throw new IllegalArgumentException("Expected size for first two dimensions of batch2 tensor to be: ["
                    + "batch, " + k + "] but got: [batch, " + k2 + "] (matmul of " + Shapes.str(a.shape) + " and "
                    + Shapes.str(b.shape) + ")");
        }
        int[] batchA = Arrays.copyOf(a3.shape, a3.dim() - 2);
        int[] batchB = Arrays.copyOf(b3.shape, b3.dim() - 2);
        int[] batch = Shapes.broadcast(batchA, batchB);
        int nb = Shapes.numel(batch);
        int[] ea = Arrays.copyOf(batch, batch.length + 2);
        ea[batch.length] = n;
        ea[batch.length + 1] = k;
        int[] eb = Arrays.copyOf(batch, batch.length + 2);
        eb[batch.length] = k;
        eb[batch.length + 1] = p;
        Tensor r = a3.expand(ea).reshape(nb, n, k).bmm(b3.expand(eb).reshape(nb, k, p));
        int[] outShape = Arrays.copyOf(batch, batch.length + 2);
        outShape[batch.length] = n;
        outShape[batch.length + 1] = p;
        r = ShapeOps.view(r, outShape, "UnsafeViewBackward0");
        if (da == 1) {
            r = r.squeeze(-2);
        }
        if (db == 1) {
            r = r.squeeze(-1);
        }
        return r;
    }

    static Tensor softmax(Tensor x, int dim, boolean log) {
        if (!x.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException((log ? "log_softmax" : "softmax") + "(): expected a floating point "
                    + "input, got " + x.dtype);
        }
        int d = Shapes.wrapDim(dim, x.dim());
        Tensor out = x.newEmptyShared(x.dtype, x.shape);
        Dispatch.softmax(log ? Op.LOG_SOFTMAX : Op.SOFTMAX, x, null, d, out);
        Op back = log ? Op.LOG_SOFTMAX_BACKWARD : Op.SOFTMAX_BACKWARD;
        return FnNode.record1(log ? "LogSoftmaxBackward0" : "SoftmaxBackward0", out, x, (g, s) -> {
            Tensor dx = s[0].newEmptyShared(s[0].dtype(), s[0].shape);
            Dispatch.softmax(back, s[0], g, d, dx);
            return new Tensor[] {dx};
        }, out);
    }
}

package dev.jtorch;

import dev.jtorch.backend.Op;

/** Reductions over dims, with keepdim and their backward rules. */
final class ReduceOps {
    private ReduceOps() {
    }

    private static Tensor run(Op op, Tensor x, int[] dims, DType outT, double p) {
        Tensor out = x.newEmptyShared(outT, Shapes.keepdimShape(x.shape, dims));
        if (x.numel() == 0 && (op == Op.AMAX || op == Op.AMIN || op == Op.ARGMAX || op == Op.ARGMIN)) {
            if (dims.length == x.dim()) {
                throw new IllegalArgumentException(op.name().toLowerCase() + "(): Expected reduction dim to be "
                        + "specified for input.numel() == 0 (or a non-empty dim); got shape " + Shapes.str(x.shape));
            }
            // an empty input reduced over dims of non-zero size gives an empty output, as in PyTorch
            for (int d : dims) {
                if (x.shape[d] == 0) {
                    throw new IndexOutOfBoundsException(op.name().toLowerCase() + "(): Expected reduction dim " + d
                            + " to have non-zero size.");
                }
            }
        }
        Dispatch.reduce(op, x, dims, out, p);
        return out;
    }

    private static Tensor finish(Tensor out, int[] dims, boolean keepdim) {
        if (keepdim) {
            return out;
        }
        return new Tensor(out.storage, Shapes.squeezeDims(out.shape, dims), Shapes.squeezeDims(out.stride, dims),
                out.offset);
    }

    /** The gradient of a reduced output broadcast back to the input's shape. */
    static Tensor expandBack(Tensor g, int[] inShape, int[] dims, boolean keepdim) {
        if (!keepdim) {
            for (int d : dims) {
                g = g.unsqueeze(d);
            }
        }
        return g.expand(inShape);
    }

    static Tensor sum(Tensor x, int[] dims, boolean keepdim) {
        int[] ds = Shapes.reduceDims(dims, x.dim());
        DType outT = x.dtype.isFloatingPoint() ? x.dtype : DType.INT64;
        Tensor out = finish(run(Op.SUM, x, ds, outT, 0), ds, keepdim);
        int[] shape = x.shape;
        return FnNode.record1(dims == null ? "SumBackward0" : "SumBackward1", out, x,
                (g, s) -> new Tensor[] {expandBack(g, shape, ds, keepdim)});
    }

    static Tensor mean(Tensor x, int[] dims, boolean keepdim) {
        if (!x.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("mean(): could not infer output dtype. Input dtype must be either a "
                    + "floating point or complex dtype. Got: " + x.dtype);
        }
        int[] ds = Shapes.reduceDims(dims, x.dim());
        long n = 1;
        for (int d : ds) {
            n *= x.shape[d];
        }
        Tensor sum = finish(run(Op.SUM, x, ds, x.dtype, 0), ds, keepdim);
        Dispatch.binary(Op.DIV, sum, ElementwiseOps.broadcastView(x.newFull(Shapes.SCALAR, n, x.dtype),
                sum.shape), sum, 1);
        int[] shape = x.shape;
        long count = n;
        return FnNode.record1(dims == null ? "MeanBackward0" : "MeanBackward1", sum, x,
                (g, s) -> new Tensor[] {expandBack(g.div(count), shape, ds, keepdim)});
    }

    static Tensor var(Tensor x, int[] dims, double correction, boolean keepdim) {
        if (!x.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("var(): expected a floating point input, got " + x.dtype);
        }
        int[] ds = Shapes.reduceDims(dims, x.dim());
        long n = 1;
        for (int d : ds) {
            n *= x.shape[d];
        }
        Tensor out = finish(run(Op.VAR, x, ds, x.dtype, correction), ds, keepdim);
        int[] shape = x.shape;
        double denom = Math.max(0, n - correction);
        return FnNode.record1(dims == null ? "VarBackward0" : "VarBackward0", out, x, (g, s) -> {
            Tensor mean = s[0].mean(ds, true);
            return new Tensor[] {expandBack(g, shape, ds, keepdim).mul(s[0].sub(mean)).mul(2.0 / denom)};
        }, x);
    }

    static Tensor prod(Tensor x, int[] dims, boolean keepdim) {
        int[] ds = Shapes.reduceDims(dims, x.dim());
        DType outT = x.dtype.isFloatingPoint() ? x.dtype : DType.INT64;
        Tensor out = finish(run(Op.PROD, x, ds, outT, 0), ds, keepdim);
        int[] shape = x.shape;
        return FnNode.record1(dims == null ? "ProdBackward0" : "ProdBackward1", out, x, (g, s) -> {
            // d prod / d x_i = product of the others; computed without dividing so zeros are handled
            Tensor xin = s[0];
            int d = ds.length == 1 ? ds[0] : -1;
            if (d < 0) {
                Tensor flat = xin.reshape(-1);
                Tensor others = exclusiveProd(flat, 0).reshape(shape);
                return new Tensor[] {expandBack(g, shape, ds, keepdim).mul(others)};
            }
            return new Tensor[] {expandBack(g, shape, ds, keepdim).mul(exclusiveProd(xin, d))};
        }, x);
    }

    /** For each position along dim, the product of all other entries along dim. */
    private static Tensor exclusiveProd(Tensor x, int dim) {
        int n = x.shape[dim];
        Tensor[] parts = new Tensor[n];
        for (int i = 0; i < n; i++) {
            Tensor p = x.newFull(x.select(dim, 0).shape, 1, x.dtype);
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    p = p.mul(x.select(dim, j));
                }
            }
            parts[i] = p;
        }
        return Torch.stack(parts, dim);
    }

    static Tensor amax(Tensor x, int[] dims, boolean keepdim, boolean max) {
        int[] ds = Shapes.reduceDims(dims, x.dim());
        Tensor out = finish(run(max ? Op.AMAX : Op.AMIN, x, ds, x.dtype, 0), ds, keepdim);
        int[] shape = x.shape;
        String name = dims == null ? (max ? "MaxBackward1" : "MinBackward1") : (max ? "AmaxBackward0" : "AminBackward0");
        return FnNode.record1(name, out, x, (g, s) -> {
            Tensor y = expandBack(s[1], shape, ds, keepdim);
            Tensor mask = s[0].eq(y);
            Tensor count = mask.sum(ds, true).to(g.dtype());
            return new Tensor[] {expandBack(g, shape, ds, keepdim).mul(mask).div(count)};
        }, x, out);
    }

    static Tensor argmax(Tensor x, Integer dim, boolean keepdim, boolean max) {
        if (dim == null) {
            Tensor flat = x.reshape(-1);
            return finish(run(max ? Op.ARGMAX : Op.ARGMIN, flat, new int[] {0}, DType.INT64, 0), new int[] {0},
                    false);
        }
        int d = Shapes.wrapDim(dim, x.dim());
        if (x.dim() == 0) {
            return x.newEmptyShared(DType.INT64, Shapes.SCALAR);
        }
        return finish(run(max ? Op.ARGMAX : Op.ARGMIN, x, new int[] {d}, DType.INT64, 0), new int[] {d}, keepdim);
    }

    static Tensor[] maxWithIndices(Tensor x, int dim, boolean keepdim, boolean max) {
        int d = Shapes.wrapDim(dim, x.dim());
        if (x.dim() == 0) {
            return new Tensor[] {x.clone(), x.newEmptyShared(DType.INT64, Shapes.SCALAR)};
        }
        if (x.shape[d] == 0) {
            throw new IndexOutOfBoundsException((max ? "max" : "min") + "(): Expected reduction dim " + d
                    + " to have non-zero size.");
        }
        Tensor idx = run(max ? Op.ARGMAX : Op.ARGMIN, x, new int[] {d}, DType.INT64, 0);
        Tensor values;
        try (var _ = dev.jtorch.autograd.Autograd.noGrad()) {
            values = x.gather(d, idx);
        }
        int[] shape = x.shape;
        DType dt = x.dtype;
        Tensor v = keepdim ? values : finish(values, new int[] {d}, false);
        Tensor i = keepdim ? idx : finish(idx, new int[] {d}, false);
        if (dt.isFloatingPoint()) {
            FnNode.record1(max ? "MaxBackward0" : "MinBackward0", v, x, (g, s) -> new Tensor[] {
                g.newEmptyShared(dt, shape).scatter(d, idx, keepdim ? g : g.unsqueeze(d))});
        }
        return new Tensor[] {v, i};
    }

    static Tensor logsumexp(Tensor x, int[] dims, boolean keepdim) {
        int[] ds = Shapes.reduceDims(dims, x.dim());
        DType outT = x.dtype.isFloatingPoint() ? x.dtype : DType.FLOAT32;
        Tensor out = finish(run(Op.LOGSUMEXP, x, ds, outT, 0), ds, keepdim);
        int[] shape = x.shape;
        return FnNode.record1("LogsumexpBackward0", out, x, (g, s) -> new Tensor[] {
            expandBack(g, shape, ds, keepdim).mul(s[0].sub(expandBack(s[1], shape, ds, keepdim)).exp())}, x, out);
    }

    static Tensor norm(Tensor x, double p, int[] dims, boolean keepdim) {
        if (!x.dtype.isFloatingPoint()) {
            throw new IllegalArgumentException("linalg.vector_norm: Expected a floating point tensor as input. Got "
                    + x.dtype);
        }
        int[] ds = Shapes.reduceDims(dims, x.dim());
        Tensor out = finish(run(Op.NORM, x, ds, x.dtype, p), ds, keepdim);
        int[] shape = x.shape;
        return FnNode.record1("NormBackward1", out, x, (g, s) -> {
            Tensor xin = s[0];
            Tensor y = expandBack(s[1], shape, ds, keepdim);
            Tensor ge = expandBack(g, shape, ds, keepdim);
            Tensor r;
            if (p == 0) {
                r = ge.mul(0.0);
            } else if (p == 1) {
                r = ge.mul(xin.sign());
            } else if (Double.isInfinite(p)) {
                Tensor mask = xin.abs().eq(y);
                Tensor count = mask.sum(ds, true).to(g.dtype());
                r = ge.mul(xin.sign()).mul(mask).div(count);
            } else if (p == 2) {
                r = ge.mul(xin).div(y).maskedFill(y.eq(0.0), 0.0);
            } else {
                r = ge.mul(xin.sign()).mul(xin.abs().pow(p - 1)).div(y.pow(p - 1)).maskedFill(y.eq(0.0), 0.0);
            }
            return new Tensor[] {r};
        }, x, out);
    }

    static Tensor logical(Tensor x, Op op, int[] dims, boolean keepdim) {
        int[] ds = Shapes.reduceDims(dims, x.dim());
        return finish(run(op, x, ds, DType.BOOL, 0), ds, keepdim);
    }
}

package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.NormShape;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.View;
import dev.jtorch.opencl.ElementwiseSource.CType;

import java.lang.ref.Reference;
import java.util.ArrayList;
import java.util.List;

/**
 * {@link OpenClBackend#norm} and {@link OpenClBackend#embeddingBag} on the device: checks the operands (dtype,
 * contiguity, element counts) before anything is enqueued, then launches {@link NormSource}'s kernels, as the CPU
 * backend's {@code CpuNN} computes them (the same formulas, coefficients in double where the device has it).
 */
final class OpenClNorm {
    private final OpenClBackend backend;
    private final ClDevice dev;

    OpenClNorm(OpenClBackend backend, ClDevice dev) {
        this.backend = backend;
        this.dev = dev;
    }

    /** A checked contiguous operand: its buffer (null when it has no elements) and element offset. */
    private record Operand(BufferPool.Block block, int offset) {
    }

    /** The operands' storages, kept reachable until their kernels are enqueued. */
    private final class Keep {
        final List<Object> storages = new ArrayList<>();

        /**
         * {@code v} checked: of dtype {@code dt}, contiguous, of {@code n} elements, inside its storage; null when
         * {@code v} is (an absent optional operand).
         */
        Operand of(View v, String role, DType dt, long n) {
            if (v == null) {
                return null;
            }
            if (v.dtype() != dt) {
                throw new IllegalArgumentException(role + " " + v + " is " + v.dtype() + ", expected " + dt);
            }
            if (v.numel() != n) {
                throw new IllegalArgumentException(role + " " + v + " has " + v.numel() + " elements, expected "
                        + n);
            }
            if (!v.isContiguous()) {
                throw new IllegalArgumentException(role + " " + v + " must be contiguous");
            }
            OpenClStorage s = backend.checked(v, role);
            storages.add(s);
            return new Operand(s.block(), v.storageOffset());
        }

        /** As {@link #of}, for an operand that must be given. */
        Operand required(View v, String role, DType dt, long n) {
            if (v == null) {
                throw new IllegalArgumentException(role + " is required");
            }
            return of(v, role, dt, n);
        }

        /** A temporary of {@code n} elements. */
        BufferPool.Block temp(DType dt, int n) {
            OpenClStorage s = (OpenClStorage) backend.allocate(dt, n);
            storages.add(s);
            return s.block();
        }

        void release() {
            Reference.reachabilityFence(storages);
        }
    }

    private static View at(View[] v, int i) {
        return i < v.length ? v[i] : null;
    }

    private static DType floating(View v, String what) {
        if (v == null) {
            throw new IllegalArgumentException(what + " is required");
        }
        DType t = v.dtype();
        if (t != DType.FLOAT32 && t != DType.FLOAT64) {
            throw new IllegalArgumentException("expected float32 or float64 " + what + ", got " + t);
        }
        return t;
    }

    private ClDevice.Program program(CType c) {
        boolean fp64 = dev.fp64;
        return backend.program("norm " + c + " " + fp64, () -> NormSource.program(c, fp64));
    }

    /** The work-group size of a group kernel reducing {@code count} elements per group. */
    private int group(ClDevice.Program p, String kernel, int count) {
        int lim = Math.min(NormSource.GROUP, dev.workGroup(p, kernel));
        int g = 1;
        while (g < count && g < lim) {
            g <<= 1;
        }
        return Math.max(1, Math.min(g, lim));
    }

    /** Runs group kernel {@code k} with {@code groups} work-groups, each of {@link #group} for {@code count}. */
    private void groups(ClDevice.Program p, String k, int groups, int count, Object... args) {
        int local = group(p, k, count);
        dev.launch3(p, k, new long[] {(long) groups * local, 1, 1}, new long[] {local, 1, 1}, args);
    }

    private static Object flag(Operand o) {
        return o == null ? 0 : 1;
    }

    private static BufferPool.Block block(Operand o, BufferPool.Block fallback) {
        return o == null || o.block() == null ? fallback : o.block();
    }

    private static int offset(Operand o) {
        return o == null ? 0 : o.offset();
    }

    void norm(Op op, View[] in, View[] out, NormShape s) {
        if (op.kind() != Op.Kind.NORM) {
            throw new IllegalArgumentException(op + " is not a normalization op");
        }
        if (in == null || out == null || s == null || in.length == 0 || out.length == 0) {
            throw new IllegalArgumentException(op + " needs inputs, outputs and a shape");
        }
        DType dt = floating(out[0], op + "'s output");
        CType c = dt == DType.FLOAT64 ? CType.DOUBLE : CType.FLOAT;
        int outer = s.outer();
        int ch = s.channels();
        int inner = s.inner();
        int total = s.numel();
        int count = outer * inner;
        int rows = outer * ch;
        Object eps = dev.fp64 ? (Object) s.eps() : (Object) (float) s.eps();
        Keep k = new Keep();
        switch (op) {
            case NORM_MOMENTS -> {
                Operand x = k.required(in[0], "x", dt, total);
                Operand mean = k.required(at(out, 0), "mean", dt, ch);
                Operand var = k.required(at(out, 1), "var", dt, ch);
                if (ch == 0) {
                    break;
                }
                if (count == 0) {
                    backend.fill(out[0], Double.NaN);
                    backend.fill(out[1], Double.NaN);
                    break;
                }
                ClDevice.Program p = program(c);
                groups(p, "moments", ch, count, x.block(), x.offset(), mean.block(), mean.offset(), var.block(),
                        var.offset(), outer, ch, inner, s.center() ? 1 : 0);
            }
            case NORM_SCALE_SHIFT -> {
                Operand x = k.required(in[0], "x", dt, total);
                Operand a = k.required(at(in, 1), "a", dt, ch);
                Operand b = k.of(at(in, 2), "b", dt, ch);
                Operand y = k.required(out[0], "y", dt, total);
                if (total == 0) {
                    break;
                }
                dev.launch(program(c), "scale_shift", total, x.block(), x.offset(), a.block(), a.offset(),
                        block(b, a.block()), offset(b), flag(b), y.block(), y.offset(), total, ch, inner);
            }
            case NORM_SCALE_SHIFT2 -> {
                Operand dy = k.required(in[0], "dy", dt, total);
                Operand x = k.required(at(in, 1), "x", dt, total);
                Operand a = k.required(at(in, 2), "a", dt, ch);
                Operand b = k.required(at(in, 3), "b", dt, ch);
                Operand c0 = k.required(at(in, 4), "c", dt, ch);
                Operand y = k.required(out[0], "y", dt, total);
                if (total == 0) {
                    break;
                }
                dev.launch(program(c), "scale_shift2", total, dy.block(), dy.offset(), x.block(), x.offset(),
                        a.block(), a.offset(), b.block(), b.offset(), c0.block(), c0.offset(), y.block(), y.offset(),
                        total, ch, inner);
            }
            case NORM_CHANNEL_SUMS -> {
                Operand dy = k.required(in[0], "dy", dt, total);
                Operand x = k.of(at(in, 1), "x", dt, total);
                Operand sdy = k.required(out[0], "sum dy", dt, ch);
                Operand sdyx = x == null ? k.of(at(out, 1), "sum dy x", dt, ch)
                        : k.required(at(out, 1), "sum dy x", dt, ch);
                if (ch == 0) {
                    break;
                }
                if (count == 0) {
                    backend.fill(out[0], 0);
                    if (x != null) {
                        backend.fill(out[1], 0);
                    }
                    break;
                }
                ClDevice.Program p = program(c);
                groups(p, "channel_sums", ch, count, dy.block(), dy.offset(), block(x, dy.block()), offset(x),
                        flag(x), sdy.block(), sdy.offset(), block(sdyx, sdy.block()), offset(sdyx), outer, ch, inner);
            }
            case NORM_APPLY -> {
                Operand x = k.required(in[0], "x", dt, total);
                Operand mean = k.required(at(in, 1), "mean", dt, ch);
                Operand var = k.required(at(in, 2), "var", dt, ch);
                Operand w = k.of(at(in, 3), "weight", dt, ch);
                Operand b = k.of(at(in, 4), "bias", dt, ch);
                Operand y = k.required(out[0], "y", dt, total);
                if (total == 0) {
                    break;
                }
                ClDevice.Program p = program(c);
                BufferPool.Block ab = k.temp(dt, 2 * ch);
                dev.launch(p, "apply_coeffs", ch, mean.block(), mean.offset(), var.block(), var.offset(),
                        block(w, mean.block()), offset(w), flag(w), block(b, mean.block()), offset(b), flag(b), ab, ch,
                        eps);
                dev.launch(p, "scale_shift", total, x.block(), x.offset(), ab, 0, ab, ch, 1, y.block(), y.offset(),
                        total, ch, inner);
            }
            case ROW_NORM -> {
                Operand x = k.required(in[0], "x", dt, total);
                Operand mean = k.required(at(in, 1), "mean", dt, rows);
                Operand var = k.required(at(in, 2), "var", dt, rows);
                Operand w = k.of(at(in, 3), "weight", dt, inner);
                Operand b = k.of(at(in, 4), "bias", dt, inner);
                Operand y = k.required(out[0], "y", dt, total);
                if (total == 0) {
                    break;
                }
                ClDevice.Program p = program(c);
                BufferPool.Block rs = k.temp(dt, rows);
                dev.launch(p, "rstd", rows, var.block(), var.offset(), rs, rows, eps);
                dev.launch(p, "row_affine", total, x.block(), x.offset(), mean.block(), mean.offset(), rs,
                        block(w, x.block()), offset(w), flag(w), block(b, x.block()), offset(b), flag(b), y.block(),
                        y.offset(), total, inner);
            }
            case ROW_NORM_BACKWARD -> rowBackward(in, out, s, dt, c, eps, k);
            default -> throw new IllegalArgumentException(op + " is not a normalization op");
        }
        k.release();
    }

    /** Rows of a column sum per work-item where the rows are split into chunks (enough work-items for a GPU). */
    private static int chunkRows(int rows, int n) {
        int nchunk = Math.max(1, Math.min(65536 / Math.max(1, n), (rows + 15) / 16));
        return (rows + nchunk - 1) / nchunk;
    }

    private void rowBackward(View[] in, View[] out, NormShape s, DType dt, CType c, Object eps, Keep k) {
        int rows = s.outer() * s.channels();
        int n = s.inner();
        int total = s.numel();
        Operand x = k.required(in[0], "x", dt, total);
        Operand dy = k.required(at(in, 1), "dy", dt, total);
        Operand mean = k.required(at(in, 2), "mean", dt, rows);
        Operand var = k.required(at(in, 3), "var", dt, rows);
        Operand w = k.of(at(in, 4), "weight", dt, n);
        Operand dx = k.required(out[0], "dx", dt, total);
        Operand dw = k.of(at(out, 1), "dw", dt, n);
        Operand db = k.of(at(out, 2), "db", dt, n);
        if (total == 0) {
            // dw and db are overwritten: sums over no rows
            for (int i = 1; i <= 2; i++) {
                if (at(out, i) != null) {
                    backend.fill(out[i], 0);
                }
            }
            return;
        }
        ClDevice.Program p = program(c);
        BufferPool.Block rs = k.temp(dt, rows);
        dev.launch(p, "rstd", rows, var.block(), var.offset(), rs, rows, eps);
        groups(p, "row_backward", rows, n, x.block(), x.offset(), dy.block(), dy.offset(), mean.block(),
                mean.offset(), rs, block(w, x.block()), offset(w), flag(w), s.center() ? 1 : 0, dx.block(),
                dx.offset(), n);
        if (dw == null && db == null) {
            return;
        }
        int chunk = chunkRows(rows, n);
        int nchunk = (rows + chunk - 1) / chunk;
        if (nchunk == 1) {
            dev.launch(p, "col_partial", n, x.block(), x.offset(), dy.block(), dy.offset(), mean.block(),
                    mean.offset(), rs, block(dw, x.block()), offset(dw), flag(dw), block(db, x.block()), offset(db),
                    flag(db), rows, n, 1, rows);
            return;
        }
        BufferPool.Block pw = dw == null ? x.block() : k.temp(dt, nchunk * n);
        BufferPool.Block pb = db == null ? x.block() : k.temp(dt, nchunk * n);
        dev.launch(p, "col_partial", nchunk * n, x.block(), x.offset(), dy.block(), dy.offset(), mean.block(),
                mean.offset(), rs, pw, 0, flag(dw), pb, 0, flag(db), rows, n, nchunk, chunk);
        if (dw != null) {
            dev.launch(p, "col_combine", n, pw, dw.block(), dw.offset(), nchunk, n);
        }
        if (db != null) {
            dev.launch(p, "col_combine", n, pb, db.block(), db.offset(), nchunk, n);
        }
    }

    void embeddingBag(View weight, View indices, View offsets, View psw, int mode, long paddingIdx, View out,
                      View bagOf, View bagSize, View maxArg) {
        DType dt = floating(out, "embedding_bag output");
        if (out.dim() != 2 || weight == null || weight.dim() != 2 || weight.size(1) != out.size(1)) {
            throw new IllegalArgumentException("embedding_bag takes a 2-d weight [rows, dim] and output [batch, "
                    + "dim], got " + weight + " and " + out);
        }
        if (mode < 0 || mode > 2) {
            throw new IllegalArgumentException("embedding_bag mode must be 0 (sum), 1 (mean) or 2 (max), got " + mode);
        }
        if (mode == 2 && maxArg == null) {
            throw new IllegalArgumentException("embedding_bag in max mode needs maxArg");
        }
        int batch = out.size(0);
        int dim = out.size(1);
        long len = indices == null ? 0 : indices.numel();
        Keep k = new Keep();
        Operand w = k.required(weight, "weight", dt, weight.numel());
        Operand idx = k.required(indices, "indices", DType.INT64, len);
        Operand off = k.required(offsets, "offsets", DType.INT64, (long) batch + 1);
        Operand p = k.of(psw, "per-sample weights", dt, len);
        Operand o = k.required(out, "output", dt, (long) batch * dim);
        Operand bag = k.required(bagOf, "bagOf", DType.INT64, len);
        Operand size = k.required(bagSize, "bagSize", DType.INT64, batch);
        Operand arg = k.of(maxArg, "maxArg", DType.INT64, (long) batch * dim);
        if (batch > 0) {
            BufferPool.Block any = off.block();
            CType c = dt == DType.FLOAT64 ? CType.DOUBLE : CType.FLOAT;
            dev.launch(program(c), "embedding_bag", View.intCount((long) batch * Math.max(dim, 1), out.shape()),
                    block(w, any), w.offset(), block(idx, any), idx.offset(), off.block(), off.offset(),
                    block(p, any), offset(p), flag(p), mode, paddingIdx, block(o, any), o.offset(), block(bag, any),
                    bag.offset(), size.block(), size.offset(), block(arg, any), offset(arg), flag(arg), batch, dim);
        }
        k.release();
    }
}

package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Op;
import dev.jtorch.backend.View;
import dev.jtorch.opencl.ElementwiseSource.CType;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.ref.Reference;

import static dev.jtorch.opencl.OpenClBackend.exact;
import static dev.jtorch.opencl.OpenClBackend.scalar;
import static java.lang.foreign.ValueLayout.JAVA_INT;

/**
 * {@link OpenClBackend#unary}, {@link OpenClBackend#binary} and {@link OpenClBackend#where} on the device: the
 * kernels {@link ElementwiseSource} generates from {@link OpTable} per (op, operand dtypes, compute type), run
 * over the operands' strides ({@link Geometry}), and the zero-divisor check of int64 division.
 */
final class OpenClElementwise {
    private final OpenClBackend backend;
    private final ClDevice dev;
    private volatile BufferPool.Block errorFlag;

    OpenClElementwise(OpenClBackend backend, ClDevice dev) {
        this.backend = backend;
        this.dev = dev;
    }

    void unary(Op op, View x, View out, double p0, double p1) {
        if (op.kind() != Op.Kind.UNARY) {
            throw new IllegalArgumentException(op + " is not a unary op");
        }
        int n = out.intNumel();
        if (n == 0) {
            return;
        }
        OpenClStorage so = backend.checked(out, "the output");
        OpenClStorage sx = backend.checked(x, "the input");
        boolean exact = exact(out.dtype()) && exact(x.dtype());
        CType c = exact ? CType.LONG : backend.floating(x, out);
        if (exact && OpTable.exact(op) == null) {
            throw new IllegalArgumentException(op + " has no int64 form");
        }
        DType in = x.dtype();
        DType ot = out.dtype();
        ClDevice.Program p = backend.program("unary " + op + " " + in + " " + ot + " " + c,
                () -> ElementwiseSource.unary(op, in, ot, c));
        Object a0;
        Object a1;
        if (exact) {
            long[] lp = OpTable.exactParams(op, p0, p1);
            a0 = lp[0];
            a1 = lp[1];
        } else {
            a0 = scalar(c, p0);
            a1 = scalar(c, p1);
        }
        backend.run(p, op.name(), Geometry.of(out.shape(), out, x), new BufferPool.Block[] {so.block(), sx.block()},
                a0, a1);
        Reference.reachabilityFence(so);
        Reference.reachabilityFence(sx);
    }

    void binary(Op op, View a, View b, View out, double alpha) {
        if (op.kind() != Op.Kind.BINARY) {
            throw new IllegalArgumentException(op + " is not a binary op");
        }
        int n = out.intNumel();
        if (n == 0) {
            return;
        }
        OpenClStorage so = backend.checked(out, "the output");
        OpenClStorage sa = backend.checked(a, "the first input");
        OpenClStorage sb = backend.checked(b, "the second input");
        boolean exact = OpTable.comparison(op) ? exact(a.dtype()) && exact(b.dtype()) : exact(out.dtype());
        CType c = exact ? CType.LONG : backend.floating(a, b, out);
        if (exact && OpTable.exact(op) == null) {
            throw new IllegalArgumentException(op + " has no int64 form");
        }
        DType da = a.dtype();
        DType db = b.dtype();
        DType ot = out.dtype();
        ClDevice.Program p = backend.program("binary " + op + " " + da + " " + db + " " + ot + " " + c,
                () -> ElementwiseSource.binary(op, da, db, ot, c));
        boolean divide = c == CType.LONG && op == Op.DIV;
        BufferPool.Block flag = errorFlag();
        backend.run(p, op.name(), Geometry.of(out.shape(), out, a, b),
                new BufferPool.Block[] {so.block(), sa.block(), sb.block()}, scalar(c, alpha), flag);
        Reference.reachabilityFence(so);
        Reference.reachabilityFence(sa);
        Reference.reachabilityFence(sb);
        if (divide) {
            checkDivision(flag);
        }
    }

    /** The device's int flag that the int64 division raises on a zero divisor (zeroed, made on first use). */
    private BufferPool.Block errorFlag() {
        BufferPool.Block f = errorFlag;
        if (f != null) {
            return f;
        }
        dev.lock.lock();
        try {
            if (errorFlag == null) {
                BufferPool.Block b = dev.pool().acquire(4);
                backend.fillBytes(b, 0, 4, new byte[4]);
                errorFlag = b;
            }
            return errorFlag;
        } finally {
            dev.lock.unlock();
        }
    }

    private void checkDivision(BufferPool.Block flag) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment v = a.allocate(JAVA_INT);
            backend.read(flag, 0, 4, v);
            if (v.get(JAVA_INT, 0) != 0) {
                backend.fillBytes(flag, 0, 4, new byte[4]);
                throw new ArithmeticException("ZeroDivisionError: integer division by zero");
            }
        }
    }

    void where(View cond, View a, View b, View out) {
        int n = out.intNumel();
        if (n == 0) {
            return;
        }
        OpenClStorage so = backend.checked(out, "the output");
        OpenClStorage sc = backend.checked(cond, "the condition");
        OpenClStorage sa = backend.checked(a, "the first input");
        OpenClStorage sb = backend.checked(b, "the second input");
        CType c = exact(out.dtype()) ? CType.LONG : backend.floating(a, b, out);
        DType dc = cond.dtype();
        DType da = a.dtype();
        DType db = b.dtype();
        DType ot = out.dtype();
        ClDevice.Program p = backend.program("where " + dc + " " + da + " " + db + " " + ot + " " + c,
                () -> ElementwiseSource.where(dc, da, db, ot, c));
        backend.run(p, "WHERE", Geometry.of(out.shape(), out, cond, a, b),
                new BufferPool.Block[] {so.block(), sc.block(), sa.block(), sb.block()});
        Reference.reachabilityFence(so);
        Reference.reachabilityFence(sc);
        Reference.reachabilityFence(sa);
        Reference.reachabilityFence(sb);
    }
}

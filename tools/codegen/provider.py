"""The kernel provider of simd-kernels (Lucene's VectorizationProvider): one interface, KernelProvider, listing every
kernel with a vector and a scalar implementation, and the two classes that implement it by calling those
(VectorKernelProvider: the Vector API classes; ScalarKernelProvider: the scalar twins). Kernels picks one of the
two once, into a static final field, so C2 sees one implementation and inlines the call; the public facades
(Activations, Gemm, ...) check their arguments and call through it.

The table below is the one list of the kernels: each method is written once with {T} for float/double and is
declared in the interface for both and implemented in both classes.
"""

# (what, vector class, scalar class, methods); a method is a Java signature with {T} for the element type, and
# "-> name" when the implementations' method has another name than the provider's ({gemm}: sgemm / dgemm). A fifth
# element names the one form a family has ('float'), when it has no double one.
# Class names take {K} (F / D) and {Gemm} (Sgemm / Dgemm).
FAMILIES = [
    ('Activations', 'VectorActivations{K}', 'ScalarActivations', [
        'void exp({T}[] x, int xOff, {T}[] y, int yOff, int n)',
        'void log({T}[] x, int xOff, {T}[] y, int yOff, int n)',
        'void sigmoid({T}[] x, int xOff, {T}[] y, int yOff, int n)',
        'void tanh({T}[] x, int xOff, {T}[] y, int yOff, int n)',
        'void relu({T}[] x, int xOff, {T}[] y, int yOff, int n)',
        'void gelu({T}[] x, int xOff, {T}[] y, int yOff, int n)',
        'void geluTanh({T}[] x, int xOff, {T}[] y, int yOff, int n)',
        'void softplus({T}[] x, int xOff, {T}[] y, int yOff, int n, {T} beta, {T} threshold)',
    ]),
    ('Their derivatives', 'VectorActivationGrads{K}', 'ScalarActivations', [
        'void sigmoidBackward({T}[] y, int yOff, {T}[] dy, int dyOff, {T}[] dx, int dxOff, int n)',
        'void tanhBackward({T}[] y, int yOff, {T}[] dy, int dyOff, {T}[] dx, int dxOff, int n)',
        'void reluBackward({T}[] x, int xOff, {T}[] dy, int dyOff, {T}[] dx, int dxOff, int n)',
        'void geluBackward({T}[] x, int xOff, {T}[] dy, int dyOff, {T}[] dx, int dxOff, int n)',
        'void geluTanhBackward({T}[] x, int xOff, {T}[] dy, int dyOff, {T}[] dx, int dxOff, int n)',
        'void softplusBackward({T}[] x, int xOff, {T}[] dy, int dyOff, {T}[] dx, int dxOff, int n, {T} beta, '
        '{T} threshold)',
    ]),
    ('Elementwise', 'VectorElementwise{K}', 'ScalarElementwise', [
        'void add({T}[] a, int aOff, {T}[] b, int bOff, {T}[] y, int yOff, int n)',
        'void sub({T}[] a, int aOff, {T}[] b, int bOff, {T}[] y, int yOff, int n)',
        'void mul({T}[] a, int aOff, {T}[] b, int bOff, {T}[] y, int yOff, int n)',
        'void div({T}[] a, int aOff, {T}[] b, int bOff, {T}[] y, int yOff, int n)',
        'void axpy(int n, {T} alpha, {T}[] x, int xOff, {T}[] y, int yOff)',
        'void scale({T} alpha, {T}[] x, int xOff, {T}[] y, int yOff, int n)',
        '{T} dot({T}[] x, int xOff, {T}[] y, int yOff, int n)',
    ]),
    ('Reductions', 'VectorReductions{K}', 'ScalarReductions', [
        'void rowSum(int rows, int cols, {T}[] x, int xOff, int ldx, {T}[] y, int yOff)',
        'void rowMax(int rows, int cols, {T}[] x, int xOff, int ldx, {T}[] y, int yOff)',
        'void rowArgmax(int rows, int cols, {T}[] x, int xOff, int ldx, long[] idx, int idxOff)',
        'void softmax(int rows, int cols, {T}[] x, int xOff, int ldx, {T}[] y, int yOff, int ldy)',
        'void onlineSoftmax(int rows, int cols, {T}[] s, int sOff, int lds, {T}[] m, {T}[] l, {T}[] alpha, '
        'int rOff)',
        'void logSoftmax(int rows, int cols, {T}[] x, int xOff, int ldx, {T}[] y, int yOff, int ldy)',
    ]),
    ('Norm', 'VectorNorm{K}', 'ScalarNorm', [
        'void moments({T}[] x, int xOff, int outer, int channels, int inner, boolean center, {T}[] mean, '
        'int meanOff, {T}[] var, int varOff)',
        'void scaleShift({T}[] x, int xOff, int outer, int channels, int inner, {T}[] a, int aOff, {T}[] b, '
        'int bOff, {T}[] y, int yOff)',
        'void scaleShift2({T}[] dy, int dyOff, {T}[] x, int xOff, int outer, int channels, int inner, {T}[] a, '
        'int aOff, {T}[] b, int bOff, {T}[] c0, int cOff, {T}[] y, int yOff)',
        'void channelSums({T}[] dy, int dyOff, {T}[] x, int xOff, int outer, int channels, int inner, {T}[] sdy, '
        'int sdyOff, {T}[] sdyx, int sdyxOff)',
        'void rowAffine({T}[] x, int xOff, int rows, int n, {T}[] mean, int meanOff, {T}[] rstd, int rstdOff, '
        '{T}[] w, int wOff, {T}[] b, int bOff, {T}[] y, int yOff)',
        'void rowAffineBackward({T}[] x, int xOff, {T}[] dy, int dyOff, int rows, int n, {T}[] mean, int meanOff, '
        '{T}[] rstd, int rstdOff, {T}[] w, int wOff, boolean center, {T}[] dx, int dxOff, {T}[] dw, int dwOff, '
        '{T}[] db, int dbOff)',
    ]),
    ('Pool (the vector form takes its separable path where it applies)', 'VectorPool{K}', 'Pool{K}', [
        'void maxPool(PoolWindows w, {T}[] x, int xOff, {T}[] y, int yOff, long[] idx, int iOff) -> max',
    ]),
    ('Conv', 'Conv{K}', 'ScalarConv', [
        'void convForward(ConvGeometry g, {T}[] x, int xOff, {T}[] w, int wOff, {T}[] bias, int bOff, {T}[] y, '
        'int yOff) -> forward',
        'void convBackwardInput(ConvGeometry g, {T}[] dy, int dyOff, {T}[] w, int wOff, {T}[] dx, int dxOff) '
        '-> backwardInput',
        'void convBackwardWeight(ConvGeometry g, {T}[] x, int xOff, {T}[] dy, int dyOff, {T}[] dw, int dwOff) '
        '-> backwardWeight',
    ]),
    ('Gemm (a PackedB is made and read by the same provider)', 'Vector{Gemm}', 'ScalarGemm', [
        'void gemm(boolean transA, boolean transB, int m, int n, int k, {T} alpha, {T}[] a, int aOff, int lda, '
        '{T}[] b, int bOff, int ldb, {T} beta, {T}[] c, int cOff, int ldc) -> {gemm}',
        'PackedB packB(boolean transB, int k, int n, {T}[] b, int bOff, int ldb)',
        'void gemm(boolean transA, int m, {T} alpha, {T}[] a, int aOff, int lda, PackedB b, {T} beta, {T}[] c, '
        'int cOff, int ldc) -> {gemm}',
    ]),
    ('RnnGates', 'VectorRnnGates{K}', 'ScalarRnnGates', [
        'void lstmForward(int batch, int hidden, {T}[] gates, int gOff, {T}[] cPrev, int cpOff, {T}[] c, int cOff, '
        '{T}[] h, int hOff, {T}[] act, int aOff)',
        'void lstmBackward(int batch, int hidden, {T}[] act, int aOff, {T}[] cPrev, int cpOff, {T}[] c, int cOff, '
        '{T}[] dh, int dhOff, {T}[] dc, int dcOff, {T}[] dGates, int dgOff, {T}[] dcPrev, int dcpOff)',
        'void gruForward(int batch, int hidden, {T}[] xg, int xOff, {T}[] hg, int hgOff, {T}[] hPrev, int hpOff, '
        '{T}[] h, int hOff, {T}[] ws, int wsOff)',
        'void gruBackward(int batch, int hidden, {T}[] ws, int wsOff, {T}[] hPrev, int hpOff, {T}[] dh, int dhOff, '
        '{T}[] dxg, int dxOff, {T}[] dhg, int dhgOff, {T}[] dhPrev, int dhpOff)',
    ]),
    # float only: the batch-1 recurrent step's GEMV on packed panels (float32 or bfloat16 elements)
    ('Gemv', 'VectorGemv', 'ScalarGemv', [
        'void gemv(float[] x, int xOff, PackedGemv w, float[] y, int yOff)',
    ], 'float'),
]

FORMS = [dict(T='float', K='F', Gemm='Sgemm', gemm='sgemm'), dict(T='double', K='D', Gemm='Dgemm', gemm='dgemm')]
WIDTH = 120


def wrap(head, params, tail, indent):
    """head + the comma-separated params + tail, broken before a parameter where a line would pass WIDTH, the
    continuation lines aligned after head's opening parenthesis."""
    lines = [' ' * indent + head]
    pad = ' ' * len(lines[0])
    for i, p in enumerate(params):
        piece = p + (', ' if i < len(params) - 1 else tail)
        if len(lines[-1]) + len(piece.rstrip()) > WIDTH and lines[-1].strip() != head.strip():
            lines[-1] = lines[-1].rstrip()
            lines.append(pad)
        lines[-1] += piece
    return '\n'.join(lines) + '\n'


def methods():
    """(family, vector class, scalar class, return type, name, [(type, name)], target) per method and form."""
    for what, vec, sca, sigs, *only in FAMILIES:
        yield what, None
        for sig in sigs:
            sig, _, target = sig.partition(' -> ')
            for form in FORMS:
                if only and form['T'] not in only:
                    continue
                s = sig.replace('{T}', form['T'])
                ret_name, params = s[:-1].split('(', 1)
                ret, name = ret_name.rsplit(' ', 1)
                ps = [tuple(p.strip().rsplit(' ', 1)) for p in params.split(',')]
                yield what, dict(ret=ret, name=name, params=ps, target=(target or name).format(**form),
                                 vec=vec.format(**form), sca=sca.format(**form))


def interface(header):
    s = header + '''package dev.jtorch.kernels;

/**
 * Every kernel with a vector and a scalar implementation, float and double: the calls the public facades make after
 * checking their arguments. {@link Kernels#PROVIDER} holds the one implementation in use, chosen when Kernels
 * initialises ({@link VectorKernelProvider} over the Vector API classes, or {@link ScalarKernelProvider} over the
 * scalar twins); a static final field, so the JIT compiles each facade call as a direct call to that
 * implementation's method and inlines it (Lucene's VectorizationProvider). Arguments are assumed valid.
 */
interface KernelProvider {
'''
    for what, m in methods():
        if m is None:
            s += f'\n    // {what}\n\n'
            continue
        s += wrap(f'{m["ret"]} {m["name"]}(', [f'{t} {n}' for t, n in m['params']], ');', 4)
    return s + '}\n'


def implementation(header, cls, doc, key):
    s = header + f'''package dev.jtorch.kernels;

{doc}
final class {cls} implements KernelProvider {{
'''
    for what, m in methods():
        if m is None:
            s += f'\n    // {what}\n'
            continue
        ret = '' if m['ret'] == 'void' else 'return '
        s += '\n    @Override\n'
        s += wrap(f'public {m["ret"]} {m["name"]}(', [f'{t} {n}' for t, n in m['params']], ') {', 4)
        s += wrap(f'{ret}{m[key]}.{m["target"]}(', [n for _, n in m['params']], ');', 8)
        s += '    }\n'
    return s + '}\n'


def files(header):
    """File name -> text of the provider's three classes."""
    return {
        'KernelProvider.java': interface(header),
        'VectorKernelProvider.java': implementation(header, 'VectorKernelProvider', '''/**
 * The {@link KernelProvider} of the vector path: each kernel is the Vector API class's ({@code VectorActivationsF},
 * {@code VectorSgemm}, ...). Instantiated only when the Vector API is usable (see {@link Kernels}).
 */''', 'vec'),
        'ScalarKernelProvider.java': implementation(header, 'ScalarKernelProvider', '''/**
 * The {@link KernelProvider} of the scalar path: each kernel is its scalar twin ({@code ScalarActivations},
 * {@code ScalarGemm}, ...), the specification the vector kernels are tested against.
 */''', 'sca'),
    }

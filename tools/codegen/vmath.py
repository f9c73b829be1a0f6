"""Vector math bodies for gen_vector_kernels.py: Java statements that compute one function of one vector.

Each function returns a list of Java lines that read the vector variable `x` and declare the vector
variable `out`; temporaries are prefixed with `p` so that several bodies can share one method. The
generated kernels call no helper method that takes or returns a vector: C2 stops inlining ordinary
methods once a compilation passes its node cutoff, and a vector crossing a call that was not inlined
is boxed (measured 6.2 ns/element for tanh through helpers against 0.70 inline). The Vector API's
own methods are force-inlined, so bodies written inline are always compiled as vector code.

Accuracy (float; proven by ./jtorch sweep over every float): exp 1.06 ulp, sigmoid 1.50 ulp,
tanh 1.41 ulp. Double bodies use the same algorithms with longer polynomials (a few ulp).
"""


class T:
    """The element type: names and constants that differ between float and double."""

    def __init__(self, kind):
        self.f = kind == 'F'
        self.kind = kind
        self.prim = 'float' if self.f else 'double'
        self.box = 'Float' if self.f else 'Double'
        self.V = 'FloatVector' if self.f else 'DoubleVector'
        self.IV = 'IntVector' if self.f else 'LongVector'
        self.species = 'Species.FLOAT' if self.f else 'Species.DOUBLE'
        self.ispecies = 'Species.INT' if self.f else 'Species.LONG'

    def c(self, v):
        """A scalar literal of this type from a Python float or an expression string."""
        if isinstance(v, str):
            return v
        r = repr(float(v))
        return r + 'f' if self.f else r

    def b(self, v):
        """A broadcast vector of a constant."""
        return f'{self.V}.broadcast(S, {self.c(v)})'


LN2 = 0.6931471805599453


def exp_reduce(t, x, p, split=True):
    """fn = round(x / ln2), t = e^r - 1 with r = x - fn ln2, and the two power-of-two halves s1, s2.

    n is read from the bits of x log2e + SHIFTER (one FMA, so fn is exactly round(x log2e)) rather than by a
    float-to-int conversion, whose Java semantics (NaN -> 0, saturation) cost extra instructions (measured
    0.11 ns/element of 0.57). The caller keeps x within the range where |n| < 2^22.
    """
    V, IV = t.V, t.IV
    if t.f:
        log2e, shifter, hi, lo = 1.4426950408889634, 12582912.0, 0.693145751953125, 1.4286068203094172e-06
        coefs = [1 / 2, 1 / 6, 1 / 24, 1 / 120, 1 / 720, 1 / 5040]
        sbits, bias, shift, rei, ibits = '0x4B400000', '127', '23', 'reinterpretAsFloats', 'reinterpretAsInts'
    else:
        log2e, shifter, hi, lo = 1.4426950408889634, 6755399441055744.0, 6.93147180369123816490e-01, 1.90821492927058770002e-10
        import math
        coefs = [1 / math.factorial(k) for k in range(2, 14)]
        sbits, bias, shift, rei, ibits = '0x4338000000000000L', '1023', '52', 'reinterpretAsDoubles', 'reinterpretAsLongs'
    L = [
        f'{V} {p}sh = {x}.fma({t.c(log2e)}, {t.c(shifter)});',
        f'{V} {p}fn = {p}sh.sub({t.c(shifter)});',
        f'{V} {p}r = {p}fn.fma({t.b(-hi)}, {x});',
        f'{p}r = {p}fn.fma({t.b(-lo)}, {p}r);',
        f'{V} {p}q = {p}r.fma({t.c(coefs[-1])}, {t.c(coefs[-2])});',
    ]
    for cf in reversed(coefs[:-2]):
        L.append(f'{p}q = {p}q.fma({p}r, {t.b(cf)});')
    L += [
        f'{V} {p}t = {p}r.mul({p}r).fma({p}q, {p}r);',
        f'{IV} {p}n = {p}sh.{ibits}().sub({sbits});',
    ]
    if not split:
        # one power of two, 2^n: enough where n is within the exponent range (the caller's fast path)
        return L + [f'{V} {p}s = {p}n.add({bias}).lanewise(VectorOperators.LSHL, {shift}).{rei}();']
    L += [
        f'{IV} {p}h = {p}n.lanewise(VectorOperators.ASHR, 1);',
        f'{V} {p}s1 = {p}h.add({bias}).lanewise(VectorOperators.LSHL, {shift}).{rei}();',
        f'{V} {p}s2 = {p}n.sub({p}h).add({bias}).lanewise(VectorOperators.LSHL, {shift}).{rei}();',
    ]
    return L


def clamp(t, x, lo, hi, out):
    """x limited to [lo, hi] by compare and blend (NaN stays NaN): Java-semantics MIN/MAX on floats cost
    several instructions each (measured 0.18 ns/element of exp's 0.57)."""
    return [f'{t.V} {out} = {x}.blend({t.c(lo)}, {x}.compare(VectorOperators.LT, {t.c(lo)}));',
            f'{out} = {out}.blend({t.c(hi)}, {out}.compare(VectorOperators.GT, {t.c(hi)}));']


def ranged(t, x, out, outside, fast, slow):
    """out from the lines `slow` when any lane of x is outside the fast range (the mask expression `outside`),
    else from `fast`: the common case skips what only extreme inputs need (a clamp, a split power of two). Both
    branches assign out; a NaN lane fails every compare, so it takes the fast path, where it stays NaN."""
    return ([f'{t.V} {out};', f'if ({outside}.anyTrue()) {{'] + ['    ' + l for l in slow] + ['} else {']
            + ['    ' + l for l in fast] + ['}'])


def exp(t, x, out, p):
    """e^x = (s1 + s1 t) s2: one rounding for normal results; clamped so exp(-inf) = 0, exp(inf) = inf. Where every
    lane's result is normal (x in [-87, 88] for float) it is s + s t with s = 2^n, the same value (scaling by a
    power of two commutes with the rounding in the normal range) without the clamp and the split."""
    lo, hi = (-104.0, 89.0) if t.f else (-746.0, 710.0)
    flo, fhi = (-87.0, 88.0) if t.f else (-708.0, 709.0)
    L = [f'{t.V} {p}xv = {x};']
    slow = clamp(t, f'{p}xv', lo, hi, f'{p}xc') + exp_reduce(t, f'{p}xc', p) + [
        f'{out} = {p}s1.fma({p}t, {p}s1).mul({p}s2);']
    fast = exp_reduce(t, f'{p}xv', p, split=False) + [f'{out} = {p}s.fma({p}t, {p}s);']
    outside = (f'{p}xv.compare(VectorOperators.LT, {t.c(flo)}).or({p}xv.compare(VectorOperators.GT, '
               f'{t.c(fhi)}))')
    return L + ranged(t, f'{p}xv', out, outside, fast, slow)


def sigmoid(t, x, out, p):
    """1 / (1 + e^-|x|) or e^x / (1 + e^x), numerator and denominator as exact head + tail pairs and the
    quotient corrected by one Newton step (a plain e / (1 + e) reaches 2.24 ulp at x = -2.7513328). The reciprocal
    of the denominator is one division: a minimax line and three Newton steps (seven FMAs) were slower on Zen 4
    (n = 4096: 2.46 us against 2.08, the JDK's 1.38-1.41 in the same runs), with the same sweep result. Where every
    lane has |x| <= 70 (float; 670 double) e^-|x| is normal and its tail exactly representable (a multiple of
    the smallest subnormal), and one power of two replaces the clamp and the split: the same values (see exp)."""
    V = t.V
    lo = -104.0 if t.f else -746.0
    flo = -70.0 if t.f else -670.0
    L = [f'{V} {p}na = {x}.abs().neg();',
         f'VectorMask<{t.box}> {p}pos = {x}.compare(VectorOperators.GE, {t.c(0.0)});',
         f'{V} {p}nh;', f'{V} {p}nl;', f'{V} {p}den;', f'{V} {p}dlo;',
         f'if ({p}na.compare(VectorOperators.LT, {t.c(flo)}).anyTrue()) {{']
    slow = [f'{V} {p}z = {p}na.blend({t.c(lo)}, {p}na.compare(VectorOperators.LT, {t.c(lo)}));']
    slow += exp_reduce(t, f'{p}z', p)
    slow += [
        f'{V} {p}s = {p}s1.mul({p}s2);',
        f'{V} {p}n1 = {p}s1.fma({p}t, {p}s1);',
        f'{V} {p}nlo = {p}s1.fma({p}t, {p}s1.sub({p}n1));',
        f'{p}nh = {p}n1.mul({p}s2).blend({t.c(1.0)}, {p}pos);',
        f'{p}nl = {p}nlo.mul({p}s2).blend({t.c(0.0)}, {p}pos);',
        f'{V} {p}ops = {p}s.add({t.c(1.0)});',
        f'{p}den = {p}s.fma({p}t, {p}ops);',
        f'{p}dlo = {p}s.fma({p}t, {p}ops.sub({p}den));',
    ]
    fast = exp_reduce(t, f'{p}na', p, split=False)
    fast += [
        f'{V} {p}n1 = {p}s.fma({p}t, {p}s);',
        f'{p}nh = {p}n1.blend({t.c(1.0)}, {p}pos);',
        f'{p}nl = {p}s.fma({p}t, {p}s.sub({p}n1)).blend({t.c(0.0)}, {p}pos);',
        f'{V} {p}ops = {p}s.add({t.c(1.0)});',
        f'{p}den = {p}s.fma({p}t, {p}ops);',
        f'{p}dlo = {p}s.fma({p}t, {p}ops.sub({p}den));',
    ]
    L += ['    ' + l for l in slow] + ['} else {'] + ['    ' + l for l in fast] + ['}']
    L += [f'{V} {p}inv = {t.b(1.0)}.div({p}den);']
    L += [
        f'{V} {p}q0 = {p}nh.mul({p}inv);',
        f'{V} {p}res = {p}q0.neg().fma({p}den, {p}nh);',
        f'{p}res = {p}q0.neg().fma({p}dlo, {p}res.add({p}nl));',
        f'{V} {out} = {p}res.fma({p}inv, {p}q0);',
    ]
    return L


TANH_F = [-0.3333333080279843, 0.1333320601038949, -0.053946763270889445, 0.02170070420231481,
          -0.008177400369333237, 0.002142963591765134]
TANH_D = [-0.33333333333333315, 0.13333333333329744, -0.05396825396605902, 0.02186948846871787,
          -0.008863234312610612, 0.0035921140001428597, -0.0014557259495594482, 0.0005894518046174504,
          -0.00023701174455957393, 9.155843514811393e-05, -3.0187242388730487e-05, 6.042477315466652e-06]


def copysign(t, mag, sign, out):
    if t.f:
        return [f'{t.V} {out} = {mag}.reinterpretAsInts().or({sign}.reinterpretAsInts().and(0x80000000))'
                f'.reinterpretAsFloats();']
    return [f'{t.V} {out} = {mag}.reinterpretAsLongs().or({sign}.reinterpretAsLongs().and(0x8000000000000000L))'
            f'.reinterpretAsDoubles();']


def tanh(t, x, out, p):
    """x + x^3 P(x^2) for |x| < 0.625 (tools/coeffs/fit_tanh.py); beyond, with u = e^(-2|x|), 1 - 2u / (1 + u)
    with the reciprocal by one division (see sigmoid); the sign of x copied back (tanh(-0) = -0)."""
    V = t.V
    one = 10.0 if t.f else 20.0
    co = TANH_F if t.f else TANH_D
    L = [f'{V} {p}ax = {x}.abs();',
         f'{V} {p}a2 = {p}ax.blend({t.c(one)}, {p}ax.compare(VectorOperators.GT, {t.c(one)})).mul({t.c(-2.0)});']
    L += exp_reduce(t, f'{p}a2', p, split=False)
    L += [f'{V} {p}u = {p}s.fma({p}t, {p}s);',  # e^(-2|x|), normal since |x| <= clamp: one power of two
          f'{V} {p}d = {p}u.add({t.c(1.0)});']
    # 1 / (1 + u) for u in (0, e^-1.25] (the big branch's range): d in [1, 1.2865]
    L += [f'{V} {p}inv = {t.b(1.0)}.div({p}d);']
    L += [
        f'{V} {p}big = {p}u.mul({t.c(-2.0)}).fma({p}inv, {t.b(1.0)});',
        f'{V} {p}x2 = {p}ax.mul({p}ax);',
        f'{V} {p}p = {p}x2.fma({t.c(co[-1])}, {t.c(co[-2])});',
    ]
    for cf in reversed(co[:-2]):
        L.append(f'{p}p = {p}p.fma({p}x2, {t.b(cf)});')
    L += [
        f'{V} {p}sm = {p}ax.mul({p}x2).fma({p}p, {p}ax);',
        f'{V} {p}mag = {p}big.blend({p}sm, {p}ax.compare(VectorOperators.LT, {t.c(0.625)}));',
    ]
    L += copysign(t, f'{p}mag', x, out)
    return L


def log(t, x, out, p):
    """x = m 2^k, m in [sqrt(1/2), sqrt(2)); log m = 2 atanh((m - 1) / (m + 1)); subnormals prescaled."""
    V, IV = t.V, t.IV
    if t.f:
        minn, scale, sbits, magic, off, mant, bias, sh = ('Float.MIN_NORMAL', '0x1p23f', '23', '0x3f3504f3',
                                                           '(0x3f800000 - 0x3f3504f3)', '0x007fffff', '127', '23')
        terms, conv, rei, hi, lo = 5, 'I2F', 'reinterpretAsInts', 0.693145751953125, 1.4286068203094172e-06
        zero = f'IntVector.zero({t.ispecies})'
    else:
        minn, scale, sbits, magic, off, mant, bias, sh = ('Double.MIN_NORMAL', '0x1p52', '52', '0x3fe6a09e667f3bcdL',
                                                           '(0x3ff0000000000000L - 0x3fe6a09e667f3bcdL)',
                                                           '0x000fffffffffffffL', '1023', '52')
        terms, conv, rei, hi, lo = 11, 'L2D', 'reinterpretAsLongs', 6.93147180369123816490e-01, 1.90821492927058770002e-10
        zero = f'LongVector.zero({t.ispecies})'
    back = 'reinterpretAsFloats' if t.f else 'reinterpretAsDoubles'
    L = [
        f'VectorMask<{t.box}> {p}sub = {x}.compare(VectorOperators.LT, {minn});',
        f'{V} {p}xs = {x}.blend({x}.mul({scale}), {p}sub);',
        f'{IV} {p}ix = {p}xs.{rei}().add({off});',
        f'{IV} {p}k = {p}ix.lanewise(VectorOperators.ASHR, {sh}).sub({bias});',
        f'{p}k = {p}k.sub({zero}.blend({sbits}, {p}sub.cast({t.ispecies})));',
        f'{V} {p}m = {p}ix.and({mant}).add({magic}).{back}();',
        f'{V} {p}f = {p}m.sub({t.c(1.0)});',
        f'{V} {p}s = {p}f.div({p}f.add({t.c(2.0)}));',
        f'{V} {p}s2 = {p}s.mul({p}s);',
        f'{V} {p}q = {p}s2.fma({t.c(2.0 / (2 * terms + 1))}, {t.c(2.0 / (2 * terms - 1))});',
    ]
    for j in range(terms - 2, 0, -1):
        L.append(f'{p}q = {p}q.fma({p}s2, {t.b(2.0 / (2 * j + 1))});')
    L += [
        f'{V} {p}lm = {p}s.mul({p}s2).fma({p}q, {p}s.mul({t.c(2.0)}));',
        f'{V} {p}kf = ({V}) {p}k.convert(VectorOperators.{conv}, 0);',
        f'{V} {out} = {p}kf.fma({t.b(hi)}, {p}kf.fma({t.b(lo)}, {p}lm));',
        f'{out} = {out}.blend({x}, {x}.test(VectorOperators.IS_NAN).or({x}.compare(VectorOperators.EQ, '
        f'{t.box}.POSITIVE_INFINITY)));',
        f'{out} = {out}.blend({t.box}.NEGATIVE_INFINITY, {x}.compare(VectorOperators.EQ, {t.c(0.0)}));',
        f'{out} = {out}.blend({t.box}.NaN, {x}.compare(VectorOperators.LT, {t.c(0.0)}));',
    ]
    return L


def erf(t, x, out, p):
    """The positive series 2/sqrt(pi) x e^(-x^2) sum (2x^2)^n / (2n+1)!! below SPLIT, one minus erfc's
    continued fraction above, +-1 beyond CLAMP."""
    V = t.V
    clamp, split, nser, ncf = (4.0, 2.0, 20, 12) if t.f else (6.0, 3.5, 55, 30)
    L = [
        f'{V} {p}ax = {x}.abs().min({t.c(clamp)});',
        f'{V} {p}u = {p}ax.mul({p}ax);',
        f'{V} {p}h = {t.b(1.0)};',
        f'for (int {p}j = {nser}; {p}j >= 1; {p}j--) {{',
        f'    {p}h = {p}u.mul({t.c(2.0)} / (2 * {p}j + 1)).fma({p}h, {t.b(1.0)});',
        '}',
    ]
    L += exp(t, f'{p}u.neg()', f'{p}e', p + 'e')
    L += [
        f'{V} {p}ser = {p}ax.mul({t.c(1.1283791670955126)}).mul({p}e).mul({p}h);',
        f'{V} {p}xf = {p}ax.max({t.c(split)});',
        f'{V} {p}cf = {p}xf;',
        f'for (int {p}j = {ncf}; {p}j >= 1; {p}j--) {{',
        f'    {p}cf = {p}xf.add({t.b(f"{p}j * {t.c(0.5)}")}.div({p}cf));',
        '}',
        f'{V} {p}erfc = {p}e.mul({t.c(0.5641895835477563)}).div({p}cf).neg().add({t.c(1.0)});',
        f'{V} {p}mag = {p}erfc.blend({p}ser, {p}ax.compare(VectorOperators.LT, {t.c(split)}));',
        f'{p}mag = {p}mag.blend({x}, {x}.test(VectorOperators.IS_NAN));',
    ]
    L += copysign(t, f'{p}mag', x, out)
    return L

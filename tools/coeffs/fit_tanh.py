#!/usr/bin/env python3
"""Fits the odd polynomial used by the float and double tanh kernels near zero.

tanh(x) ~= x + x^3 * P(x^2) on |x| <= XMAX, where P has DEG+1 coefficients.  The fit minimises
the relative error with a weighted least-squares on Chebyshev nodes, iterated towards
equioscillation (Lawson's algorithm), all in 50-digit arithmetic with mpmath. It prints the
coefficients as Java literals and the maximum relative error over a dense grid after rounding
the coefficients to the target precision.

Usage: python3 tools/coeffs/fit_tanh.py   (needs mpmath)
"""
import mpmath as mp

mp.mp.dps = 50


def fit(xmax, deg, iters=60, npts=400):
    xs = [xmax * (mp.cos(mp.pi * (2 * i + 1) / (2 * npts)) + 1) / 2 for i in range(npts)]
    xs = [x for x in xs if x > mp.mpf('1e-6')]
    w = [mp.mpf(1)] * len(xs)
    # unknowns c0..cdeg: tanh(x) - x = x^3 * sum c_j x^(2j); relative error divides by tanh(x)
    for _ in range(iters):
        rows, rhs = [], []
        for x, wi in zip(xs, w):
            t = mp.tanh(x)
            s = mp.sqrt(wi)
            rows.append([s * x ** (3 + 2 * j) / t for j in range(deg + 1)])
            rhs.append(s * (t - x) / t)
        A = mp.matrix(rows)
        b = mp.matrix(rhs)
        c = mp.lu_solve(A.T * A, A.T * b)
        errs = [abs((x + sum(c[j] * x ** (3 + 2 * j) for j in range(deg + 1)) - mp.tanh(x)) / mp.tanh(x)) for x in xs]
        tot = sum(wi * e for wi, e in zip(w, errs))
        w = [wi * e / tot for wi, e in zip(w, errs)]
    return [c[j] for j in range(deg + 1)]


def check(c, xmax, cast):
    worst = 0
    for i in range(1, 20001):
        x = xmax * i / 20000
        cc = [cast(v) for v in c]
        x2 = x * x
        p = cc[-1]
        for v in reversed(cc[:-1]):
            p = p * x2 + v
        y = x + x * x2 * p
        worst = max(worst, abs((y - mp.tanh(x)) / mp.tanh(x)))
    return worst


if __name__ == '__main__':
    import struct
    f32 = lambda v: struct.unpack('f', struct.pack('f', float(v)))[0]
    for name, xmax, deg, cast, suffix in [('float', mp.mpf('0.625'), 5, f32, 'f'),
                                          ('double', mp.mpf('0.625'), 11, float, '')]:
        c = fit(xmax, deg)
        print(f'// {name}: |x| <= {xmax}, max relative error {mp.nstr(check(c, xmax, cast), 3)} (coefficients rounded)')
        for j, v in enumerate(c):
            print(f'    {float(v)!r}{suffix}, // x^{3 + 2 * j}')

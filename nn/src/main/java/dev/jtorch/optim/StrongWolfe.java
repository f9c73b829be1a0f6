package dev.jtorch.optim;

import dev.jtorch.Tensor;

/**
 * The strong-Wolfe line search of {@link LBFGS} (PyTorch's {@code _strong_wolfe} and {@code _cubic_interpolate},
 * after minFunc): bracketing with cubic extrapolation, then zoom by cubic interpolation with safeguards.
 */
final class StrongWolfe {
    private StrongWolfe() {
    }

    /** The loss and flat gradient at {@code x + t * d} (the parameters are restored afterwards). */
    interface Objective {
        Result evaluate(double t);
    }

    /** A loss and its flat gradient. */
    record Result(double loss, Tensor grad) {
    }

    /** What the search found: loss and gradient at step {@code t}, and how many evaluations it took. */
    record Found(double loss, Tensor grad, double t, int evals) {
    }

    /** The minimum of the cubic through (x1, f1, g1) and (x2, f2, g2), clamped to the bounds. */
    static double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2, double lo,
                                   double hi) {
        double d1 = g1 + g2 - 3 * (f1 - f2) / (x1 - x2);
        double d2Square = d1 * d1 - g1 * g2;
        if (d2Square >= 0) {
            double d2 = Math.sqrt(d2Square);
            double minPos = x1 <= x2
                    ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2))
                    : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
            return Math.min(Math.max(minPos, lo), hi);
        }
        return (lo + hi) / 2;
    }

    private static double cubicInterpolate(double x1, double f1, double g1, double x2, double f2, double g2) {
        return cubicInterpolate(x1, f1, g1, x2, f2, g2, Math.min(x1, x2), Math.max(x1, x2));
    }

    /** PyTorch's search from step {@code t} along {@code d}, with loss {@code f}, gradient {@code g}, slope
     * {@code gtd} at the start; c1 1e-4, c2 0.9, at most 25 evaluations. */
    static Found search(Objective obj, double t, Tensor d, double f, Tensor g, double gtd, double toleranceChange) {
        final double c1 = 1e-4;
        final double c2 = 0.9;
        final int maxLs = 25;
        double dNorm = d.abs().max().item();
        g = g.clone();
        Result r = obj.evaluate(t);
        double fNew = r.loss();
        Tensor gNew = r.grad();
        int evals = 1;
        double gtdNew = gNew.dot(d).item();
        double tPrev = 0;
        double fPrev = f;
        Tensor gPrev = g;
        double gtdPrev = gtd;
        boolean done = false;
        int lsIter = 0;
        double[] bracket = null;
        double[] bracketF = null;
        Tensor[] bracketG = null;
        double[] bracketGtd = null;
        while (lsIter < maxLs) {
            if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
                bracket = new double[] {tPrev, t};
                bracketF = new double[] {fPrev, fNew};
                bracketG = new Tensor[] {gPrev, gNew.clone()};
                bracketGtd = new double[] {gtdPrev, gtdNew};
                break;
            }
            if (Math.abs(gtdNew) <= -c2 * gtd) {
                bracket = new double[] {t};
                bracketF = new double[] {fNew};
                bracketG = new Tensor[] {gNew};
                done = true;
                break;
            }
            if (gtdNew >= 0) {
                bracket = new double[] {tPrev, t};
                bracketF = new double[] {fPrev, fNew};
                bracketG = new Tensor[] {gPrev, gNew.clone()};
                bracketGtd = new double[] {gtdPrev, gtdNew};
                break;
            }
            double minStep = t + 0.01 * (t - tPrev);
            double maxStep = t * 10;
            double tmp = t;
            t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, minStep, maxStep);
            tPrev = tmp;
            fPrev = fNew;
            gPrev = gNew.clone();
            gtdPrev = gtdNew;
            r = obj.evaluate(t);
            fNew = r.loss();
            gNew = r.grad();
            evals++;
            gtdNew = gNew.dot(d).item();
            lsIter++;
        }
        if (lsIter == maxLs) {
            bracket = new double[] {0, t};
            bracketF = new double[] {f, fNew};
            bracketG = new Tensor[] {g, gNew};
        }
        boolean insufProgress = false;
        int low = bracketF[0] <= bracketF[bracketF.length - 1] ? 0 : 1;
        int high = 1 - low;
        while (!done && lsIter < maxLs) {
            if (Math.abs(bracket[1] - bracket[0]) * dNorm < toleranceChange) {
                break;
            }
            t = cubicInterpolate(bracket[0], bracketF[0], bracketGtd[0], bracket[1], bracketF[1], bracketGtd[1]);
            double bMax = Math.max(bracket[0], bracket[1]);
            double bMin = Math.min(bracket[0], bracket[1]);
            double eps = 0.1 * (bMax - bMin);
            if (Math.min(bMax - t, t - bMin) < eps) {
                if (insufProgress || t >= bMax || t <= bMin) {
                    t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
                    insufProgress = false;
                } else {
                    insufProgress = true;
                }
            } else {
                insufProgress = false;
            }
            r = obj.evaluate(t);
            fNew = r.loss();
            gNew = r.grad();
            evals++;
            gtdNew = gNew.dot(d).item();
            lsIter++;
            if (fNew > f + c1 * t * gtd || fNew >= bracketF[low]) {
                bracket[high] = t;
                bracketF[high] = fNew;
                bracketG[high] = gNew.clone();
                bracketGtd[high] = gtdNew;
                low = bracketF[0] <= bracketF[1] ? 0 : 1;
                high = 1 - low;
            } else {
                if (Math.abs(gtdNew) <= -c2 * gtd) {
                    done = true;
                } else if (gtdNew * (bracket[high] - bracket[low]) >= 0) {
                    bracket[high] = bracket[low];
                    bracketF[high] = bracketF[low];
                    bracketG[high] = bracketG[low];
                    bracketGtd[high] = bracketGtd[low];
                }
                bracket[low] = t;
                bracketF[low] = fNew;
                bracketG[low] = gNew.clone();
                bracketGtd[low] = gtdNew;
            }
        }
        return new Found(bracketF[low], bracketG[low], bracket[low], evals);
    }
}

package dev.jtorch.backend.cpu;

import dev.jtorch.backend.Op;

/** Contiguous tensor op scalar for float32 and float64 (x + 2, x * 0.5): plain loops C2 vectorizes. */
final class CpuScalarOps {
    private CpuScalarOps() {
    }

    static boolean floatScalar(Op op, float[] x, int xo, float s, float[] y, int yo, int n, float alpha) {
        switch (op) {
            case ADD -> {
                float t = alpha * s;
                for (int i = 0; i < n; i++) y[yo + i] = x[xo + i] + t;
            }
            case SUB -> {
                float t = alpha * s;
                for (int i = 0; i < n; i++) y[yo + i] = x[xo + i] - t;
            }
            case MUL -> { for (int i = 0; i < n; i++) y[yo + i] = x[xo + i] * s; }
            case DIV -> { for (int i = 0; i < n; i++) y[yo + i] = x[xo + i] / s; }
            default -> {
                return false;
            }
        }
        return true;
    }

    static boolean doubleScalar(Op op, double[] x, int xo, double s, double[] y, int yo, int n, double alpha) {
        switch (op) {
            case ADD -> {
                double t = alpha * s;
                for (int i = 0; i < n; i++) y[yo + i] = x[xo + i] + t;
            }
            case SUB -> {
                double t = alpha * s;
                for (int i = 0; i < n; i++) y[yo + i] = x[xo + i] - t;
            }
            case MUL -> { for (int i = 0; i < n; i++) y[yo + i] = x[xo + i] * s; }
            case DIV -> { for (int i = 0; i < n; i++) y[yo + i] = x[xo + i] / s; }
            default -> {
                return false;
            }
        }
        return true;
    }
}

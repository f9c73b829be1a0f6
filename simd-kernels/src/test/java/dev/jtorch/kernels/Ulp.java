package dev.jtorch.kernels;

import java.util.function.DoubleUnaryOperator;

/** Float ulp errors against a double reference, used by the sampled and the exhaustive accuracy tests. */
final class Ulp {
    private Ulp() {
    }

    /**
     * |y - ref| in units of the last place of the float nearest to ref; 0 when both are the same special value,
     * infinity when one is special and the other not.
     */
    static double error(float y, double ref) {
        if (Double.isNaN(ref)) {
            return Float.isNaN(y) ? 0 : Double.POSITIVE_INFINITY;
        }
        float rf = (float) ref;
        if (Float.isInfinite(rf) || Float.isInfinite(y) || Float.isNaN(y)) {
            return y == rf ? 0 : Double.POSITIVE_INFINITY;
        }
        return Math.abs(y - ref) / Math.ulp(rf);
    }

    /** The functions the 2-ulp promise covers, with their references. */
    enum Fn {
        EXP(Math::exp), SIGMOID(ScalarActivations::sigmoid), TANH(Math::tanh);

        final DoubleUnaryOperator reference;

        Fn(DoubleUnaryOperator reference) {
            this.reference = reference;
        }

        void apply(float[] x, float[] y, int n) {
            switch (this) {
                case EXP -> Activations.exp(x, 0, y, 0, n);
                case SIGMOID -> Activations.sigmoid(x, 0, y, 0, n);
                case TANH -> Activations.tanh(x, 0, y, 0, n);
            }
        }
    }

    /** Worst error and where, over a batch of inputs. */
    static final class Worst {
        double ulps;
        float at = Float.NaN;
        long count;
        long overOne;

        void add(float[] x, float[] y, int n, DoubleUnaryOperator ref) {
            for (int i = 0; i < n; i++) {
                double e = error(y[i], ref.applyAsDouble(x[i]));
                count++;
                if (e > 1) {
                    overOne++;
                }
                if (e > ulps || Double.isNaN(e)) {
                    ulps = Double.isNaN(e) ? Double.POSITIVE_INFINITY : e;
                    at = x[i];
                }
            }
        }

        void merge(Worst o) {
            count += o.count;
            overOne += o.overOne;
            if (o.ulps > ulps) {
                ulps = o.ulps;
                at = o.at;
            }
        }

        @Override
        public String toString() {
            return String.format("max %.3f ulp at x = %s (%s), %d of %d inputs above 1 ulp",
                    ulps, Float.toString(at), Integer.toHexString(Float.floatToRawIntBits(at)), overOne, count);
        }
    }
}

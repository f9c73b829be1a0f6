package dev.jtorch;

/**
 * A seedable random number generator, like {@code torch.Generator}: the same Mersenne Twister (mt19937) as
 * PyTorch's CPU generator, with PyTorch's transformations, so that after the same seed {@code rand},
 * {@code randint} and float64 {@code randn} produce PyTorch's values (float32 {@code randn} of 16 or more
 * elements agrees to rounding: PyTorch computes it with vectorized float math).
 *
 * <p>Methods are synchronized: a generator may be shared between threads, though the order in which threads
 * draw is then up to the scheduler.
 *
 * <p>Example: {@code Torch.manualSeed(0); Tensor w = Torch.rand(3, 3);} gives {@code torch.rand(3, 3)} after
 * {@code torch.manual_seed(0)}.
 */
public final class Generator {
    private static final int N = 624;
    private static final int M = 397;
    private final int[] mt = new int[N];
    private int mti;
    private long seed;
    private Double nextDoubleNormal;

    /** A generator seeded with {@code seed}. */
    public Generator(long seed) {
        manualSeed(seed);
    }

    /** Reseeds ({@code manual_seed}); returns this. */
    public synchronized Generator manualSeed(long s) {
        seed = s;
        mt[0] = (int) (s & 0xffffffffL);
        for (int i = 1; i < N; i++) {
            mt[i] = 1812433253 * (mt[i - 1] ^ (mt[i - 1] >>> 30)) + i;
        }
        mti = N;
        nextDoubleNormal = null;
        return this;
    }

    /** The seed last set. */
    public synchronized long initialSeed() {
        return seed;
    }

    /** The next 32 random bits, as an unsigned value. */
    public synchronized long random() {
        if (mti >= N) {
            twist();
        }
        int y = mt[mti++];
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y & 0xffffffffL;
    }

    /** The next 64 random bits (two draws, first one high). */
    public synchronized long random64() {
        long hi = random();
        long lo = random();
        return (hi << 32) | lo;
    }

    private void twist() {
        for (int i = 0; i < N; i++) {
            int y = (mt[i] & 0x80000000) | (mt[(i + 1) % N] & 0x7fffffff);
            int v = mt[(i + M) % N] ^ (y >>> 1);
            if ((y & 1) != 0) {
                v ^= 0x9908b0df;
            }
            mt[i] = v;
        }
        mti = 0;
    }

    /**
     * Uniform in [from, to) with float32's 24 random bits, as PyTorch's uniform_ on float tensors: the bounds
     * are rounded to float and the affine map is computed in float.
     */
    public synchronized float uniformFloat(double from, double to) {
        float x = (random() & ((1L << 24) - 1)) * (1.0f / (1L << 24));
        float f = (float) from;
        float t = (float) to;
        // PyTorch's CPU build contracts x * (to - from) + from into one fused multiply-add
        return Math.fma(x, t - f, f);
    }

    /** Uniform in [from, to) with 53 random bits, as uniform_ on double tensors (one fused multiply-add). */
    public synchronized double uniformDouble(double from, double to) {
        double x = (random64() & ((1L << 53) - 1)) * (1.0 / (1L << 53));
        return Math.fma(x, to - from, from);
    }

    /** One normal sample as at::normal_distribution&lt;double&gt; (Box-Muller, second value cached). */
    public synchronized double normalDouble(double mean, double std) {
        if (nextDoubleNormal != null) {
            double r = nextDoubleNormal;
            nextDoubleNormal = null;
            return r * std + mean;
        }
        double u1 = uniformDouble(0, 1);
        double u2 = uniformDouble(0, 1);
        double r = Math.sqrt(-2.0 * Math.log1p(-u2));
        double theta = 2.0 * Math.PI * u1;
        nextDoubleNormal = r * Math.sin(theta);
        return r * Math.cos(theta) * std + mean;
    }

    /** Fills {@code out} with uniform values as PyTorch's uniform_ (float32: 24 bits, else 53 bits). */
    synchronized void fillUniform(double[] out, DType dtype, double from, double to) {
        for (int i = 0; i < out.length; i++) {
            out[i] = dtype == DType.FLOAT64 ? uniformDouble(from, to) : uniformFloat(from, to);
        }
    }

    /**
     * Fills {@code out} with normal values as PyTorch's normal_: contiguous tensors of 16 or more elements use
     * normal_fill (uniforms first, then Box-Muller in blocks of 16, the tail block redone), smaller ones the
     * per-element double sampler.
     */
    synchronized void fillNormal(double[] out, DType dtype, double mean, double std) {
        int n = out.length;
        if (n < 16) {
            for (int i = 0; i < n; i++) {
                out[i] = normalDouble(mean, std);
            }
            return;
        }
        boolean single = dtype != DType.FLOAT64;
        for (int i = 0; i < n; i++) {
            out[i] = single ? uniformFloat(0, 1) : uniformDouble(0, 1);
        }
        for (int i = 0; i + 16 <= n; i += 16) {
            normalFill16(out, i, mean, std, single);
        }
        if (n % 16 != 0) {
            int start = n - 16;
            for (int i = 0; i < 16; i++) {
                out[start + i] = single ? uniformFloat(0, 1) : uniformDouble(0, 1);
            }
            normalFill16(out, start, mean, std, single);
        }
    }

    private static void normalFill16(double[] d, int o, double mean, double std, boolean single) {
        for (int j = 0; j < 8; j++) {
            double u1 = 1 - d[o + j];
            double u2 = d[o + j + 8];
            double radius = Math.sqrt(-2 * Math.log(u1));
            double theta = 2.0 * Math.PI * u2;
            if (single) {
                float r = (float) radius;
                d[o + j] = r * (float) Math.cos((float) theta) * (float) std + (float) mean;
                d[o + j + 8] = r * (float) Math.sin((float) theta) * (float) std + (float) mean;
            } else {
                d[o + j] = radius * Math.cos(theta) * std + mean;
                d[o + j + 8] = radius * Math.sin(theta) * std + mean;
            }
        }
    }

    /** An integer in [low, high) as PyTorch's random_(from, to). */
    public synchronized long randint(long low, long high) {
        if (high <= low) {
            throw new IllegalArgumentException("random_ expects 'from' to be less than 'to', but got from=" + low
                    + " >= to=" + high);
        }
        long range = high - low;
        if (range >= 1L << 32) {
            return Long.remainderUnsigned(random64(), range) + low;
        }
        return random() % range + low;
    }
}

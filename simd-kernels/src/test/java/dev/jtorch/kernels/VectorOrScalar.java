package dev.jtorch.kernels;

/**
 * Picks the vector implementation when the vector path is on and the scalar twin otherwise, so that the
 * twin tests also run (trivially) with the scalar path forced, without loading Vector API classes there.
 */
final class VectorOrScalar {
    private VectorOrScalar() {
    }

    static ActivationsTest.FloatKernel f(ActivationsTest.FloatKernel vector, ActivationsTest.FloatKernel scalar) {
        return Kernels.VECTOR ? vector : scalar;
    }

    static ActivationsTest.DoubleKernel d(ActivationsTest.DoubleKernel vector, ActivationsTest.DoubleKernel scalar) {
        return Kernels.VECTOR ? vector : scalar;
    }
}

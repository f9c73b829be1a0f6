/**
 * jtorch's SIMD kernel core: pure static kernels on {@code float[]} and {@code double[]} with explicit
 * offsets, leading dimensions and lengths (GEMM, activations, fused RNN gates, elementwise arithmetic and
 * row-wise reductions).
 *
 * <p>The Vector API ({@code jdk.incubator.vector}) is an optional dependency: when the module is not
 * readable (the JVM was started without {@code --add-modules jdk.incubator.vector}) or the JIT is off,
 * every kernel falls back to its scalar twin and one line says why. See {@link dev.jtorch.kernels.Kernels}.
 */
module dev.jtorch.kernels {
    requires static jdk.incubator.vector;
    requires static java.management;

    exports dev.jtorch.kernels;
}

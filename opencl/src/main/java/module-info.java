/**
 * jtorch's OpenCL backend: bindings to the system's OpenCL library through java.lang.foreign (the only jtorch
 * module that uses it), generated elementwise kernels and a caching device allocator. The engine finds it
 * through its backend registry, so tensors move to {@code Device.opencl(i)} once this module is on the module or
 * class path; the JVM must grant it native access ({@code --enable-native-access=dev.jtorch.opencl}, or
 * {@code ALL-UNNAMED} on the class path).
 */
module dev.jtorch.opencl {
    requires transitive dev.jtorch.engine;

    exports dev.jtorch.opencl;

    provides dev.jtorch.backend.BackendProvider with dev.jtorch.opencl.OpenClProvider;
}

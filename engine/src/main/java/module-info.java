/** jtorch's tensor engine: Tensor, dtypes, devices, autograd, backends and io (built on dev.jtorch.kernels). */
@SuppressWarnings("module") // the qualified export names dev.jtorch.nn, which is compiled after this module
module dev.jtorch.engine {
    requires transitive dev.jtorch.kernels;
    requires org.eclipse.collections.api;
    requires org.eclipse.collections.impl;

    exports dev.jtorch;
    exports dev.jtorch.autograd;
    exports dev.jtorch.backend;
    exports dev.jtorch.backend.cpu;
    exports dev.jtorch.io;

    // backends of other devices (the OpenCL module) are found at run time
    uses dev.jtorch.backend.BackendProvider;
    // Numel: the int element counts nn needs, with jtorch's limit in the message; not part of the public API
    exports dev.jtorch.internal to dev.jtorch.nn;
}

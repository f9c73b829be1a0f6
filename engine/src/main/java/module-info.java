/** jtorch's tensor engine: Tensor, dtypes, devices, autograd, backends and io (built on dev.jtorch.kernels). */
module dev.jtorch.engine {
    requires transitive dev.jtorch.kernels;

    exports dev.jtorch;
}

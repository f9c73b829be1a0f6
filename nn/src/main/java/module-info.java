/** jtorch's torch.nn: Parameter, Module, layers, functional, init, optim (built on dev.jtorch.engine). */
module dev.jtorch.nn {
    requires transitive dev.jtorch.engine;
}

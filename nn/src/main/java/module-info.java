/** jtorch's torch.nn: Parameter, Module, layers, functional, init, optim (built on dev.jtorch.engine). */
module dev.jtorch.nn {
    requires transitive dev.jtorch.engine;

    exports dev.jtorch.nn;
    exports dev.jtorch.nn.functional;
    exports dev.jtorch.nn.init;
    exports dev.jtorch.nn.parallel;
    exports dev.jtorch.nn.utils;
    exports dev.jtorch.nn.utils.prune;
    exports dev.jtorch.nn.utils.rnn;
    exports dev.jtorch.optim;
}

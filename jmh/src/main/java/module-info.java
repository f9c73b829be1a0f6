/**
 * jtorch's JMH benchmarks and the report generator. The benchmarks run on the class path (JMH's forked
 * runners expect it); this descriptor states the dependencies when the module is compiled.
 */
module dev.jtorch.jmh {
    requires dev.jtorch.kernels;
    requires dev.jtorch.nn;
    requires dev.jtorch.engine;
    requires jdk.incubator.vector;
    requires jmh.core;
    requires ejml.core;
    requires ejml.fdense;
    requires org.bytedeco.javacpp;
    requires org.bytedeco.openblas;

    exports dev.jtorch.bench;
}

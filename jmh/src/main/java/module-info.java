/**
 * jtorch's JMH benchmarks and the report generator. The benchmarks run on the class path (JMH's forked
 * runners expect it); this descriptor states the dependencies when the module is compiled. It exports nothing:
 * no module reads this one, and an exported package would make javac ask for constructors and
 * {@code requires transitive} that only an API needs, and the compiler plugin warn about the automatic modules
 * (JMH, EJML) as if this were a library to publish.
 */
module dev.jtorch.jmh {
    requires dev.jtorch.kernels;
    requires dev.jtorch.nn;
    requires dev.jtorch.engine;
    requires dev.jtorch.opencl;
    requires jdk.incubator.vector;
    requires jmh.core;
    requires ejml.core;
    requires ejml.fdense;
    requires org.bytedeco.javacpp;
    requires org.bytedeco.openblas;
    requires com.microsoft.onnxruntime;
}

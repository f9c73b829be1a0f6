/** A program that uses jtorch: on the module path it reads jtorch's modules by their JPMS names. */
module com.example.consumer {
    requires dev.jtorch.nn;   // and, through it, dev.jtorch.engine and dev.jtorch.kernels
}

/** The jtorch command line and examples of embedding jtorch. */
module dev.jtorch.examples {
    requires dev.jtorch.nn;
}

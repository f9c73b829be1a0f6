/** The jtorch command line and examples of embedding jtorch. */
module dev.jtorch.examples {
    requires dev.jtorch.nn;
    requires info.picocli;
    requires java.management;

    // picocli reads and sets the commands' annotated fields by reflection
    opens dev.jtorch.examples to info.picocli;
}

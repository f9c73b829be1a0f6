/** The jtorch command line and examples of embedding jtorch. */
module dev.jtorch.examples {
    requires transitive dev.jtorch.nn;
    requires info.picocli;
    requires java.management;

    // the demos' models and data, for the spark-demo module
    exports dev.jtorch.examples;
    // picocli reads and sets the commands' annotated fields by reflection
    opens dev.jtorch.examples to info.picocli;
}

package dev.jtorch.examples;

import java.nio.file.Path;

import picocli.CommandLine.Option;

/**
 * {@code ./jtorch spark-demo}'s settings, with their defaults: declared here so that {@code ./jtorch help} lists
 * them and the script checks them before its build; the demo itself lives in the spark-demo module (it needs
 * Spark on the class path), {@code dev.jtorch.spark.demo.SparkDemo}.
 */
public final class SparkDemoOptions {
    /** The defaults. */
    public SparkDemoOptions() {
    }

    /** Spark's master URL. */
    @Option(names = "--master", paramLabel = "URL", description = "Spark master (default: ${DEFAULT-VALUE}).")
    public String master = "local[2]";
    /** Partitions of the verses and of the digits. */
    @Option(names = "--partitions", converter = Commands.AtLeastOne.class, paramLabel = "N",
            description = "Partitions of the data (default: ${DEFAULT-VALUE}).")
    public int partitions = 2;
    /** The character model's checkpoint (./jtorch demo writes it). */
    @Option(names = "--checkpoint", paramLabel = "PATH", description = "The character model's safetensors "
            + "checkpoint, from ./jtorch demo; trained here for --char-steps if missing (default: ${DEFAULT-VALUE}).")
    public Path checkpoint = Path.of("target", "demo", "charlm.safetensors");
    /** Training steps of the character model when there is no checkpoint. */
    @Option(names = "--char-steps", converter = Commands.AtLeastOne.class, paramLabel = "N",
            description = "Training steps of the character model if the checkpoint is missing "
                    + "(default: ${DEFAULT-VALUE}).")
    public int charSteps = 600;
    /** Verses per forward. */
    @Option(names = "--batch", converter = Commands.AtLeastOne.class, paramLabel = "N",
            description = "Verses per forward when scoring (default: ${DEFAULT-VALUE}).")
    public int batch = 32;
    /** Epochs of the digits CNN. */
    @Option(names = "--epochs", converter = Commands.AtLeastOne.class, paramLabel = "N",
            description = "Epochs of the digits CNN, on Spark and in one JVM (default: ${DEFAULT-VALUE}).")
    public int epochs = 12;
    /** Adam's learning rate for the CNN. */
    @Option(names = "--lr", converter = Commands.Positive.class, paramLabel = "X",
            description = "Adam's learning rate for the CNN (default: ${DEFAULT-VALUE}).")
    public double lr = 0.005;
    /** Images per step over all partitions. */
    @Option(names = "--cnn-batch", converter = Commands.AtLeastOne.class, paramLabel = "N",
            description = "Images per CNN step over all partitions (default: ${DEFAULT-VALUE}).")
    public int cnnBatch = 32;
    /** Random seed. */
    @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
    public long seed = 0;
    /** Measure scoring throughput on local[1] and local[2] instead. */
    @Option(names = "--scaling", description = "Instead of the demo: a JMH run of the verses' scoring rate (rows/s) "
            + "through JtorchModel on local[1] and local[2], and of the same forwards without Spark (the figure "
            + "in docs/spark.md; about 2.5 minutes).")
    public boolean scaling;
    /** Measured JMH iterations per case with --scaling. */
    @Option(names = "--repeats", converter = Commands.AtLeastOne.class, paramLabel = "N",
            description = "Measured JMH iterations (one pass each) per case with --scaling "
                    + "(default: ${DEFAULT-VALUE}).")
    public int repeats = 5;
    /** How progress is shown. */
    @Option(names = "--progress", paramLabel = "auto|bar|lines",
            description = "Progress display: a bar on a terminal, a line every 5 s otherwise (default: auto).")
    public ProgressBar.Mode progress = ProgressBar.Mode.AUTO;
}

package dev.jtorch.spark.demo;

import dev.jtorch.DType;
import dev.jtorch.Generator;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.examples.CharLm;
import dev.jtorch.examples.DigitsCnn;
import dev.jtorch.examples.ProgressBar;
import dev.jtorch.examples.SparkDemoOptions;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.functional.F;
import dev.jtorch.optim.Adam;
import dev.jtorch.spark.JtorchModel;
import dev.jtorch.spark.ModelFactory;
import dev.jtorch.spark.OptimizerFactory;
import dev.jtorch.spark.SparkTrainer;
import dev.jtorch.spark.StateDict;

import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.MapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import static org.apache.spark.sql.functions.col;
import static org.apache.spark.sql.functions.exp;
import static org.apache.spark.sql.functions.sum;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code ./jtorch spark-demo}: jtorch on local Apache Spark. Scores every verse of Genesis with the character
 * model of {@code ./jtorch demo} through {@link JtorchModel} (perplexity per verse, the ten most surprising),
 * then trains the digits CNN of {@code ./jtorch demo-cnn} data-parallel over the partitions with
 * {@link SparkTrainer} and in one JVM from the same initial weights, and compares their held-out accuracy.
 * {@code --scaling} measures the scoring rate on local[1] and local[2] instead. Options:
 * {@link SparkDemoOptions}.
 */
public final class SparkDemo {
    private SparkDemo() {
    }

    /** The command line. */
    @Command(name = "spark-demo", mixinStandardHelpOptions = true)
    static final class Cmd implements Callable<Integer> {
        @Mixin
        SparkDemoOptions options;

        @Override
        public Integer call() throws IOException {
            run(options);
            return 0;
        }
    }

    /** Runs the demo; the exit code is 0 on success. */
    public static void main(String[] args) {
        // Spark's task slots are the parallelism: jtorch's kernels run on one thread per task (set before any
        // kernel class loads; -Djtorch.kernels.threads=N overrides)
        if (System.getProperty("jtorch.kernels.threads") == null) {
            System.setProperty("jtorch.kernels.threads", "1");
        }
        CommandLine cl = new CommandLine(new Cmd());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        System.exit(cl.execute(args));
    }

    static SparkSession session(String master) {
        return SparkSession.builder().master(master).appName("jtorch spark-demo")
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false")
                .config("spark.driver.host", "127.0.0.1")
                .getOrCreate();
    }

    static void run(SparkDemoOptions o) throws IOException {
        if (o.scaling) {
            scaling(o);
            return;
        }
        Chars chars = chars(o);
        SparkSession spark = session(o.master);
        try {
            StageProgress stages = new StageProgress();
            spark.sparkContext().addSparkListener(stages);
            System.out.printf(Locale.ROOT, "jtorch spark-demo: Spark %s, master %s, %d partitions%n", spark.version(),
                    o.master, o.partitions);
            verses(spark, o, chars, stages);
            digits(spark, o, stages);
        } finally {
            spark.stop();
        }
    }

    // ------------------------------------------------------------------ the verses

    /** The character model: its checkpoint, vocabulary and sizes. */
    record Chars(StateDict stateDict, String vocab, int hidden, int layers, boolean gru) {
        ModelFactory factory() {
            int v = vocab.length();
            int h = hidden;
            int l = layers;
            boolean g = gru;
            return () -> new VerseScorer(v, h, l, g);
        }
    }

    static Chars chars(SparkDemoOptions o) throws IOException {
        Path ckpt = o.checkpoint;
        if (!Files.exists(ckpt)) {
            System.out.printf(Locale.ROOT, "no character model at %s: training one for %d steps (./jtorch demo trains "
                    + "the full one)%n", ckpt, o.charSteps);
            CharLm.train(o.charSteps, o.seed, ckpt, o.progress);
        }
        return readChars(ckpt);
    }

    /** The character model of a {@code ./jtorch demo} checkpoint. */
    static Chars readChars(Path ckpt) throws IOException {
        StateDict sd = StateDict.read(ckpt.toAbsolutePath().toString());
        Map<String, String> meta;
        try (SafeTensors.Reader r = SafeTensors.open(ckpt)) {
            meta = r.metadata();
        }
        String vocab = meta.get("vocab");
        if (vocab == null) {
            throw new IllegalArgumentException(ckpt + " has no vocabulary in its metadata: is it a ./jtorch demo "
                    + "checkpoint?");
        }
        Map<String, Tensor> t = sd.tensors();
        Tensor whh = t.get("rnn.weight_hh_l0");
        if (whh == null) {
            throw new IllegalArgumentException(ckpt + " has no rnn.weight_hh_l0: is it a ./jtorch demo checkpoint?");
        }
        int layers = (int) t.keySet().stream().filter(k -> k.startsWith("rnn.weight_hh_l")).count();
        return new Chars(sd, vocab, whh.size(1), layers, "gru".equals(meta.get("cell")));
    }

    /**
     * Genesis as verses. The file has no verse numbers: it wraps each verse at 100 characters, each verse on new
     * lines. A verse ends where the next line starts with a capital and its first word would have fit on this
     * line. That finds 1,475 of Genesis's 1,533 verses; a verse whose last line is full stays joined to the
     * next.
     */
    static List<String> verseTexts() throws IOException {
        String[] lines = CharLm.text().split("\n", -1);
        List<String> verses = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isEmpty()) {
                continue;
            }
            if (!cur.isEmpty()) {
                cur.append('\n');
            }
            cur.append(lines[i]);
            String next = i + 1 < lines.length ? lines[i + 1] : "";
            int firstWord = next.indexOf(' ') < 0 ? next.length() : next.indexOf(' ');
            if (next.isEmpty() || lines[i].length() + 1 + firstWord <= 100 && Character.isUpperCase(next.charAt(0))) {
                verses.add(cur.toString());
                cur.setLength(0);
            }
        }
        return verses;
    }

    static final StructType VERSES = new StructType().add("verse", DataTypes.IntegerType)
            .add("text", DataTypes.StringType);
    static final StructType ENCODED = VERSES.add("ids", DataTypes.createArrayType(DataTypes.FloatType, false))
            .add("shape", DataTypes.createArrayType(DataTypes.IntegerType, false));

    /**
     * The verses as a DataFrame in {@code partitions} slices, encoded by Spark: character indices padded with -1
     * to a multiple of 32 (JtorchModel batches the rows of one shape together).
     */
    static Dataset<Row> verseFrame(SparkSession spark, String vocab, int copies, int partitions) throws IOException {
        List<String> texts = verseTexts();
        List<Row> rows = new ArrayList<>();
        for (int c = 0; c < copies; c++) {
            for (int i = 0; i < texts.size(); i++) {
                rows.add(RowFactory.create(i + 1, texts.get(i)));
            }
        }
        Dataset<Row> df = spark.createDataFrame(JavaSparkContext.fromSparkContext(spark.sparkContext())
                .parallelize(rows, partitions), VERSES);
        return df.map((MapFunction<Row, Row>) r -> {
            String s = r.getString(1);
            return RowFactory.create(r.getInt(0), s, ids(s, vocab), new int[] {padded(s)});
        }, Encoders.row(ENCODED));
    }

    /** A verse's length padded to a multiple of 32. */
    static int padded(String s) {
        return (s.length() + 31) / 32 * 32;
    }

    /** A verse's character indices, padded with -1. */
    static float[] ids(String s, String vocab) {
        float[] ids = new float[padded(s)];
        Arrays.fill(ids, -1f);
        for (int j = 0; j < s.length(); j++) {
            ids[j] = Math.max(0, vocab.indexOf(s.charAt(j)));
        }
        return ids;
    }

    static JtorchModel scorer(Chars c, int batch) {
        return new JtorchModel(c.factory(), c.stateDict()).setInputCol("ids").setShapeCol("shape")
                .setOutputCol("nll").setBatchSize(batch);
    }

    static void verses(SparkSession spark, SparkDemoOptions o, Chars c, StageProgress stages) throws IOException {
        int slices = 8 * o.partitions;
        Dataset<Row> df = verseFrame(spark, c.vocab(), 1, slices);
        System.out.printf(Locale.ROOT, "%nScoring the verses of Genesis with the character model (%s, %d hidden, "
                + "%d layer%s; %s) through JtorchModel: %d slices, %d verses per forward%n",
                c.gru() ? "GRU" : "LSTM", c.hidden(), c.layers(), c.layers() == 1 ? "" : "s", o.checkpoint, slices,
                o.batch);
        Dataset<Row> scored = scorer(c, o.batch).transform(df)
                .withColumn("perplexity", exp(col("nll").getItem(0).divide(col("nll").getItem(1))));
        long t0 = stages.tasks();
        ProgressBar bar = new ProgressBar(System.out, "score", slices, o.progress);
        List<Row> rows = watch(bar, stages, t0, () -> scored.select("verse", "text", "nll", "perplexity")
                .collectAsList());
        double secs = bar.seconds();
        bar.finish(slices, String.format(Locale.ROOT, "%d verses, %.0f verses/s", rows.size(), rows.size() / secs));
        double nll = 0;
        double n = 0;
        for (Row r : rows) {
            List<Object> v = r.getList(2);
            nll += ((Number) v.get(0)).doubleValue();
            n += ((Number) v.get(1)).doubleValue();
        }
        System.out.printf(Locale.ROOT, "%d verses, %,.0f characters predicted: perplexity %.3f over the book "
                + "(%.3f bits per character)%n", rows.size(), n, Math.exp(nll / n), nll / n / Math.log(2));
        // one verse checked against the same model run directly in this JVM
        Row first = rows.stream().filter(r -> r.getInt(0) == 1).findFirst().orElseThrow();
        double direct = directPerplexity(c, first.getString(1));
        System.out.printf(Locale.ROOT, "verse #1 scored in this JVM without Spark: perplexity %.5f (Spark: %.5f)%n",
                direct, first.getDouble(3));
        System.out.println("The 10 most surprising verses (highest perplexity; #N: a verse's place in the book):");
        List<Row> top = new ArrayList<>(rows);
        top.sort(Comparator.comparingDouble((Row r) -> r.getDouble(3)).reversed());
        for (Row r : top.subList(0, Math.min(10, top.size()))) {
            String text = r.getString(1).replace('\n', ' ');
            System.out.printf(Locale.ROOT, "  %7.3f  %5s  %s%n", r.getDouble(3), "#" + r.getInt(0),
                    text.length() > 90 ? text.substring(0, 87) + "..." : text);
        }
    }

    /** The perplexity of one verse, scored without Spark and unpadded (so the check covers the padding too). */
    static double directPerplexity(Chars c, String text) {
        Module m = c.stateDict().loadInto(c.factory());
        m.eval();
        float[] ids = new float[text.length()];
        for (int j = 0; j < ids.length; j++) {
            ids[j] = Math.max(0, c.vocab().indexOf(text.charAt(j)));
        }
        try (var _ = Autograd.noGrad()) {
            double[] r = m.call(Torch.tensor(ids, 1, ids.length)).to(DType.FLOAT64).toDoubleArray();
            return Math.exp(r[0] / r[1]);
        }
    }

    /** Runs a Spark action while a thread redraws the bar from the listener's task counts. */
    static <T> T watch(ProgressBar bar, StageProgress stages, long t0, Supplier<T> action) {
        Thread t = Thread.ofPlatform().daemon().start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    bar.update(stages.tasks() - t0, stages.status());
                    Thread.sleep(100);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        try {
            return action.get();
        } finally {
            t.interrupt();
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    // ------------------------------------------------------------------ the digits

    static final StructType DIGITS = new StructType()
            .add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false))
            .add("label", DataTypes.IntegerType);

    static List<Row> digitRows(Tensor x, Tensor y) {
        float[] px = x.contiguous().toFloatArray();
        long[] labels = y.toLongArray();
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < labels.length; i++) {
            rows.add(RowFactory.create(Arrays.copyOfRange(px, 64 * i, 64 * (i + 1)), (int) labels[i]));
        }
        return rows;
    }

    static void digits(SparkSession spark, SparkDemoOptions o, StageProgress stages) throws IOException {
        Tensor[] split = DigitsCnn.split(DigitsCnn.load(), new Generator(o.seed));
        Tensor xTrain = split[0];
        Tensor yTrain = split[1];
        Tensor xTest = split[2];
        Tensor yTest = split[3];
        int nTrain = xTrain.size(0);
        int n = nTrain + xTest.size(0);
        JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        Dataset<Row> train = spark.createDataFrame(jsc.parallelize(digitRows(xTrain, yTrain), o.partitions), DIGITS);
        Torch.manualSeed(o.seed);
        StateDict initial = StateDict.of(DigitsCnn.model());
        int perPartition = Math.max(1, o.cnnBatch / o.partitions);
        System.out.printf(Locale.ROOT, "%nTraining the digits CNN data-parallel: %d images on %d partitions, "
                + "Adam lr %s, %d images per partition and step (%d per step), %d epochs%n", nTrain, o.partitions,
                o.lr, perPartition, perPartition * o.partitions, o.epochs);
        long t0 = stages.tasks();
        ProgressBar[] bar = new ProgressBar[1];
        long start = System.nanoTime();
        SparkTrainer.Result r = SparkTrainer.of(DigitsCnn::model).featuresCol("pixels").inputShape(1, 8, 8)
                .labelCol("label").optimizer(OptimizerFactory.adam(o.lr)).batchSize(perPartition).epochs(o.epochs)
                .shuffle(true).seed(o.seed).initialState(initial)
                .onStep((epoch, step, steps, loss, rows) -> {
                    if (bar[0] == null) {
                        bar[0] = new ProgressBar(System.out, "train", (long) steps * o.epochs, o.progress);
                    }
                    bar[0].update((long) epoch * steps + step + 1, String.format(Locale.ROOT,
                            "epoch %d/%d loss %.4f | %s", epoch + 1, o.epochs, loss, stages.status()));
                })
                .fit(train);
        double sparkSecs = (System.nanoTime() - start) / 1e9;
        double[] losses = r.losses();
        bar[0].finish(losses.length, String.format(Locale.ROOT, "%d steps, final loss %.4f, %d Spark tasks, %.1f s",
                losses.length, losses[losses.length - 1], stages.tasks() - t0, sparkSecs));

        // the same training in one JVM: same initial weights, same optimizer, the global batch of each step
        Module one = initial.loadInto(DigitsCnn::model);
        Adam adam = new Adam(one.parameters(), o.lr);
        Generator g2 = new Generator(o.seed + 1);
        int batch = perPartition * o.partitions;
        ProgressBar bar2 = new ProgressBar(System.out, "one JVM", (long) o.epochs * nTrain, o.progress);
        long seen = 0;
        double last = Double.NaN;
        for (int e = 0; e < o.epochs; e++) {
            one.train();
            Tensor order = Torch.randperm(g2, nTrain);
            for (int s = 0; s < nTrain; s += batch) {
                Tensor idx = order.narrow(0, s, Math.min(batch, nTrain - s));
                adam.zeroGrad();
                Tensor loss = F.crossEntropy(one.call(xTrain.indexSelect(0, idx)), yTrain.indexSelect(0, idx));
                loss.backward();
                adam.step();
                last = loss.item();
                seen += idx.size(0);
                bar2.update(seen, String.format(Locale.ROOT, "epoch %d/%d loss %.4f", e + 1, o.epochs, last));
            }
        }
        bar2.finish(seen, String.format(Locale.ROOT, "last loss %.4f, %.1f s", last, bar2.seconds()));

        double accSpark = DigitsCnn.accuracy(r.model(), xTest, yTest);
        double accOne = DigitsCnn.accuracy(one, xTest, yTest);
        // the Spark-trained weights, broadcast again to score the held-out images through JtorchModel
        Dataset<Row> test = spark.createDataFrame(jsc.parallelize(digitRows(xTest, yTest), o.partitions), DIGITS);
        JtorchModel scorer = new JtorchModel(DigitsCnn::model, StateDict.of(r.model())).setInputCol("pixels")
                .setInputShape(1, 8, 8).setOutputCol("prediction").setOutputMode("argmax");
        Row hits = scorer.transform(test).selectExpr("sum(cast(prediction = label as int)) as hits",
                "count(*) as n").first();
        double accScored = (double) hits.getLong(0) / hits.getLong(1);
        System.out.printf(Locale.ROOT, "held-out accuracy (%d images): data-parallel on %d partitions %.2f%% "
                + "(scored again through JtorchModel on Spark: %.2f%%); one JVM %.2f%%; difference %+.2f points%n",
                n - nTrain, o.partitions, 100 * accSpark, 100 * accScored, 100 * accOne, 100 * (accSpark - accOne));
    }

    // ------------------------------------------------------------------ scaling

    /**
     * The scaling figure: a JMH run of {@link ScoringBench} (JtorchModel on local[1] and local[2], the same
     * forwards without Spark in one JVM), printed as rows/s.
     */
    static void scaling(SparkDemoOptions o) throws IOException {
        chars(o); // trains a checkpoint if there is none
        int rows = ScoringBench.rows();
        System.out.printf(Locale.ROOT, "jtorch spark-demo --scaling: JMH (ScoringBench), one operation = the verses "
                + "of Genesis x%d (%d rows, %d slices) through the character model, %d verses per forward, one "
                + "jtorch kernel thread per task; %d warm-up and %d measured iterations, one fork each%n",
                ScoringBench.COPIES, rows, ScoringBench.SLICES, o.batch, 2, o.repeats);
        org.openjdk.jmh.runner.options.Options opts = new org.openjdk.jmh.runner.options.OptionsBuilder()
                .include(ScoringBench.class.getName() + "\\.")
                .jvmArgsAppend("-Djtorch.kernels.threads=1",
                        "-Djtorch.spark.checkpoint=" + o.checkpoint.toAbsolutePath(), "-Djtorch.spark.batch=" + o.batch)
                .warmupIterations(2).measurementIterations(o.repeats).forks(1)
                .build();
        java.util.Collection<org.openjdk.jmh.results.RunResult> results;
        try {
            results = new org.openjdk.jmh.runner.Runner(opts).run();
        } catch (org.openjdk.jmh.runner.RunnerException e) {
            throw new IllegalStateException("the JMH run failed: " + e.getMessage(), e);
        }
        System.out.printf(Locale.ROOT, "%n| case | s/op (median) | rows/s (median) | rows/s (mean +- 99.9%% CI) |%n"
                + "|---|---:|---:|---:|%n");
        for (org.openjdk.jmh.results.RunResult r : results) {
            var p = r.getParams();
            String name = p.getBenchmark().endsWith(".spark") ? "JtorchModel on " + p.getParam("master")
                    : "one JVM, no Spark, grouped " + (p.getParam("grouping").equals("book") ? "over the book"
                    : "per slice") + " (1 thread)";
            List<Double> it = new ArrayList<>();
            for (var br : r.getBenchmarkResults()) {
                for (var ir : br.getIterationResults()) {
                    it.add(ir.getPrimaryResult().getScore());
                }
            }
            it.sort(null);
            double med = it.get(it.size() / 2);
            double mean = r.getPrimaryResult().getScore();
            double err = r.getPrimaryResult().getScoreError();
            System.out.printf(Locale.ROOT, "| %s | %.3f | %,.0f | %,.0f +- %,.0f |%n", name, med, rows / med,
                    rows / mean, Double.isNaN(err) ? 0 : rows / (mean - err) - rows / mean);
        }
    }
}

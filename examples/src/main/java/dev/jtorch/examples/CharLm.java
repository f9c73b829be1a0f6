package dev.jtorch.examples;

import dev.jtorch.DType;
import dev.jtorch.Generator;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.nn.GRU;
import dev.jtorch.nn.LSTM;
import dev.jtorch.nn.Linear;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.RNNBase;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.utils.Utils;
import dev.jtorch.optim.Adam;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import picocli.CommandLine.Option;

/**
 * {@code ./jtorch demo}: a character-level language model on the Book of Genesis (King James Version, public
 * domain, shipped in the examples' resources). Trains an LSTM (or GRU) with a progress bar (loss,
 * characters/s), saves a safetensors checkpoint with the vocabulary in its metadata, reloads it and generates
 * text. Options ({@link Options}; {@code ./jtorch demo --help}): {@code --steps N} (default 1200),
 * {@code --hidden N} (256), {@code --layers N} (1), {@code --cell lstm|gru}, {@code --temperature X} (0.8),
 * {@code --seq N} (64), {@code --batch N} (32), {@code --lr X} (0.003), {@code --generate N} (500),
 * {@code --seed N} (0), {@code --out PATH}, {@code --progress auto|bar|lines}.
 */
public final class CharLm {
    private CharLm() {
    }

    /** Characters in, next-character logits out: one-hot input, a recurrent stack, a linear head. */
    public static final class Model extends Module {
        /** The recurrent stack ({@code rnn.*} in the state dict). */
        public final RNNBase rnn;
        /** The output layer ({@code head.*}). */
        public final Linear head;
        /** The vocabulary size. */
        public final int vocab;

        /** One-hot inputs of {@code vocab} characters, {@code layers} recurrent layers of {@code hidden} units. */
        public Model(int vocab, int hidden, int layers, boolean gru) {
            this.vocab = vocab;
            rnn = registerModule("rnn", gru ? new GRU(vocab, hidden, layers, true, false, 0, false)
                    : new LSTM(vocab, hidden, layers, true, false, 0, false, 0));
            head = registerModule("head", new Linear(hidden, vocab));
        }

        /** Logits (T, B, V) for one-hot inputs (T, B, V), from state hx (or zeros); returns {logits, h, c}. */
        public Tensor[] step(Tensor oneHot, Tensor[] hx) {
            RNNBase.Output o = rnn instanceof LSTM l ? l.forward(oneHot, hx) : ((GRU) rnn).forward(oneHot, hx);
            return new Tensor[] {head.call(o.output()), o.hN(), o.cN()};
        }
    }

    /** The Book of Genesis (KJV), as shipped in the examples' resources: verses wrapped at 100 characters. */
    public static String text() throws IOException {
        try (InputStream in = CharLm.class.getResourceAsStream("genesis-kjv.txt")) {
            if (in == null) {
                throw new IOException("genesis-kjv.txt is missing from the examples' resources");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** The cell of the recurrent stack: {@code --cell lstm|gru}. */
    public enum Cell {
        /** {@link LSTM}. */
        LSTM,
        /** {@link GRU}. */
        GRU
    }

    /** The demo's settings, with their defaults; the command line fills them ({@code ./jtorch demo --help}). */
    static final class Options {
        @Option(names = "--steps", converter = Commands.AtLeastZero.class, paramLabel = "N",
                description = "Training steps (default: ${DEFAULT-VALUE}).")
        int steps = 1200;
        @Option(names = "--hidden", converter = Commands.AtLeastOne.class, paramLabel = "N",
                description = "Hidden size (default: ${DEFAULT-VALUE}).")
        int hidden = 256;
        @Option(names = "--layers", converter = Commands.AtLeastOne.class, paramLabel = "N",
                description = "Recurrent layers (default: ${DEFAULT-VALUE}).")
        int layers = 1;
        @Option(names = "--cell", paramLabel = "lstm|gru", description = "Recurrent cell (default: lstm).")
        Cell cell = Cell.LSTM;
        @Option(names = "--temperature", converter = Commands.NonNegative.class, paramLabel = "X",
                description = "Sampling temperature; lower is more conservative (default: ${DEFAULT-VALUE}).")
        double temperature = 0.8;
        @Option(names = "--seq", converter = Commands.AtLeastOne.class, paramLabel = "N",
                description = "Characters per training window (default: ${DEFAULT-VALUE}).")
        int seq = 64;
        @Option(names = "--batch", converter = Commands.AtLeastOne.class, paramLabel = "N",
                description = "Windows per step (default: ${DEFAULT-VALUE}).")
        int batch = 32;
        @Option(names = "--lr", converter = Commands.Positive.class, paramLabel = "X",
                description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
        double lr = 0.003;
        @Option(names = "--generate", converter = Commands.AtLeastZero.class, paramLabel = "N",
                description = "Characters to generate after training (default: ${DEFAULT-VALUE}).")
        int generate = 500;
        @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 0;
        @Option(names = "--out", paramLabel = "PATH", description = "Checkpoint file (default: ${DEFAULT-VALUE}).")
        Path out = Path.of("target", "demo", "charlm.safetensors");
        @Option(names = "--progress", paramLabel = "auto|bar|lines",
                description = "Progress display: a bar on a terminal, a line every 5 s otherwise (default: auto).")
        ProgressBar.Mode progress = ProgressBar.Mode.AUTO;
    }

    /**
     * Trains the default model (LSTM, 256 hidden units) for {@code steps} steps and writes its checkpoint to
     * {@code out} (vocabulary and cell in the metadata), as {@code ./jtorch demo --steps N --generate 0} does.
     */
    public static void train(int steps, long seed, Path out, ProgressBar.Mode progress) throws IOException {
        Options o = new Options();
        o.steps = steps;
        o.seed = seed;
        o.out = out;
        o.generate = 0;
        o.progress = progress;
        run(o);
    }

    /** Trains, checkpoints, reloads and samples as {@code o} says. */
    static void run(Options o) throws IOException {
        int steps = o.steps;
        int hidden = o.hidden;
        int layers = o.layers;
        boolean gru = o.cell == Cell.GRU;
        double temperature = o.temperature;
        int seq = o.seq;
        int batch = o.batch;
        double lr = o.lr;
        int generate = o.generate;
        long seed = o.seed;
        Path out = o.out;

        String text = text();
        TreeSet<Character> chars = new TreeSet<>();
        for (char ch : text.toCharArray()) {
            chars.add(ch);
        }
        String vocab = chars.stream().map(String::valueOf).reduce("", String::concat);
        int v = vocab.length();
        long[] ids = new long[text.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocab.indexOf(text.charAt(i));
        }
        Tensor all = Torch.tensor(ids);
        Tensor eye = Torch.eye(v);
        Torch.manualSeed(seed);
        Generator g = new Generator(seed);
        Model model = new Model(v, hidden, layers, gru);
        System.out.printf(Locale.ROOT, "jtorch demo: character-level %s language model on the Book of Genesis (KJV), "
                + "%,d characters, vocabulary %d%n", gru ? "GRU" : "LSTM", text.length(), v);
        System.out.println(model);
        Adam adam = new Adam(model.parameters(), lr);
        ProgressBar bar = new ProgressBar(System.out, "train", steps, o.progress);
        double smooth = Double.NaN;
        long chars0 = 0;
        for (int step = 0; step < steps; step++) {
            // a batch of random windows: inputs t .. t+seq-1, targets shifted by one
            long[] starts = new long[batch];
            for (int b = 0; b < batch; b++) {
                starts[b] = g.randint(0, ids.length - seq - 1);
            }
            long[] xi = new long[seq * batch];
            long[] yi = new long[seq * batch];
            for (int t = 0; t < seq; t++) {
                for (int b = 0; b < batch; b++) {
                    xi[t * batch + b] = ids[(int) starts[b] + t];
                    yi[t * batch + b] = ids[(int) starts[b] + t + 1];
                }
            }
            Tensor x = eye.indexSelect(0, Torch.tensor(xi)).view(seq, batch, v);
            Tensor y = Torch.tensor(yi);
            adam.zeroGrad();
            Tensor logits = model.step(x, null)[0].reshape(seq * batch, v);
            Tensor loss = F.crossEntropy(logits, y);
            loss.backward();
            Utils.clipGradNorm_(model.parameters(), 5.0);
            adam.step();
            double l = loss.item();
            smooth = Double.isNaN(smooth) ? l : 0.95 * smooth + 0.05 * l;
            chars0 += (long) seq * batch;
            bar.update(step + 1, String.format(Locale.ROOT, "loss %.3f %,.0f chars/s", smooth, chars0 / bar.seconds()));
        }
        bar.finish(steps, String.format(Locale.ROOT, "%d steps, loss %.3f, %,.0f chars/s, %.1f s", steps, smooth,
                chars0 / bar.seconds(), bar.seconds()));

        Files.createDirectories(out.toAbsolutePath().getParent());
        SafeTensors.save(model.stateDict(), Map.of("format", "pt", "vocab", vocab, "cell", gru ? "gru" : "lstm"), out);
        Map<String, String> meta;
        Model reloaded;
        try (SafeTensors.Reader r = SafeTensors.open(out)) {
            meta = r.metadata();
            reloaded = new Model(meta.get("vocab").length(), hidden, layers, meta.get("cell").equals("gru"));
            reloaded.loadStateDict(r.all());
        }
        reloaded.eval();
        System.out.printf(Locale.ROOT, "checkpoint %s (%,d bytes), reloaded; sampling %d characters at temperature "
                + "%.2f:%n%n", out, Files.size(out), generate, temperature);
        System.out.println(sample(reloaded, meta.get("vocab"), "In the beginning", generate, temperature, g));
    }

    static String sample(Model m, String vocab, String prompt, int n, double temperature, Generator g) {
        int v = vocab.length();
        Tensor eye = Torch.eye(v);
        StringBuilder s = new StringBuilder(prompt);
        try (var _ = Autograd.noGrad()) {
            Tensor[] hx = null;
            Tensor logits = null;
            for (char ch : prompt.toCharArray()) {
                Tensor x = eye.select(0, Math.max(0, vocab.indexOf(ch))).view(1, 1, v);
                Tensor[] r = m.step(x, hx);
                logits = r[0];
                hx = r[2] == null ? new Tensor[] {r[1]} : new Tensor[] {r[1], r[2]};
            }
            for (int i = 0; i < n; i++) {
                double[] p = logits.reshape(v).div(Math.max(temperature, 1e-6)).softmax(0).to(DType.FLOAT64)
                        .toDoubleArray();
                double u = g.uniformDouble(0, 1);
                int k = 0;
                double acc = p[0];
                while (acc < u && k < v - 1) {
                    acc += p[++k];
                }
                s.append(vocab.charAt(k));
                Tensor[] r = m.step(eye.select(0, k).view(1, 1, v), hx);
                logits = r[0];
                hx = r[2] == null ? new Tensor[] {r[1]} : new Tensor[] {r[1], r[2]};
            }
        }
        return s.toString();
    }
}

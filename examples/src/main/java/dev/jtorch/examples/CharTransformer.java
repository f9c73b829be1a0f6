package dev.jtorch.examples;

import dev.jtorch.Generator;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.nn.Embedding;
import dev.jtorch.nn.LayerNorm;
import dev.jtorch.nn.Linear;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.Parameter;
import dev.jtorch.nn.Transformer;
import dev.jtorch.nn.TransformerEncoder;
import dev.jtorch.nn.TransformerEncoderLayer;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.utils.Utils;
import dev.jtorch.optim.Adam;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

import picocli.CommandLine.Option;

/**
 * {@code ./jtorch demo-transformer}: a small causal Transformer language model on the Book of Genesis (King James
 * Version, the text of {@link CharLm}), GPT-style: a character embedding plus learned positions, a
 * {@link TransformerEncoder} of pre-norm layers run with the causal mask of
 * {@link Transformer#generateSquareSubsequentMask} (and the {@code isCausal} hint, so the attention takes its
 * causal path), a final {@link LayerNorm} and a linear head. Trains with Adam and a progress bar, saves a
 * safetensors checkpoint with the vocabulary and the shape of the model in its metadata, reloads it, checks that
 * the reloaded model gives the same logits, and samples text at a temperature. Options ({@link Options};
 * {@code ./jtorch demo-transformer --help}): {@code --steps N} (default 1000), {@code --layers N} (2),
 * {@code --heads N} (4), {@code --d-model N} (64), {@code --seq N} (64, also the context of the model),
 * {@code --batch N} (16), {@code --lr X} (0.003), {@code --temperature X} (0.8), {@code --generate N} (300),
 * {@code --seed N} (0), {@code --out PATH}, {@code --progress auto|bar|lines}.
 */
public final class CharTransformer {
    private CharTransformer() {
    }

    /** Character ids (B, T) in, next-character logits (B, T, V) out. */
    static final class Model extends Module {
        final Embedding tok;
        final Parameter pos;
        final TransformerEncoder encoder;
        final Linear head;
        final int vocab;
        final int context;

        Model(int vocab, int dModel, int heads, int layers, int context) {
            if (dModel % heads != 0) {
                throw new IllegalArgumentException("--d-model (" + dModel + ") must be divisible by --heads ("
                        + heads + ")");
            }
            this.vocab = vocab;
            this.context = context;
            tok = registerModule("tok", new Embedding(vocab, dModel));
            pos = registerParameter("pos", new Parameter(Torch.randn(context, dModel).mul(0.02)));
            TransformerEncoderLayer layer = new TransformerEncoderLayer(TransformerEncoderLayer.options(dModel, heads)
                    .dimFeedforward(4 * dModel).dropout(0.0).batchFirst(true).normFirst(true));
            encoder = registerModule("encoder", new TransformerEncoder(layer, layers, new LayerNorm(dModel)));
            head = registerModule("head", new Linear(dModel, vocab));
        }

        @Override
        public Tensor forward(Tensor ids) {
            int t = ids.size(1);
            if (t > context) {
                throw new IllegalArgumentException("CharTransformer: " + t + " characters, the context is " + context);
            }
            Tensor x = tok.call(ids).add(pos.narrow(0, 0, t));
            Tensor h = encoder.forward(x, Transformer.generateSquareSubsequentMask(t), null, true);
            return head.call(h);
        }
    }

    /** The demo's settings, with their defaults; the command line fills them. */
    static final class Options {
        @Option(names = "--steps", converter = Commands.AtLeastZero.class, paramLabel = "N",
                description = "Training steps (default: ${DEFAULT-VALUE}).")
        int steps = 1000;
        @Option(names = "--layers", converter = Commands.AtLeastOne.class, paramLabel = "N",
                description = "Encoder layers (default: ${DEFAULT-VALUE}).")
        int layers = 2;
        @Option(names = "--heads", converter = Commands.AtLeastOne.class, paramLabel = "N",
                description = "Attention heads; must divide --d-model (default: ${DEFAULT-VALUE}).")
        int heads = 4;
        @Option(names = "--d-model", converter = Commands.AtLeastOne.class, paramLabel = "N",
                description = "Model width (default: ${DEFAULT-VALUE}).")
        int dModel = 64;
        @Option(names = "--temperature", converter = Commands.NonNegative.class, paramLabel = "X",
                description = "Sampling temperature; lower is more conservative (default: ${DEFAULT-VALUE}).")
        double temperature = 0.8;
        @Option(names = "--seq", converter = Commands.AtLeastOne.class, paramLabel = "N",
                description = "Characters per training window, the model's context (default: ${DEFAULT-VALUE}).")
        int seq = 64;
        @Option(names = "--batch", converter = Commands.AtLeastOne.class, paramLabel = "N",
                description = "Windows per step (default: ${DEFAULT-VALUE}).")
        int batch = 16;
        @Option(names = "--lr", converter = Commands.Positive.class, paramLabel = "X",
                description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
        double lr = 0.003;
        @Option(names = "--generate", converter = Commands.AtLeastZero.class, paramLabel = "N",
                description = "Characters to generate after training (default: ${DEFAULT-VALUE}).")
        int generate = 300;
        @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 0;
        @Option(names = "--out", paramLabel = "PATH", description = "Checkpoint file (default: ${DEFAULT-VALUE}).")
        Path out = Path.of("target", "demo", "char_transformer.safetensors");
        @Option(names = "--progress", paramLabel = "auto|bar|lines",
                description = "Progress display: a bar on a terminal, a line every 5 s otherwise (default: auto).")
        ProgressBar.Mode progress = ProgressBar.Mode.AUTO;
    }

    /** What a run made: the trained and the reloaded model, the vocabulary, each step's loss, the sample. */
    record Result(Model model, Model reloaded, String vocab, double[] losses, String sample) {
    }

    /** Trains, checkpoints, reloads and checks, and samples as {@code o} says, printing on {@code out}. */
    static Result run(Options o, PrintStream out) throws IOException {
        String text = CharLm.text();
        if (o.seq + 1 >= text.length()) {
            throw new IllegalArgumentException("--seq " + o.seq + " is longer than the text");
        }
        TreeSet<Character> chars = new TreeSet<>();
        for (char ch : text.toCharArray()) {
            chars.add(ch);
        }
        StringBuilder vb = new StringBuilder();
        chars.forEach(vb::append);
        String vocab = vb.toString();
        int[] ids = new int[text.length()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = vocab.indexOf(text.charAt(i));
        }
        Torch.manualSeed(o.seed);
        Generator g = new Generator(o.seed);
        Model model = new Model(vocab.length(), o.dModel, o.heads, o.layers, o.seq);
        out.printf(Locale.ROOT, "jtorch demo-transformer: character-level causal Transformer language model on the "
                + "Book of Genesis (KJV), %,d characters, vocabulary %d, %,d parameters%n", text.length(),
                vocab.length(), model.parameters().stream().mapToLong(Tensor::numel).sum());
        out.println(model);
        Adam adam = new Adam(model.parameters(), o.lr);
        ProgressBar bar = new ProgressBar(out, "train", o.steps, o.progress);
        double[] losses = new double[o.steps];
        double smooth = Double.NaN;
        long seen = 0;
        for (int step = 0; step < o.steps; step++) {
            Tensor[] xy = batch(ids, o.seq, o.batch, g);
            adam.zeroGrad();
            Tensor logits = model.call(xy[0]);
            Tensor loss = F.crossEntropy(logits.reshape(o.batch * o.seq, vocab.length()), xy[1].reshape(-1));
            loss.backward();
            Utils.clipGradNorm_(model.parameters(), 1.0);
            adam.step();
            losses[step] = loss.item();
            smooth = Double.isNaN(smooth) ? losses[step] : 0.95 * smooth + 0.05 * losses[step];
            seen += (long) o.seq * o.batch;
            bar.update(step + 1, String.format(Locale.ROOT, "loss %.3f %,.0f chars/s", smooth, seen / bar.seconds()));
        }
        bar.finish(o.steps, String.format(Locale.ROOT, "%d steps, loss %.3f (first step %.3f), %,.0f chars/s, "
                + "%.1f s", o.steps, smooth, o.steps > 0 ? losses[0] : Double.NaN, seen / bar.seconds(),
                bar.seconds()));

        Path parent = o.out.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        SafeTensors.save(model.stateDict(), Map.of("format", "pt", "vocab", vocab, "d_model",
                String.valueOf(o.dModel), "heads", String.valueOf(o.heads), "layers", String.valueOf(o.layers),
                "context", String.valueOf(o.seq)), o.out);
        Loaded loaded = load(o.out);
        Model reloaded = loaded.model();
        model.eval();
        reloaded.eval();
        Tensor probe = batch(ids, o.seq, 2, new Generator(o.seed + 1))[0];
        try (var _ = Autograd.noGrad()) {
            if (!model.call(probe).equal(reloaded.call(probe))) {
                throw new IllegalStateException("the reloaded checkpoint " + o.out + " gives other logits");
            }
        }
        out.printf(Locale.ROOT, "checkpoint %s (%,d bytes), reloaded: the same logits; sampling %d characters at "
                + "temperature %.2f:%n%n", o.out, Files.size(o.out), o.generate, o.temperature);
        String sample = sample(reloaded, loaded.vocab(), "In the beginning", o.generate, o.temperature, g);
        out.println(sample);
        return new Result(model, reloaded, vocab, losses, sample);
    }

    /** A batch of random windows: inputs (B, T) and the targets shifted by one, as long tensors. */
    static Tensor[] batch(int[] ids, int seq, int batch, Generator g) {
        long[] x = new long[seq * batch];
        long[] y = new long[seq * batch];
        for (int b = 0; b < batch; b++) {
            int start = (int) g.randint(0, ids.length - seq - 1);
            for (int t = 0; t < seq; t++) {
                x[b * seq + t] = ids[start + t];
                y[b * seq + t] = ids[start + t + 1];
            }
        }
        return new Tensor[] {Torch.tensor(x).view(batch, seq), Torch.tensor(y).view(batch, seq)};
    }

    /** A model read back from a checkpoint, with its vocabulary. */
    record Loaded(Model model, String vocab) {
    }

    /** The model of a checkpoint written by {@link #run}, its shape from the metadata. */
    static Loaded load(Path path) throws IOException {
        try (SafeTensors.Reader r = SafeTensors.open(path)) {
            Map<String, String> meta = r.metadata();
            String vocab = meta.get("vocab");
            for (String key : new String[] {"vocab", "d_model", "heads", "layers", "context"}) {
                if (meta.get(key) == null) {
                    throw new IOException(path + " is not a demo-transformer checkpoint: no '" + key
                            + "' in its metadata");
                }
            }
            Model m = new Model(vocab.length(), Integer.parseInt(meta.get("d_model")),
                    Integer.parseInt(meta.get("heads")), Integer.parseInt(meta.get("layers")),
                    Integer.parseInt(meta.get("context")));
            m.loadStateDict(r.all());
            return new Loaded(m, vocab);
        }
    }

    /**
     * {@code n} characters after {@code prompt}, each drawn from the softmax of the logits divided by
     * {@code temperature} (0: the most likely) with {@code g}, the model seeing the last {@code context} characters.
     */
    static String sample(Model m, String vocab, String prompt, int n, double temperature, Generator g) {
        StringBuilder s = new StringBuilder(prompt);
        int v = vocab.length();
        try (var _ = Autograd.noGrad()) {
            for (int i = 0; i < n; i++) {
                int from = Math.max(0, s.length() - m.context);
                long[] ctx = new long[s.length() - from];
                for (int j = 0; j < ctx.length; j++) {
                    ctx[j] = Math.max(0, vocab.indexOf(s.charAt(from + j)));
                }
                Tensor logits = m.call(Torch.tensor(ctx).view(1, ctx.length)).select(1, ctx.length - 1).reshape(v);
                double[] p = logits.div(Math.max(temperature, 1e-6)).softmax(0).float64().toDoubleArray();
                double u = g.uniformDouble(0, 1);
                int k = 0;
                double acc = p[0];
                while (acc < u && k < v - 1) {
                    acc += p[++k];
                }
                s.append(vocab.charAt(k));
            }
        }
        return s.toString();
    }
}

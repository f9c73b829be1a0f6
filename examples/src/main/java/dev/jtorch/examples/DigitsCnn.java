package dev.jtorch.examples;

import dev.jtorch.DType;
import dev.jtorch.Generator;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.BatchNorm2d;
import dev.jtorch.nn.Conv2d;
import dev.jtorch.nn.CrossEntropyLoss;
import dev.jtorch.nn.Dropout;
import dev.jtorch.nn.Flatten;
import dev.jtorch.nn.Linear;
import dev.jtorch.nn.MaxPool2d;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.ReLU;
import dev.jtorch.nn.Sequential;
import dev.jtorch.nn.utils.StateDicts;
import dev.jtorch.optim.Adam;
import dev.jtorch.optim.CosineAnnealingLR;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;

import picocli.CommandLine.Option;

/**
 * {@code ./jtorch demo-cnn}: a small CNN (Conv2d, BatchNorm2d, ReLU, MaxPool2d, Dropout, Linear) trained on
 * the 8x8 handwritten digits (1,797 images, UCI; see digits.NOTICE), with a progress bar; saves the state dict
 * as safetensors (PyTorch's keys), reloads it into a fresh model and reports the held-out accuracy. Options
 * ({@link Options}; {@code ./jtorch demo-cnn --help}): {@code --epochs N} (default 30), {@code --lr X} (0.005),
 * {@code --batch N} (32), {@code --seed N} (0), {@code --out PATH} (target/demo/digits_cnn.safetensors),
 * {@code --progress auto|bar|lines}.
 */
public final class DigitsCnn {
    private DigitsCnn() {
    }

    /** The digits: {images (1797, 1, 8, 8) float32 in [0, 1], labels (1797) int64}. */
    public static Tensor[] load() throws IOException {
        List<float[]> rows = new ArrayList<>();
        List<Long> labels = new ArrayList<>();
        try (InputStream raw = DigitsCnn.class.getResourceAsStream("digits.csv.gz")) {
            if (raw == null) {
                throw new IOException(
                        "digits.csv.gz is missing from the examples' resources (tools/data/make_digits.sh)");
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw),
                    StandardCharsets.US_ASCII));
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split(",");
                if (f.length != 65) {
                    throw new IOException("digits.csv.gz line " + (rows.size() + 1) + ": expected 65 fields, got "
                            + f.length);
                }
                float[] px = new float[64];
                for (int i = 0; i < 64; i++) {
                    px[i] = Integer.parseInt(f[i].trim()) / 16f;
                }
                rows.add(px);
                labels.add(Long.parseLong(f[64].trim()));
            }
        }
        float[] x = new float[rows.size() * 64];
        long[] y = new long[rows.size()];
        for (int i = 0; i < rows.size(); i++) {
            System.arraycopy(rows.get(i), 0, x, 64 * i, 64);
            y[i] = labels.get(i);
        }
        return new Tensor[] {Torch.tensor(x, rows.size(), 1, 8, 8), Torch.tensor(y, rows.size())};
    }

    /**
     * The demo's split of {@link #load()}'s images: a permutation drawn from {@code g}, its first 80% for
     * training. Returns {xTrain, yTrain, xTest, yTest}.
     */
    public static Tensor[] split(Tensor[] data, Generator g) {
        int n = data[1].size(0);
        Tensor perm = Torch.randperm(g, n);
        int nTrain = (int) (0.8 * n);
        Tensor train = perm.narrow(0, 0, nTrain);
        Tensor test = perm.narrow(0, nTrain, n - nTrain);
        return new Tensor[] {data[0].indexSelect(0, train), data[1].indexSelect(0, train),
            data[0].indexSelect(0, test), data[1].indexSelect(0, test)};
    }

    /** The network; tools/parity/train_digits_cnn.py builds the same one in PyTorch. */
    public static Module model() {
        return new Sequential(
                new Conv2d(Conv2d.options(1, 16, 3).padding(1)), new BatchNorm2d(16), new ReLU(), new MaxPool2d(2),
                new Conv2d(Conv2d.options(16, 32, 3).padding(1)), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
                new Flatten(), new Dropout(0.25), new Linear(32 * 2 * 2, 10));
    }

    /** The share of {@code x}'s images {@code model} (set to eval mode) classifies as {@code y} says. */
    public static double accuracy(Module model, Tensor x, Tensor y) {
        model.eval();
        try (var _ = Autograd.noGrad()) {
            return model.call(x).argmax(1, false).eq(y).to(DType.FLOAT64).mean().item();
        }
    }

    /** The demo's settings, with their defaults; the command line fills them ({@code ./jtorch demo-cnn --help}). */
    static final class Options {
        @Option(names = "--epochs", converter = Commands.AtLeastOne.class, paramLabel = "N",
                description = "Training epochs (default: ${DEFAULT-VALUE}).")
        int epochs = 30;
        @Option(names = "--lr", converter = Commands.Positive.class, paramLabel = "X",
                description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
        double lr = 0.005;
        @Option(names = "--batch", converter = Commands.AtLeastOne.class, paramLabel = "N",
                description = "Images per step (default: ${DEFAULT-VALUE}).")
        int batch = 32;
        @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 0;
        @Option(names = "--out", paramLabel = "PATH", description = "State dict file (default: ${DEFAULT-VALUE}).")
        Path out = Path.of("target", "demo", "digits_cnn.safetensors");
        @Option(names = "--progress", paramLabel = "auto|bar|lines",
                description = "Progress display: a bar on a terminal, a line every 5 s otherwise (default: auto).")
        ProgressBar.Mode progress = ProgressBar.Mode.AUTO;
    }

    /** Trains, saves, reloads and evaluates as {@code o} says. */
    static void run(Options o) throws IOException {
        int epochs = o.epochs;
        double lr = o.lr;
        int batch = o.batch;
        long seed = o.seed;
        Path out = o.out;
        Torch.manualSeed(seed);
        Generator g = new Generator(seed);
        Tensor[] split = split(load(), g);
        Tensor xTrain = split[0];
        Tensor yTrain = split[1];
        Tensor xTest = split[2];
        Tensor yTest = split[3];
        int nTrain = xTrain.size(0);
        int n = nTrain + xTest.size(0);

        Module model = model();
        System.out.println("jtorch demo-cnn: a CNN on the 8x8 handwritten digits (" + nTrain + " train, "
                + (n - nTrain) + " held-out images)");
        System.out.println(model);
        Adam opt = new Adam(model.parameters(), lr);
        CosineAnnealingLR sched = new CosineAnnealingLR(opt, epochs, lr / 50);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        long seen = 0;
        ProgressBar bar = new ProgressBar(System.out, "train", (long) epochs * nTrain, o.progress);
        double lastLoss = Double.NaN;
        for (int epoch = 0; epoch < epochs; epoch++) {
            model.train();
            Tensor order = Torch.randperm(g, nTrain);
            double sum = 0;
            int batches = 0;
            for (int start = 0; start < nTrain; start += batch) {
                Tensor idx = order.narrow(0, start, Math.min(batch, nTrain - start));
                opt.zeroGrad();
                Tensor loss = lossFn.call(model.call(xTrain.indexSelect(0, idx)), yTrain.indexSelect(0, idx));
                loss.backward();
                opt.step();
                sum += loss.item();
                batches++;
                seen += idx.size(0);
                bar.update(seen, String.format(Locale.ROOT, "epoch %d/%d loss %.4f %,.0f img/s", epoch + 1, epochs,
                        sum / batches, seen / bar.seconds()));
            }
            sched.step();
            lastLoss = sum / batches;
        }
        bar.finish(seen, String.format(Locale.ROOT, "%d epochs, final loss %.4f, %,.0f img/s, %.1f s", epochs,
                lastLoss, seen / bar.seconds(), bar.seconds()));
        double trainAcc = accuracy(model, xTrain, yTrain);

        Files.createDirectories(out.toAbsolutePath().getParent());
        StateDicts.saveSafetensors(model, out);
        Module reloaded = model();
        StateDicts.loadSafetensors(reloaded, out, true);
        double testAcc = accuracy(reloaded, xTest, yTest);
        System.out.printf(Locale.ROOT, "saved the state dict to %s (%d bytes, %d tensors incl. BatchNorm running "
                + "statistics)%n", out, Files.size(out), reloaded.stateDict().size());
        System.out.printf(Locale.ROOT, "train accuracy %.2f%%; held-out accuracy of the reloaded model %.2f%%%n",
                100 * trainAcc, 100 * testAcc);
    }
}

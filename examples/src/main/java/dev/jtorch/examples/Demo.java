package dev.jtorch.examples;

import dev.jtorch.DType;
import dev.jtorch.Generator;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.CrossEntropyLoss;
import dev.jtorch.nn.Linear;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.ReLU;
import dev.jtorch.nn.Sequential;
import dev.jtorch.nn.utils.StateDicts;
import dev.jtorch.optim.Adam;
import dev.jtorch.optim.CosineAnnealingLR;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

import picocli.CommandLine.Option;

/**
 * {@code ./jtorch demo-mlp}: trains an MLP classifier on the three-arm spiral dataset (generated here from a
 * seed), with a progress bar, saves the state dict as safetensors, reloads it into a fresh model and reports
 * the test accuracy. Options ({@link Options}; {@code ./jtorch demo-mlp --help}): {@code --epochs N} (default
 * 40), {@code --hidden N} (64), {@code --lr X} (0.01), {@code --seed N} (0), {@code --out PATH}
 * (target/demo/mlp.safetensors), {@code --progress auto|bar|lines}.
 */
public final class Demo {
    private Demo() {
    }

    /** The spiral dataset: {x (n*3, 2) float32, y (n*3) int64}. */
    static Tensor[] spirals(int perClass, Generator g) {
        int classes = 3;
        float[] x = new float[perClass * classes * 2];
        long[] y = new long[perClass * classes];
        for (int c = 0; c < classes; c++) {
            for (int i = 0; i < perClass; i++) {
                double r = (double) i / (perClass - 1);
                double t = c * 4 + 4.0 * i / (perClass - 1) + g.normalDouble(0, 0.2);
                int k = c * perClass + i;
                x[2 * k] = (float) (r * Math.sin(t));
                x[2 * k + 1] = (float) (r * Math.cos(t));
                y[k] = c;
            }
        }
        return new Tensor[] {Torch.tensor(x, perClass * classes, 2), Torch.tensor(y)};
    }

    static Module mlp(int hidden) {
        return new Sequential(new Linear(2, hidden), new ReLU(), new Linear(hidden, hidden), new ReLU(),
                new Linear(hidden, 3));
    }

    static double accuracy(Module model, Tensor x, Tensor y) {
        model.eval();
        try (var _ = Autograd.noGrad()) {
            Tensor pred = model.call(x).argmax(1, false);
            return pred.eq(y).to(DType.FLOAT64).mean().item();
        }
    }

    /** The demo's settings, with their defaults; the command line fills them ({@code ./jtorch demo-mlp --help}). */
    static final class Options {
        @Option(names = "--epochs", converter = Commands.AtLeastOne.class, paramLabel = "N",
                description = "Training epochs (default: ${DEFAULT-VALUE}).")
        int epochs = 40;
        @Option(names = "--hidden", converter = Commands.AtLeastOne.class, paramLabel = "N",
                description = "Hidden width (default: ${DEFAULT-VALUE}).")
        int hidden = 64;
        @Option(names = "--lr", converter = Commands.Positive.class, paramLabel = "X",
                description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
        double lr = 0.01;
        @Option(names = "--seed", paramLabel = "N", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed = 0;
        @Option(names = "--out", paramLabel = "PATH", description = "State dict file (default: ${DEFAULT-VALUE}).")
        Path out = Path.of("target", "demo", "mlp.safetensors");
        @Option(names = "--progress", paramLabel = "auto|bar|lines",
                description = "Progress display: a bar on a terminal, a line every 5 s otherwise (default: auto).")
        ProgressBar.Mode progress = ProgressBar.Mode.AUTO;
    }

    /** Trains, saves, reloads and evaluates as {@code o} says. */
    static void run(Options o) throws IOException {
        int epochs = o.epochs;
        int hidden = o.hidden;
        double lr = o.lr;
        long seed = o.seed;
        Path out = o.out;
        Torch.manualSeed(seed);
        Generator g = new Generator(seed);
        Tensor[] data = spirals(1000, g);
        Tensor perm = Torch.randperm(g, data[1].size(0));
        int nTrain = (int) (0.8 * perm.size(0));
        Tensor trainIdx = perm.narrow(0, 0, nTrain);
        Tensor testIdx = perm.narrow(0, nTrain, perm.size(0) - nTrain);
        Tensor xTrain = data[0].indexSelect(0, trainIdx);
        Tensor yTrain = data[1].indexSelect(0, trainIdx);
        Tensor xTest = data[0].indexSelect(0, testIdx);
        Tensor yTest = data[1].indexSelect(0, testIdx);

        Module model = mlp(hidden);
        System.out.println("jtorch demo: MLP classifier on three spirals (" + nTrain + " train, " + xTest.size(0)
                + " test points)");
        System.out.println(model);
        Adam opt = new Adam(model.parameters(), lr);
        CosineAnnealingLR sched = new CosineAnnealingLR(opt, epochs, lr / 20);
        CrossEntropyLoss lossFn = new CrossEntropyLoss();
        int batch = 64;
        long seen = 0;
        long total = (long) epochs * nTrain;
        ProgressBar bar = new ProgressBar(System.out, "train", total, o.progress);
        double lastLoss = Double.NaN;
        for (int epoch = 0; epoch < epochs; epoch++) {
            model.train();
            Tensor order = Torch.randperm(g, nTrain);
            double sum = 0;
            int batches = 0;
            for (int start = 0; start < nTrain; start += batch) {
                Tensor idx = order.narrow(0, start, Math.min(batch, nTrain - start));
                Tensor xb = xTrain.indexSelect(0, idx);
                Tensor yb = yTrain.indexSelect(0, idx);
                opt.zeroGrad();
                Tensor loss = lossFn.call(model.call(xb), yb);
                loss.backward();
                opt.step();
                sum += loss.item();
                batches++;
                seen += idx.size(0);
                bar.update(seen, String.format(Locale.ROOT, "epoch %d/%d loss %.4f %,.0f ex/s", epoch + 1, epochs,
                        sum / batches, seen / bar.seconds()));
            }
            sched.step();
            lastLoss = sum / batches;
        }
        bar.finish(seen, String.format(Locale.ROOT, "%d epochs, final loss %.4f, %,.0f ex/s, %.1f s", epochs,
                lastLoss, seen / bar.seconds(), bar.seconds()));
        double trainAcc = accuracy(model, xTrain, yTrain);

        Files.createDirectories(out.toAbsolutePath().getParent());
        StateDicts.saveSafetensors(model, out);
        Module reloaded = mlp(hidden);
        StateDicts.loadSafetensors(reloaded, out, true);
        double testAcc = accuracy(reloaded, xTest, yTest);
        System.out.printf(Locale.ROOT, "saved the state dict to %s (%d bytes; keys %s)%n", out, Files.size(out),
                reloaded.stateDict().keySet());
        System.out.printf(Locale.ROOT, "train accuracy %.2f%%; test accuracy of the reloaded model %.2f%%%n",
                100 * trainAcc, 100 * testAcc);
    }
}

package dev.jtorch.nn.utils.prune;

import dev.jtorch.nn.Conv2d;

import java.util.function.Consumer;

/** A float64 Conv2d(3, 4, 3) for the pruning tests. */
final class PruneTestConv {
    private PruneTestConv() {
    }

    static void conv(Consumer<Conv2d> body) {
        Conv2d c = new Conv2d(3, 4, 3);
        c.float64();
        body.accept(c);
    }
}

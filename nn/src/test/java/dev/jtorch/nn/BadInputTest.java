package dev.jtorch.nn;

import dev.jtorch.DType;
import dev.jtorch.Torch;
import dev.jtorch.nn.functional.F;
import dev.jtorch.nn.functional.Reduction;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Wrong shapes, dtypes and constructor arguments fail with PyTorch's messages. */
class BadInputTest {
    static void fails(Class<? extends RuntimeException> type, String fragment, Runnable r) {
        RuntimeException e = assertThrows(type, r::run);
        assertTrue(e.getMessage().contains(fragment), "'" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void layerInputShapes() {
        fails(IllegalArgumentException.class, "expected input of shape (*, 3), got [2, 4]",
                () -> new Linear(3, 5).call(Torch.ones(2, 4)));
        fails(IllegalArgumentException.class, "Halving dimension must be even, but dimension 1 is size 3",
                () -> new GLU(1).call(Torch.ones(2, 3)));
        fails(IllegalArgumentException.class, "Softmax2d: expected input to be 3D or 4D, got 2D instead",
                () -> new Softmax2d().call(Torch.ones(2, 3)));
        fails(IllegalArgumentException.class, "Mismatch of parameter numbers and input channel size",
                () -> new PReLU(4, 0.25).call(Torch.ones(2, 3)));
        fails(IllegalArgumentException.class, "dropout2d: Expected 3D or 4D input, but received a 2D input",
                () -> new Dropout2d().call(Torch.ones(2, 3)));
        fails(IllegalArgumentException.class, "Using a target size ([3]) that is different to the input size ([2])",
                () -> new MSELoss().call(Torch.ones(2), Torch.ones(3)));
        fails(IllegalArgumentException.class, "Expected target size [2], got [3]",
                () -> new CrossEntropyLoss().call(Torch.ones(2, 4), Torch.tensor(new long[] {0, 1, 2})));
    }

    @Test
    void targetDtypesAndValues() {
        fails(IllegalArgumentException.class, "expected target of scalar type Long but found torch.float32",
                () -> new NLLLoss().call(Torch.ones(2, 4), Torch.ones(2)));
        fails(IllegalArgumentException.class, "expected target of scalar type Long",
                () -> new MultiMarginLoss().call(Torch.ones(2, 4), Torch.ones(2)));
        fails(IndexOutOfBoundsException.class, "Target 7 is out of bounds.",
                () -> new CrossEntropyLoss().call(Torch.ones(2, 4), Torch.tensor(new long[] {0, 7})));
        fails(IllegalArgumentException.class, "all elements of input should be between 0 and 1",
                () -> new BCELoss().call(Torch.full(new int[] {2}, 1.5), Torch.ones(2)));
        fails(IllegalArgumentException.class, "var has negative entry",
                () -> F.gaussianNllLoss(Torch.ones(2), Torch.ones(2), Torch.full(new int[] {2}, -1), false, 1e-6,
                        Reduction.MEAN));
    }

    @Test
    void constructorArguments() {
        fails(IllegalArgumentException.class, "dropout probability has to be between 0 and 1, but got 1.5",
                () -> new Dropout(1.5, false));
        fails(IllegalArgumentException.class, "approximate argument must be either none or tanh.",
                () -> new GELU("fast"));
        fails(IllegalArgumentException.class, "max_val must be greater than min_val",
                () -> new Hardtanh(1, -1, false));
        fails(IllegalArgumentException.class, "non-negative", () -> new Linear(-1, 3));
        fails(IllegalArgumentException.class, "reduction='batchmean' is only valid for KLDivLoss",
                () -> new MSELoss(Reduction.BATCHMEAN));
        fails(IllegalArgumentException.class, "unflattened_size must be a non-empty tuple of ints",
                () -> new Unflatten(1));
        fails(IllegalArgumentException.class, "label_smoothing must be between 0.0 and 1.0. Got: 2.0",
                () -> new CrossEntropyLoss(null, -100, Reduction.MEAN, 2.0).call(Torch.ones(1, 2),
                        Torch.tensor(new long[] {0})));
        assertEquals(DType.FLOAT64, new Linear(2, 2, true, DType.FLOAT64).weight.dtype());
    }
}

package dev.jtorch;

/**
 * Element types of a {@link Tensor}, like {@code torch.dtype}.
 *
 * <p>{@link #FLOAT16} and {@link #BFLOAT16} are storage types: arithmetic on them is done in float32 and the
 * result rounded back (to nearest even), as PyTorch does on the CPU.
 *
 * <p>Type promotion follows {@code torch.promote_types}: bool &lt; int64 &lt; float16/bfloat16 &lt; float32 &lt;
 * float64, and float16 with bfloat16 gives float32.
 */
public enum DType {
    /** 32-bit IEEE float, the default ({@code torch.float32}). */
    FLOAT32("F32", 4, "torch.float32", 3),
    /** 64-bit IEEE float ({@code torch.float64}). */
    FLOAT64("F64", 8, "torch.float64", 4),
    /** 64-bit signed integer for indices, lengths and targets ({@code torch.int64}). */
    INT64("I64", 8, "torch.int64", 1),
    /** Boolean ({@code torch.bool}). */
    BOOL("BOOL", 1, "torch.bool", 0),
    /** IEEE half precision storage ({@code torch.float16}). */
    FLOAT16("F16", 2, "torch.float16", 2),
    /** bfloat16 storage ({@code torch.bfloat16}). */
    BFLOAT16("BF16", 2, "torch.bfloat16", 2);

    private final String safetensorsName;
    private final int itemSize;
    private final String torchName;
    private final int rank;

    DType(String safetensorsName, int itemSize, String torchName, int rank) {
        this.safetensorsName = safetensorsName;
        this.itemSize = itemSize;
        this.torchName = torchName;
        this.rank = rank;
    }

    /** Bytes per element. */
    public int itemSize() {
        return itemSize;
    }

    /** The dtype string of the safetensors format ({@code "F32"}, {@code "I64"}, ...). */
    public String safetensorsName() {
        return safetensorsName;
    }

    /** True for the floating point types (float16, bfloat16, float32, float64). */
    public boolean isFloatingPoint() {
        return rank >= 2;
    }

    /** The dtype arithmetic runs in: float32 for the half types, else this type. */
    public DType computeType() {
        return rank == 2 ? FLOAT32 : this;
    }

    /** The dtype for a safetensors dtype string, or an exception naming the supported ones. */
    public static DType fromSafetensorsName(String name) {
        for (DType d : values()) {
            if (d.safetensorsName.equals(name)) {
                return d;
            }
        }
        throw new IllegalArgumentException("unsupported safetensors dtype '" + name
                + "': expected one of F32, F64, I64, BOOL, F16, BF16");
    }

    /** {@code torch.promote_types(a, b)}. */
    public static DType promoteTypes(DType a, DType b) {
        if (a == b) {
            return a;
        }
        if (a.rank == 2 && b.rank == 2) {
            return FLOAT32;
        }
        return a.rank >= b.rank ? a : b;
    }

    int category() {
        return rank == 0 ? 0 : rank == 1 ? 1 : 2;
    }

    @Override
    public String toString() {
        return torchName;
    }
}

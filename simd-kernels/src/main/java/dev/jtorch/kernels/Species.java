package dev.jtorch.kernels;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The vector species every vector kernel uses, fixed once per JVM: the preferred shape, or a narrower one
 * when {@value Kernels#VECTOR_BITS_PROPERTY} asks for it. Loaded only on the vector path, so this is the
 * class whose loading fails when {@code jdk.incubator.vector} is absent.
 */
final class Species {
    static final VectorShape SHAPE = shape();
    static final VectorSpecies<Float> FLOAT = FloatVector.SPECIES_PREFERRED.withShape(SHAPE);
    static final VectorSpecies<Double> DOUBLE = DoubleVector.SPECIES_PREFERRED.withShape(SHAPE);
    /** Int lanes matching the float lanes (same bit size), for exponent arithmetic. */
    static final VectorSpecies<Integer> INT = IntVector.SPECIES_PREFERRED.withShape(SHAPE);
    /** Long lanes matching the double lanes, for exponent arithmetic. */
    static final VectorSpecies<Long> LONG = LongVector.SPECIES_PREFERRED.withShape(SHAPE);
    static final int FLOAT_LANES = FLOAT.length();
    static final int DOUBLE_LANES = DOUBLE.length();

    private Species() {
    }

    private static VectorShape shape() {
        VectorShape preferred = VectorShape.preferredShape();
        String bits = System.getProperty(Kernels.VECTOR_BITS_PROPERTY);
        if (bits == null || bits.isBlank()) {
            return preferred;
        }
        int b;
        try {
            b = Integer.parseInt(bits.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(Kernels.VECTOR_BITS_PROPERTY + " must be 128, 256 or 512 but was '" + bits + "'");
        }
        VectorShape s = switch (b) {
            case 128 -> VectorShape.S_128_BIT;
            case 256 -> VectorShape.S_256_BIT;
            case 512 -> VectorShape.S_512_BIT;
            default -> throw new IllegalArgumentException(
                    Kernels.VECTOR_BITS_PROPERTY + " must be 128, 256 or 512 but was " + b);
        };
        return s.vectorBitSize() <= preferred.vectorBitSize() ? s : preferred;
    }

    static String describe() {
        return "Vector API, float x" + FLOAT_LANES + " / double x" + DOUBLE_LANES + " (" + SHAPE.vectorBitSize() + "-bit)";
    }
}

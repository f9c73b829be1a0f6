package dev.jtorch.spark;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The cells the executors read, in every form Spark hands them over, and the class-name factory's checks. */
class ValuesTest {
    @Test
    void everyArrayFormGivesTheSameNumbers() {
        double[] want = {1, 2, 3};
        for (Object cell : new Object[] {new int[] {1, 2, 3}, new long[] {1, 2, 3}, new float[] {1, 2, 3},
            new double[] {1, 2, 3}, new Integer[] {1, 2, 3}, new Float[] {1f, 2f, 3f}, List.of(1, 2.0, 3L),
            scala.jdk.javaapi.CollectionConverters.asScala(List.of(1.0, 2.0, 3.0)).toSeq(),
            org.apache.spark.ml.linalg.Vectors.dense(1, 2, 3)}) {
            assertArrayEquals(want, Values.doubles(cell, "c", 0, 0), cell.getClass().getName());
        }
        String msg = assertThrows(IllegalArgumentException.class, () -> Values.doubles(new Object[] {1, null}, "c",
                4, 2)).getMessage();
        assertTrue(msg.equals("row 4 of partition 2: element 1 of column 'c' is null; a number was expected"), msg);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Values.doubles("abc", "c", 0, 0)).getMessage()
                .contains("holds a java.lang.String; an array of numbers was expected"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Values.shape(new int[] {2, -1}, "s", 0, 0))
                .getMessage().contains("sizes must be integers >= 0"));
    }

    @Test
    void aClassNameIsCheckedBeforeItsCodeRuns() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelFactory.ofClass(Bomb.class.getName())
                .create()).getMessage().contains("must be a dev.jtorch.nn.Module or a Supplier<Module>"));
        // (had its initializer run, the factory would have thrown ExceptionInInitializerError instead)
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelFactory.ofClass("no.such.Model").create())
                .getMessage().contains("model class no.such.Model was not found on the class path"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ModelFactory.ofClass(" ")).getMessage()
                .contains("a model class name was expected"));
    }

    /** A class whose initializer would fail: the factory must refuse it before initializing it. */
    static final class Bomb {
        static {
            if (Boolean.parseBoolean("true")) {
                throw new IllegalStateException("initializer ran");
            }
        }
    }
}

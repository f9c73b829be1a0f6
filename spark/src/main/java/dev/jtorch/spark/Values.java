package dev.jtorch.spark;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.ml.linalg.Vector;
import org.apache.spark.sql.types.ArrayType;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

import java.util.Arrays;
import java.util.List;

/** Reading the numbers of one cell: arrays of numbers, ml Vectors; shape columns; the checks with row numbers. */
final class Values {
    private Values() {
    }

    /** The index of {@code col} in {@code schema}, or an exception naming the columns there are. */
    static int index(StructType schema, String col, String role) {
        if (col == null || col.isEmpty()) {
            throw new IllegalArgumentException("the " + role + " column is not set");
        }
        for (int i = 0; i < schema.fields().length; i++) {
            if (schema.fields()[i].name().equals(col)) {
                return i;
            }
        }
        throw new IllegalArgumentException("the " + role + " column '" + col + "' is not in the data; its columns are "
                + Arrays.toString(schema.fieldNames()));
    }

    /** Checks that a column holds arrays of numbers or ml Vectors. */
    static void checkNumbers(StructField f, String role) {
        DataType t = f.dataType();
        boolean ok = t instanceof ArrayType a && a.elementType() instanceof NumericType
                || t.equals(SQLDataTypes.VectorType());
        if (!ok) {
            throw new IllegalArgumentException("the " + role + " column '" + f.name() + "' must hold arrays of "
                    + "numbers (float, double, int, ...) or ml Vectors; it holds " + t.simpleString());
        }
    }

    /** Checks that a shape column holds arrays of integers. */
    static void checkShape(StructField f) {
        DataType t = f.dataType();
        boolean ok = t instanceof ArrayType a && (a.elementType().equals(DataTypes.IntegerType)
                || a.elementType().equals(DataTypes.LongType) || a.elementType().equals(DataTypes.ShortType));
        if (!ok) {
            throw new IllegalArgumentException("the shape column '" + f.name() + "' must hold arrays of integers; "
                    + "it holds " + t.simpleString());
        }
    }

    /** Where a row is, for messages: "row 5 of partition 1". */
    static String where(long row, int partition) {
        return "row " + row + " of partition " + partition;
    }

    /** The numbers of one cell, as doubles. */
    static double[] doubles(Object v, String col, long row, int partition) {
        if (v == null) {
            throw new IllegalArgumentException(where(row, partition) + ": column '" + col + "' is null; an array of "
                    + "numbers was expected");
        }
        if (v instanceof Vector vec) {
            return vec.toArray();
        }
        if (v instanceof double[] d) {
            return d.clone();
        }
        if (v instanceof float[] f) {
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
        if (v.getClass().isArray()) {
            // a Java array, primitive or boxed (rows built in Java, or passed through by Spark's optimizer)
            int n = java.lang.reflect.Array.getLength(v);
            double[] d = new double[n];
            for (int i = 0; i < n; i++) {
                d[i] = number(java.lang.reflect.Array.get(v, i), i, col, row, partition);
            }
            return d;
        }
        List<?> list = v instanceof List<?> l ? l
                : v instanceof scala.collection.Seq<?> s ? scala.jdk.javaapi.CollectionConverters.asJava(s) : null;
        if (list == null) {
            throw new IllegalArgumentException(where(row, partition) + ": column '" + col + "' holds a "
                    + v.getClass().getName() + "; an array of numbers was expected");
        }
        double[] d = new double[list.size()];
        for (int i = 0; i < d.length; i++) {
            d[i] = number(list.get(i), i, col, row, partition);
        }
        return d;
    }

    private static double number(Object e, int i, String col, long row, int partition) {
        if (!(e instanceof Number n)) {
            throw new IllegalArgumentException(where(row, partition) + ": element " + i + " of column '" + col
                    + "' is " + (e == null ? "null" : "a " + e.getClass().getSimpleName()) + "; a number was expected");
        }
        return n.doubleValue();
    }

    /** The shape of one row, from its shape column. */
    static int[] shape(Object v, String col, long row, int partition) {
        double[] d = doubles(v, col, row, partition);
        int[] s = new int[d.length];
        for (int i = 0; i < d.length; i++) {
            if (d[i] < 0 || d[i] > Integer.MAX_VALUE || d[i] != Math.rint(d[i])) {
                throw new IllegalArgumentException(where(row, partition) + ": shape column '" + col + "' holds "
                        + Arrays.toString(d) + "; sizes must be integers >= 0");
            }
            s[i] = (int) d[i];
        }
        return s;
    }

    /** The element count of a shape, or an exception if it exceeds an int. */
    static int numel(int[] shape, String what) {
        long n = 1;
        for (int s : shape) {
            if (s < 0) {
                throw new IllegalArgumentException(what + " " + Arrays.toString(shape) + " has a negative size");
            }
            n *= s;
            if (n > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(what + " " + Arrays.toString(shape) + " has more than "
                        + Integer.MAX_VALUE + " elements");
            }
        }
        return (int) n;
    }

    /** Checks that a row's numbers fit its shape. */
    static void checkCount(double[] values, int[] shape, String col, long row, int partition) {
        int want = numel(shape, "the input shape");
        if (values.length != want) {
            throw new IllegalArgumentException(where(row, partition) + ": column '" + col + "' holds "
                    + values.length + " values; expected " + want + " for the input shape " + Arrays.toString(shape));
        }
    }
}

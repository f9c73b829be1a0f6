package dev.jtorch.spark;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;

import org.apache.spark.sql.Row;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Iterator;
import java.util.SplittableRandom;

/**
 * One partition's training rows, packed once and cached by Spark: the features as one float (or double, for
 * a float64 model) array of (rows, *shape), the labels as int64 classes or floating targets.
 */
final class Shard implements Serializable {
    private static final long serialVersionUID = 1L;

    /** How labels become a tensor. */
    enum LabelKind {
        /** An integer column: int64 class indices (B). */
        CLASS,
        /** A floating column: targets (B) in the model's dtype. */
        SCALAR,
        /** An array column: targets (B, width) in the model's dtype. */
        ARRAY
    }

    final int partition;
    final int rows;
    final int[] shape;
    private final int per;
    private final float[] xf;
    private final double[] xd;
    private final LabelKind kind;
    private final long[] classes;
    private final double[] targets;
    private final int width;
    private transient int orderEpoch = -1;
    private transient int[] order;

    private Shard(int partition, int rows, int[] shape, float[] xf, double[] xd, LabelKind kind, long[] classes,
                  double[] targets, int width) {
        this.partition = partition;
        this.rows = rows;
        this.shape = shape;
        this.per = shape == null ? 0 : Values.numel(shape, "the input shape");
        this.xf = xf;
        this.xd = xd;
        this.kind = kind;
        this.classes = classes;
        this.targets = targets;
        this.width = width;
    }

    /** Reads a partition's rows; checks every row's shape and label, naming the row on failure. */
    static Shard read(int partition, Iterator<Row> it, int feature, int label, String featureCol, String labelCol,
                      int[] inputShape, LabelKind kind, boolean float64) {
        int[] shape = inputShape;
        int per = shape == null ? -1 : Values.numel(shape, "the input shape");
        double[] x = new double[1024];
        double[] y = new double[256];
        long[] cls = kind == LabelKind.CLASS ? new long[256] : null;
        int n = 0;
        int width = kind == LabelKind.ARRAY ? -1 : 1;
        while (it.hasNext()) {
            Row r = it.next();
            double[] v = Values.doubles(r.get(feature), featureCol, n, partition);
            if (shape == null) {
                shape = new int[] {v.length};
                per = v.length;
            }
            Values.checkCount(v, shape, featureCol, n, partition);
            if ((long) (n + 1) * per > StateDict.MAX_BYTES / 8) {
                throw new IllegalArgumentException("partition " + partition + " holds more than "
                        + StateDict.MAX_BYTES / 8 + " feature values; repartition the data into more partitions");
            }
            x = grow(x, (n + 1) * per);
            System.arraycopy(v, 0, x, n * per, per);
            Object l = r.get(label);
            if (l == null) {
                throw new IllegalArgumentException(Values.where(n, partition) + ": label column '" + labelCol
                        + "' is null");
            }
            if (kind != LabelKind.ARRAY && !(l instanceof Number)) {
                throw new IllegalArgumentException(Values.where(n, partition) + ": label column '" + labelCol
                        + "' holds a " + l.getClass().getName() + "; a number was expected");
            }
            switch (kind) {
                case CLASS -> {
                    if (cls.length == n) {
                        cls = Arrays.copyOf(cls, 2 * n);
                    }
                    double d = ((Number) l).doubleValue();
                    if (d != Math.rint(d) || Math.abs(d) > 1L << 53) {
                        throw new IllegalArgumentException(Values.where(n, partition) + ": label column '"
                                + labelCol + "' holds " + l + "; a class index (an integer) was expected");
                    }
                    cls[n] = ((Number) l).longValue();
                }
                case SCALAR -> {
                    y = grow(y, n + 1);
                    y[n] = ((Number) l).doubleValue();
                }
                case ARRAY -> {
                    double[] t = Values.doubles(l, labelCol, n, partition);
                    if (width < 0) {
                        width = t.length;
                    } else if (t.length != width) {
                        throw new IllegalArgumentException(Values.where(n, partition) + ": label column '" + labelCol
                                + "' holds " + t.length + " values; the rows before it hold " + width);
                    }
                    if ((long) (n + 1) * width > StateDict.MAX_BYTES / 8) {
                        throw new IllegalArgumentException("partition " + partition + " holds more than "
                                + StateDict.MAX_BYTES / 8 + " label values; repartition the data into more partitions");
                    }
                    y = grow(y, (n + 1) * width);
                    System.arraycopy(t, 0, y, n * width, width);
                }
            }
            n++;
        }
        int total = n * Math.max(per, 0);
        float[] xf = null;
        double[] xd = null;
        if (float64) {
            xd = Arrays.copyOf(x, total);
        } else {
            xf = new float[total];
            for (int i = 0; i < total; i++) {
                xf[i] = (float) x[i];
            }
        }
        return new Shard(partition, n, shape, xf, xd, kind, cls == null ? null : Arrays.copyOf(cls, n),
                kind == LabelKind.CLASS ? null : Arrays.copyOf(y, n * Math.max(width, 0)), Math.max(width, 0));
    }

    private static double[] grow(double[] a, int need) {
        return need <= a.length ? a : Arrays.copyOf(a, Math.max(need, 2 * a.length));
    }

    /**
     * The rows of step {@code step} of an epoch: {@code [step * batch, (step + 1) * batch)} of the partition's
     * order, which is the stored order, or with {@code shuffle} a permutation seeded by (seed, epoch,
     * partition), so that a retried task sees the same rows. Empty once the partition has run out.
     */
    int[] chunk(int epoch, int step, int batch, boolean shuffle, long seed) {
        long from = (long) step * batch;
        if (from >= rows) {
            return new int[0];
        }
        int to = (int) Math.min(rows, from + batch);
        int[] idx = new int[to - (int) from];
        int[] ord = shuffle ? order(epoch, seed) : null;
        for (int i = 0; i < idx.length; i++) {
            idx[i] = ord == null ? (int) from + i : ord[(int) from + i];
        }
        return idx;
    }

    private synchronized int[] order(int epoch, long seed) {
        if (order == null || orderEpoch != epoch) {
            int[] o = new int[rows];
            for (int i = 0; i < rows; i++) {
                o[i] = i;
            }
            SplittableRandom r = new SplittableRandom(seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L
                    + partition * 0x94D049BB133111EBL);
            for (int i = rows - 1; i > 0; i--) {
                int j = r.nextInt(i + 1);
                int t = o[i];
                o[i] = o[j];
                o[j] = t;
            }
            order = o;
            orderEpoch = epoch;
        }
        return order;
    }

    /** The features of rows {@code idx}: (n, *shape) in {@code dt}. */
    Tensor features(int[] idx, DType dt) {
        int[] dims = new int[shape.length + 1];
        dims[0] = idx.length;
        System.arraycopy(shape, 0, dims, 1, shape.length);
        if (xd != null) {
            double[] flat = new double[idx.length * per];
            for (int i = 0; i < idx.length; i++) {
                System.arraycopy(xd, idx[i] * per, flat, i * per, per);
            }
            Tensor t = Torch.tensor(flat, dims);
            return dt == DType.FLOAT64 ? t : t.to(dt);
        }
        float[] flat = new float[idx.length * per];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(xf, idx[i] * per, flat, i * per, per);
        }
        Tensor t = Torch.tensor(flat, dims);
        return dt == DType.FLOAT32 ? t : t.to(dt);
    }

    /** The labels of rows {@code idx}. */
    Tensor labels(int[] idx, DType dt) {
        if (kind == LabelKind.CLASS) {
            long[] c = new long[idx.length];
            for (int i = 0; i < idx.length; i++) {
                c[i] = classes[idx[i]];
            }
            return Torch.tensor(c, idx.length);
        }
        double[] t = new double[idx.length * width];
        for (int i = 0; i < idx.length; i++) {
            System.arraycopy(targets, idx[i] * width, t, i * width, width);
        }
        Tensor y = kind == LabelKind.SCALAR ? Torch.tensor(t, idx.length) : Torch.tensor(t, idx.length, width);
        return dt == DType.FLOAT64 ? y : y.to(dt);
    }
}

package dev.jtorch.spark;

import dev.jtorch.DType;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.nn.Module;

import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.broadcast.Broadcast;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * One partition's scoring, on an executor: reads rows in chunks (one batch, or with rows of several shapes up
 * to 16 batches), groups each chunk's rows by shape, runs one forward per batch on the JVM's shared model, and
 * emits the rows in their input order with the output appended.
 */
final class BatchScorer implements MapPartitionsFunction<Row, Row> {
    private static final long serialVersionUID = 1L;
    private static final int BATCHES_PER_CHUNK = 16;
    private static final long MAX_CHUNK_VALUES = 1L << 23;

    private final String app;
    private final Broadcast<Inference.ModelSpec> spec;
    private final int input;
    private final int shapeIndex;
    private final String inputCol;
    private final String shapeCol;
    private final int[] inputShape;
    private final int batchSize;
    private final OutputMode mode;
    private final String dtype;

    BatchScorer(String app, Broadcast<Inference.ModelSpec> spec, int input, int shapeIndex, String inputCol,
                String shapeCol, int[] inputShape, int batchSize, OutputMode mode, String dtype) {
        this.app = app;
        this.spec = spec;
        this.input = input;
        this.shapeIndex = shapeIndex;
        this.inputCol = inputCol;
        this.shapeCol = shapeCol;
        this.inputShape = inputShape;
        this.batchSize = batchSize;
        this.mode = mode;
        this.dtype = dtype;
    }

    @Override
    public Iterator<Row> call(Iterator<Row> rows) {
        TaskContext tc = TaskContext.get();
        int partition = tc == null ? 0 : tc.partitionId();
        Module model = ExecutorModels.get(app, spec.id(), () -> spec.value().build());
        DType dt = DType.valueOf(dtype);
        return new Iterator<>() {
            private final ArrayDeque<Row> ready = new ArrayDeque<>();
            private long next;

            @Override
            public boolean hasNext() {
                while (ready.isEmpty() && rows.hasNext()) {
                    next = chunk(rows, next, partition, model, dt, ready);
                }
                return !ready.isEmpty();
            }

            @Override
            public Row next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return ready.poll();
            }
        };
    }

    /**
     * Reads, scores and queues one chunk; returns the index of the partition's next row. With a fixed input
     * shape a chunk is one batch; otherwise up to 16 batches (rows of several shapes are grouped), fewer once
     * it holds 8M values and at least one batch of rows.
     */
    private long chunk(Iterator<Row> rows, long first, int partition, Module model, DType dt, ArrayDeque<Row> out) {
        long maxRows = inputShape != null ? batchSize : (long) batchSize * BATCHES_PER_CHUNK;
        boolean f64 = dt == DType.FLOAT64;
        List<Row> chunk = new ArrayList<>();
        List<Object> values = new ArrayList<>();
        Map<String, List<Integer>> groups = new LinkedHashMap<>();
        Map<String, int[]> shapes = new LinkedHashMap<>();
        long row = first;
        long elements = 0;
        while (chunk.size() < maxRows && (elements < MAX_CHUNK_VALUES || chunk.size() < batchSize)
                && rows.hasNext()) {
            Row r = rows.next();
            double[] v = Values.doubles(r.get(input), inputCol, row, partition);
            int[] shape = inputShape != null ? inputShape
                    : shapeIndex >= 0 ? Values.shape(r.get(shapeIndex), shapeCol, row, partition)
                    : new int[] {v.length};
            Values.checkCount(v, shape, inputCol, row, partition);
            String key = Arrays.toString(shape);
            shapes.putIfAbsent(key, shape);
            groups.computeIfAbsent(key, _ -> new ArrayList<>()).add(chunk.size());
            chunk.add(r);
            values.add(f64 ? v : floats(v));
            elements += v.length;
            row++;
        }
        Object[] results = new Object[chunk.size()];
        for (Map.Entry<String, List<Integer>> g : groups.entrySet()) {
            List<Integer> idx = g.getValue();
            for (int s = 0; s < idx.size(); s += batchSize) {
                List<Integer> batch = idx.subList(s, Math.min(idx.size(), s + batchSize));
                score(model, dt, shapes.get(g.getKey()), batch, values, results, first, partition);
            }
        }
        for (int i = 0; i < chunk.size(); i++) {
            Row r = chunk.get(i);
            Object[] cells = new Object[r.length() + 1];
            for (int c = 0; c < r.length(); c++) {
                cells[c] = r.get(c);
            }
            cells[r.length()] = results[i];
            out.add(RowFactory.create(cells));
        }
        return row;
    }

    private static float[] floats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /** One forward over the rows {@code batch} of the chunk (all of shape {@code shape}). */
    private void score(Module model, DType dt, int[] shape, List<Integer> batch, List<Object> values,
                       Object[] results, long first, int partition) {
        int b = batch.size();
        int per = Values.numel(shape, "the input shape");
        if ((long) b * per > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("a batch of " + b + " rows of shape " + Arrays.toString(shape)
                    + " exceeds " + Integer.MAX_VALUE + " elements; lower batchSize");
        }
        int[] dims = new int[shape.length + 1];
        dims[0] = b;
        System.arraycopy(shape, 0, dims, 1, shape.length);
        Tensor x;
        if (dt == DType.FLOAT64) {
            double[] flat = new double[b * per];
            for (int i = 0; i < b; i++) {
                System.arraycopy(values.get(batch.get(i)), 0, flat, i * per, per);
            }
            x = Torch.tensor(flat, dims);
        } else {
            float[] flat = new float[b * per];
            for (int i = 0; i < b; i++) {
                System.arraycopy(values.get(batch.get(i)), 0, flat, i * per, per);
            }
            x = Torch.tensor(flat, dims);
            if (dt != DType.FLOAT32) {
                x = x.to(dt);
            }
        }
        Tensor y;
        try (var _ = Autograd.noGrad()) {
            y = model.call(x);
            if (y == null || y.dim() < 1 || y.size(0) != b) {
                throw new IllegalStateException("the model returned " + (y == null ? "null"
                        : "shape " + Arrays.toString(y.shape())) + " for a batch of " + b + " rows starting at "
                        + Values.where(first + batch.get(0), partition) + "; the batch must be dim 0");
            }
            if (mode != OutputMode.OUTPUT && y.dim() != 2) {
                throw new IllegalStateException(mode + " needs a (batch, classes) output; the model returned shape "
                        + Arrays.toString(y.shape()));
            }
            switch (mode) {
                case ARGMAX -> {
                    long[] k = y.argmax(1, false).toLongArray();
                    for (int i = 0; i < b; i++) {
                        results[batch.get(i)] = (int) k[i];
                    }
                }
                case PROBABILITIES -> rows(y.to(dt == DType.FLOAT64 ? dt : DType.FLOAT32).softmax(1), b, batch,
                        results, dt);
                case OUTPUT -> rows(y, b, batch, results, dt);
            }
        }
    }

    private static void rows(Tensor y, int b, List<Integer> batch, Object[] results, DType dt) {
        int per = (int) (y.numel() / b);
        if (dt == DType.FLOAT64) {
            double[] all = y.to(DType.FLOAT64).contiguous().toDoubleArray();
            for (int i = 0; i < b; i++) {
                results[batch.get(i)] = Arrays.copyOfRange(all, i * per, (i + 1) * per);
            }
        } else {
            float[] all = y.to(DType.FLOAT32).contiguous().toFloatArray();
            for (int i = 0; i < b; i++) {
                results[batch.get(i)] = Arrays.copyOfRange(all, i * per, (i + 1) * per);
            }
        }
    }
}

package dev.jtorch.spark;

import dev.jtorch.DType;
import dev.jtorch.Generator;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.nn.Module;
import dev.jtorch.nn.Parameter;
import dev.jtorch.optim.Optimizer;

import org.apache.spark.broadcast.Broadcast;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * One synchronous step (or one model-averaging round) on one partition, run by {@code treeAggregate}'s seqOp on
 * an executor, and the sums it returns. Everything the step computes goes into its return value, never into an
 * accumulator or shared state: Spark keeps one result per partition whatever the retries, so a task that fails
 * and runs again is counted once.
 */
final class TrainStep implements Serializable {
    private static final long serialVersionUID = 1L;

    final String run;
    final ModelFactory factory;
    final Broadcast<byte[]> state;
    final LossFunction loss;
    final OptimizerFactory optimizer;
    final int batchSize;
    final int epoch;
    final int firstStep;
    final int localSteps;
    final boolean averaging;
    final boolean shuffle;
    final long seed;
    final String dtype;

    TrainStep(String run, ModelFactory factory, Broadcast<byte[]> state, LossFunction loss,
              OptimizerFactory optimizer, int batchSize, int epoch, int firstStep, int localSteps, boolean averaging,
              boolean shuffle, long seed, DType dtype) {
        this.run = run;
        this.factory = factory;
        this.state = state;
        this.loss = loss;
        this.optimizer = optimizer;
        this.batchSize = batchSize;
        this.epoch = epoch;
        this.firstStep = firstStep;
        this.localSteps = localSteps;
        this.averaging = averaging;
        this.shuffle = shuffle;
        this.seed = seed;
        this.dtype = dtype.name();
    }

    /**
     * seqOp: adds this step's sums over {@code shard} to {@code acc}. Dropout and other random ops draw from a
     * generator seeded by (seed, epoch, step, partition), so a retried task draws the same masks.
     */
    Sums add(Sums acc, Shard shard) {
        Module m = Workers.borrow(run, factory);
        try {
            Generator g = new Generator(seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L
                    + firstStep * 0x94D049BB133111EBL + shard.partition * 0xD6E8FEB86659FD93L);
            Sums s = Torch.withDefaultGenerator(g, () -> averaging ? average(m, shard) : gradients(m, shard));
            return s == null ? acc : acc.merge(s);
        } finally {
            m.zeroGrad(true); // a pooled copy holds no gradients between steps (nor after a failed attempt)
            Workers.giveBack(run, m);
        }
    }

    private void load(Module m) {
        m.loadStateDict(SafeTensors.load(state.value()), true);
        m.train();
    }

    /** Gradient of the sum of the chunk's losses (its mean times its row count). */
    private Sums gradients(Module m, Shard shard) {
        int[] idx = shard.chunk(epoch, firstStep, batchSize, shuffle, seed);
        if (idx.length == 0) {
            return null;
        }
        load(m);
        m.zeroGrad(true);
        DType dt = DType.valueOf(dtype);
        Tensor l = checked(loss.apply(m.call(shard.features(idx, dt)), shard.labels(idx, dt)), shard);
        l.mul((double) idx.length).backward();
        List<Parameter> ps = m.parameters();
        double[][] g = new double[ps.size()][];
        for (int i = 0; i < g.length; i++) {
            Tensor gi = ps.get(i).grad();
            g[i] = gi == null ? null : gi.to(DType.FLOAT64).contiguous().toDoubleArray();
        }
        return new Sums(g, buffers(m, idx.length), integralBuffers(m), l.item() * idx.length, idx.length, 1);
    }

    /** {@code localSteps} optimizer steps from the broadcast state; the resulting parameters times rows used. */
    private Sums average(Module m, Shard shard) {
        load(m);
        DType dt = DType.valueOf(dtype);
        Optimizer opt = optimizer.create(m.parameters());
        double lossSum = 0;
        long used = 0;
        for (int k = 0; k < localSteps; k++) {
            int[] idx = shard.chunk(epoch, firstStep + k, batchSize, shuffle, seed);
            if (idx.length == 0) {
                break;
            }
            opt.zeroGrad();
            Tensor l = checked(loss.apply(m.call(shard.features(idx, dt)), shard.labels(idx, dt)), shard);
            l.backward();
            opt.step();
            lossSum += l.item() * idx.length;
            used += idx.length;
        }
        if (used == 0) {
            return null;
        }
        List<Parameter> ps = m.parameters();
        double[][] p = new double[ps.size()][];
        for (int i = 0; i < p.length; i++) {
            p[i] = scaled(ps.get(i), used);
        }
        return new Sums(p, buffers(m, used), integralBuffers(m), lossSum, used, 1);
    }

    private static Tensor checked(Tensor l, Shard shard) {
        if (l == null || l.numel() != 1) {
            throw new IllegalStateException("the loss function must return a scalar (the batch's mean loss); on "
                    + "partition " + shard.partition + " it returned " + (l == null ? "null"
                    : "shape " + java.util.Arrays.toString(l.shape())));
        }
        return l;
    }

    private static double[] scaled(Tensor t, double w) {
        double[] d = t.detach().to(DType.FLOAT64).contiguous().toDoubleArray();
        for (int i = 0; i < d.length; i++) {
            d[i] *= w;
        }
        return d;
    }

    /** The floating buffers (BatchNorm's running statistics), times the rows. */
    private static double[][] buffers(Module m, double w) {
        List<Tensor> bs = m.buffers();
        double[][] b = new double[bs.size()][];
        for (int i = 0; i < b.length; i++) {
            if (bs.get(i).dtype().isFloatingPoint()) {
                b[i] = scaled(bs.get(i), w);
            }
        }
        return b;
    }

    /** The integer buffers (BatchNorm's num_batches_tracked). */
    private static long[][] integralBuffers(Module m) {
        List<Tensor> bs = m.buffers();
        long[][] b = new long[bs.size()][];
        for (int i = 0; i < b.length; i++) {
            if (!bs.get(i).dtype().isFloatingPoint() && bs.get(i).dtype() != DType.BOOL) {
                b[i] = bs.get(i).to(DType.INT64).contiguous().toLongArray();
            }
        }
        return b;
    }

    /**
     * What the partitions return, summed: per parameter the gradients (or, averaging, the parameters) times
     * rows, the floating buffers times rows, the integer buffers' largest values, the loss sum, the rows and
     * the partitions that took part.
     */
    static final class Sums implements Serializable {
        private static final long serialVersionUID = 1L;
        double[][] values;
        double[][] buffers;
        long[][] counts;
        double loss;
        long rows;
        int partitions;

        Sums() {
        }

        Sums(double[][] values, double[][] buffers, long[][] counts, double loss, long rows, int partitions) {
            this.values = values;
            this.buffers = buffers;
            this.counts = counts;
            this.loss = loss;
            this.rows = rows;
            this.partitions = partitions;
        }

        /** combOp: adds {@code o} into this. */
        Sums merge(Sums o) {
            if (o == null || o.rows == 0 && o.values == null) {
                return this;
            }
            if (values == null) {
                values = o.values;
                buffers = o.buffers;
                counts = o.counts;
            } else {
                add(values, o.values);
                add(buffers, o.buffers);
                for (int i = 0; i < counts.length; i++) {
                    if (counts[i] != null && o.counts[i] != null) {
                        for (int j = 0; j < counts[i].length; j++) {
                            counts[i][j] = Math.max(counts[i][j], o.counts[i][j]);
                        }
                    }
                }
            }
            loss += o.loss;
            rows += o.rows;
            partitions += o.partitions;
            return this;
        }

        private static void add(double[][] a, double[][] b) {
            for (int i = 0; i < a.length; i++) {
                if (a[i] == null) {
                    a[i] = b[i];
                } else if (b[i] != null) {
                    for (int j = 0; j < a[i].length; j++) {
                        a[i][j] += b[i][j];
                    }
                }
            }
        }
    }

    /**
     * Training copies of the model on this JVM, one per concurrent task, reused across the steps of a run (each
     * step loads the broadcast state into the one it borrows). The last few runs are kept.
     */
    static final class Workers {
        private static final Map<String, ConcurrentLinkedQueue<Module>> POOLS = new LinkedHashMap<>(8, 0.75f, true);

        private Workers() {
        }

        static Module borrow(String run, ModelFactory factory) {
            Module m = pool(run).poll();
            return m != null ? m : factory.create();
        }

        static void giveBack(String run, Module m) {
            pool(run).offer(m);
        }

        private static ConcurrentLinkedQueue<Module> pool(String run) {
            synchronized (POOLS) {
                ConcurrentLinkedQueue<Module> q = POOLS.computeIfAbsent(run, _ -> new ConcurrentLinkedQueue<>());
                if (POOLS.size() > 4) {
                    POOLS.remove(POOLS.keySet().iterator().next());
                }
                return q;
            }
        }
    }
}

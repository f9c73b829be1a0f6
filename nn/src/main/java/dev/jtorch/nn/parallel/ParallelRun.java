package dev.jtorch.nn.parallel;

import dev.jtorch.Device;
import dev.jtorch.Generator;
import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.autograd.Node;
import dev.jtorch.nn.Module;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link DataParallel}'s differentiable call. PyTorch's replicas hold broadcast copies of the parameters and its
 * engine runs each device's part of the backward on that device's thread; here each replica gets its own leaf
 * tensors (the parameters' storage on the module's device, copies elsewhere; the input chunks detached), runs its
 * forward on its own thread, and one node, {@code DataParallelBackward}, stands for all of them in the caller's
 * graph: its backward splits the output gradient, runs every replica's backward at once (each on its own thread
 * over its own graph, with {@link Autograd#grad}), sums the parameter gradients over the replicas (in replica order,
 * so the result does not depend on timing) and joins the input gradients.
 */
final class ParallelRun {
    private ParallelRun() {
    }

    static Tensor forward(Module module, Tensor[] inputs, List<Tensor[]> chunks, List<Device> devices, Device target,
                          int dim, Generator[] gens) {
        int n = chunks.size();
        Device home = Parallel.deviceOf(module);
        // the module's current tensors that require a gradient, each once, in first-seen order
        List<Tensor> sources = new ArrayList<>();
        IdentityHashMap<Tensor, Integer> sourceIndex = new IdentityHashMap<>();
        List<Map<Integer, Tensor>> leaves = new ArrayList<>();
        List<Replica> replicas = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Device d = devices.get(i);
            boolean shareBuffers = i == 0 && d.equals(home);
            Map<Integer, Tensor> mine = new java.util.HashMap<>();
            leaves.add(mine);
            replicas.add(Replica.of(module, d, p -> {
                Tensor l;
                try (var _ = Autograd.noGrad()) {
                    l = d.equals(p.device()) ? p.detach() : p.detach().to(d);
                }
                if (p.requiresGrad()) {
                    l.requiresGrad_(true);
                    Integer s = sourceIndex.get(p);
                    if (s == null) {
                        s = sources.size();
                        sourceIndex.put(p, s);
                        sources.add(p);
                    }
                    mine.put(s, l);
                }
                return l;
            }, b -> shareBuffers ? b : Parallel.copyTo(b, d)));
        }
        Tensor[][] chunkLeaves = new Tensor[n][];
        for (int i = 0; i < n; i++) {
            chunkLeaves[i] = new Tensor[inputs.length];
            for (int j = 0; j < inputs.length; j++) {
                Tensor c = chunks.get(i)[j].detach();
                chunkLeaves[i][j] = inputs[j].requiresGrad() ? c.requiresGrad_(true) : c;
            }
        }
        List<Tensor> outs = Parallel.run(n,
                i -> Parallel.withGenerator(gens[i], () -> replicas.get(i).call(chunkLeaves[i])),
                i -> i + " on device " + devices.get(i));
        List<Tensor> detached = new ArrayList<>();
        boolean differentiable = false;
        for (Tensor o : outs) {
            detached.add(o.detach());
            differentiable |= o.requiresGrad();
        }
        Tensor gathered;
        try (var _ = Autograd.noGrad()) {
            gathered = Parallel.gather(detached, target, dim);
        }
        if (differentiable) {
            Tensor[] edges = new Tensor[sources.size() + inputs.length];
            for (int s = 0; s < sources.size(); s++) {
                edges[s] = sources.get(s);
            }
            System.arraycopy(inputs, 0, edges, sources.size(), inputs.length);
            Autograd.record(new Backward(outs, leaves, chunkLeaves, sources, inputs, devices, dim), edges, gathered);
        }
        return gathered;
    }

    /** The backward of every replica at once. */
    private static final class Backward extends Node {
        private List<Tensor> outs;
        private final List<Map<Integer, Tensor>> leaves;
        private final Tensor[][] chunkLeaves;
        private final Device[] sourceDevices;
        private final Device[] inputDevices;
        private final int[] inputSizes;
        private final List<Device> devices;
        private final int dim;

        Backward(List<Tensor> outs, List<Map<Integer, Tensor>> leaves, Tensor[][] chunkLeaves, List<Tensor> sources,
                 Tensor[] inputs, List<Device> devices, int dim) {
            super("DataParallelBackward");
            this.outs = outs;
            this.leaves = leaves;
            this.chunkLeaves = chunkLeaves;
            this.sourceDevices = new Device[sources.size()];   // the sources themselves are the node's edges
            for (int s = 0; s < sources.size(); s++) {
                this.sourceDevices[s] = sources.get(s).device();
            }
            this.inputDevices = new Device[inputs.length];
            this.inputSizes = new int[inputs.length];
            for (int j = 0; j < inputs.length; j++) {
                inputDevices[j] = inputs[j].device();
                inputSizes[j] = inputs[j].size(dim < 0 ? dim + inputs[j].dim() : dim);
            }
            this.devices = devices;
            this.dim = dim;
        }

        @Override
        public Tensor[] apply(Tensor[] gradOutputs) {
            List<Tensor> outputs = outs;
            if (outputs == null) {
                throw new IllegalStateException("Trying to backward through the graph a second time (or directly"
                        + " access saved tensors after they have already been freed). Specify retainGraph=true if you"
                        + " need to backward through the graph a second time. (node DataParallelBackward)");
            }
            int n = outputs.size();
            int nSources = sourceDevices.length;
            Tensor[] result = new Tensor[nSources + inputDevices.length];
            Tensor g = gradOutputs[0];
            if (g == null) {
                return result;
            }
            boolean scalars = outputs.get(0).dim() == 0;
            Tensor[] gs = new Tensor[n];
            int offset = 0;
            int d = scalars ? 0 : (dim < 0 ? dim + g.dim() : dim);
            for (int i = 0; i < n; i++) {
                if (scalars) {
                    gs[i] = g.select(0, i).to(devices.get(i));
                } else {
                    int size = outputs.get(i).size(d);
                    gs[i] = g.narrow(d, offset, size).to(devices.get(i));
                    offset += size;
                }
            }
            List<Tensor[]> per = Parallel.run(n, i -> replicaBackward(i, outputs.get(i), gs[i]),
                    i -> i + " on device " + devices.get(i) + " (backward)");
            // the parameter gradients summed over replicas in replica order (so the result does not depend on timing),
            // the parameters split between the threads
            Parallel.run(n, t -> {
                for (int s = t; s < nSources; s += n) {
                    Tensor sum = null;
                    boolean owned = false;   // a replica's gradient may alias the output gradient: never written
                    for (int i = 0; i < n; i++) {
                        Tensor gi = per.get(i)[s];
                        if (gi != null) {
                            gi = gi.to(sourceDevices[s]);
                            if (sum == null) {
                                sum = gi;
                            } else if (!owned) {
                                sum = sum.add(gi);   // the engine adds same-layout transposes in memory order
                                owned = true;
                            } else {
                                sum.add_(gi);
                            }
                        }
                    }
                    result[s] = sum;
                }
                return null;
            }, t -> t + " (summing gradients)");
            for (int j = 0; j < inputDevices.length; j++) {
                if (!chunkLeaves[0][j].requiresGrad()) {
                    continue;
                }
                Tensor[] parts = new Tensor[n];
                for (int i = 0; i < n; i++) {
                    Tensor gi = per.get(i)[nSources + j];
                    parts[i] = (gi != null ? gi : Torch.zerosLike(chunkLeaves[i][j])).to(inputDevices[j]);
                }
                int cd = dim < 0 ? dim + chunkLeaves[0][j].dim() : dim;
                Tensor joined = Torch.cat(parts, cd);
                int missing = inputSizes[j] - joined.size(cd);
                if (missing > 0) {
                    // the input's chunks past the last replica (another input had fewer): no gradient, zeros
                    int[] shape = joined.shape().clone();
                    shape[cd] = missing;
                    joined = Torch.cat(new Tensor[] {joined, Torch.zeros(joined.dtype(), joined.device(), shape)}, cd);
                }
                result[nSources + j] = joined;
            }
            return result;
        }

        /** Gradients of replica i's output for every source (by index) and every input chunk. */
        private Tensor[] replicaBackward(int i, Tensor out, Tensor gradOut) {
            int nSources = sourceDevices.length;
            Tensor[] r = new Tensor[nSources + inputDevices.length];
            if (!out.requiresGrad()) {
                return r;
            }
            List<Tensor> wrt = new ArrayList<>();
            List<Integer> slot = new ArrayList<>();
            for (Map.Entry<Integer, Tensor> e : leaves.get(i).entrySet()) {
                wrt.add(e.getValue());
                slot.add(e.getKey());
            }
            for (int j = 0; j < inputDevices.length; j++) {
                if (chunkLeaves[i][j].requiresGrad()) {
                    wrt.add(chunkLeaves[i][j]);
                    slot.add(nSources + j);
                }
            }
            if (wrt.isEmpty()) {
                return r;
            }
            Tensor[] gr = Autograd.grad(new Tensor[] {out}, wrt.toArray(new Tensor[0]), new Tensor[] {gradOut}, true,
                    true);
            for (int k = 0; k < gr.length; k++) {
                r[slot.get(k)] = gr[k];
            }
            return r;
        }

        @Override
        protected void releaseVariables() {
            super.releaseVariables();
            outs = null;
        }
    }
}

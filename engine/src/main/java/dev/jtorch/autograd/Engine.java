package dev.jtorch.autograd;

import dev.jtorch.Tensor;
import org.eclipse.collections.impl.map.mutable.primitive.LongIntHashMap;
import org.eclipse.collections.impl.map.mutable.primitive.LongObjectHashMap;

import java.util.ArrayDeque;
import java.util.PriorityQueue;

/**
 * The backward walk. Iterative throughout (an explicit stack for the dependency count, a ready queue for
 * execution), so a graph of any depth runs on a small thread stack. Nodes run in dependency order, the most
 * recently created first among those ready (as PyTorch's engine), each once all its consumers have sent their
 * gradient; gradients for the same node output are summed.
 */
final class Engine {
    private Engine() {
    }

    /**
     * Runs backward from {@code roots} seeded with {@code seeds}. When {@code capture} is non-null, gradients
     * arriving at those (node, output) pairs are returned instead of accumulated into leaves.
     */
    static Tensor[] run(Tensor[] roots, Tensor[] seeds, boolean retainGraph, Tensor[] capture) {
        boolean previous = GradMode.set(false);
        try {
            return walk(roots, seeds, retainGraph, capture);
        } finally {
            GradMode.set(previous);
        }
    }

    private static Node nodeOf(Tensor t) {
        Node fn = t.gradFn();
        return fn != null ? fn : dev.jtorch.internal.TensorAccess.get().gradAccumulator(t);
    }

    private static Tensor[] walk(Tensor[] roots, Tensor[] seeds, boolean retainGraph, Tensor[] capture) {
        // 1. dependency counts: how many edges point at each node, over the graph reachable from the roots
        LongIntHashMap deps = new LongIntHashMap();
        LongObjectHashMap<Node> seen = new LongObjectHashMap<>();
        ArrayDeque<Node> stack = new ArrayDeque<>();
        for (Tensor r : roots) {
            Node n = nodeOf(r);
            if (seen.put(n.sequenceNr, n) == null) {
                stack.push(n);
            }
        }
        while (!stack.isEmpty()) {
            Node n = stack.pop();
            for (Node next : n.nextNodes) {
                if (next == null) {
                    continue;
                }
                deps.addToValue(next.sequenceNr, 1);
                if (seen.put(next.sequenceNr, next) == null) {
                    stack.push(next);
                }
            }
        }
        // 2. captured (node, output) pairs for Autograd.grad
        long[] captureNodes = null;
        int[] captureOutputs = null;
        Tensor[] captured = null;
        if (capture != null) {
            captureNodes = new long[capture.length];
            captureOutputs = new int[capture.length];
            captured = new Tensor[capture.length];
            for (int i = 0; i < capture.length; i++) {
                Node n = nodeOf(capture[i]);
                captureNodes[i] = n.sequenceNr;
                captureOutputs[i] = capture[i].gradFn() != null ? capture[i].outputNr() : 0;
            }
        }
        // 3. seed the buffers and run nodes as they become ready
        LongObjectHashMap<Tensor[]> buffers = new LongObjectHashMap<>();
        for (int i = 0; i < roots.length; i++) {
            Node n = nodeOf(roots[i]);
            int out = roots[i].gradFn() != null ? roots[i].outputNr() : 0;
            accumulate(buffers, n, out, seeds[i]);
        }
        PriorityQueue<Node> ready = new PriorityQueue<>((a, b) -> Long.compare(b.sequenceNr, a.sequenceNr));
        LongObjectHashMap<Node> queued = new LongObjectHashMap<>();
        for (Tensor r : roots) {
            Node n = nodeOf(r);
            if (deps.get(n.sequenceNr) == 0 && queued.put(n.sequenceNr, n) == null) {
                ready.add(n);
            }
        }
        while (!ready.isEmpty()) {
            Node n = ready.poll();
            Tensor[] grads = buffers.remove(n.sequenceNr);
            if (grads == null) {
                grads = new Tensor[n.numOutputs()];
            }
            for (int o = 0; o < grads.length; o++) {
                if (grads[o] != null) {
                    grads[o] = n.runPreHooks(o, grads[o]);
                }
            }
            // a node that received no gradient at all is not run, but still releases its consumers' counts
            boolean skip = true;
            for (Tensor g : grads) {
                skip &= g == null;
            }
            if (capture != null) {
                for (int c = 0; c < captureNodes.length; c++) {
                    if (captureNodes[c] == n.sequenceNr) {
                        Tensor g = grads[captureOutputs[c]];
                        captured[c] = captured[c] == null || g == null ? g : captured[c].add(g);
                    }
                }
                skip |= n instanceof AccumulateGrad;
            }
            Tensor[] inputGrads = skip ? new Tensor[0] : n.apply(grads);
            if (!retainGraph) {
                n.releaseVariables();
            }
            for (int i = 0; i < n.nextNodes.length; i++) {
                Node next = n.nextNodes[i];
                if (next == null) {
                    continue;
                }
                if (i < inputGrads.length && inputGrads[i] != null) {
                    accumulate(buffers, next, n.nextInputNrs[i], inputGrads[i]);
                }
                int left = deps.get(next.sequenceNr) - 1;
                deps.put(next.sequenceNr, left);
                if (left == 0) {
                    ready.add(next);
                }
            }
        }
        return captured;
    }

    private static void accumulate(LongObjectHashMap<Tensor[]> buffers, Node n, int output, Tensor g) {
        Tensor[] b = buffers.get(n.sequenceNr);
        if (b == null) {
            b = new Tensor[n.numOutputs()];
            buffers.put(n.sequenceNr, b);
        }
        b[output] = b[output] == null ? g : b[output].add(g);
    }
}

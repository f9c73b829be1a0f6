package dev.jtorch.backend.cpu;

import dev.jtorch.backend.View;

import org.eclipse.collections.impl.list.mutable.primitive.IntArrayList;

/**
 * Iteration over several strided operands of one shape, innermost dim last. Dims of size 1 are dropped and
 * adjacent dims merged where every operand allows it, so a contiguous (or uniformly strided) tensor becomes
 * one long row; the callback then runs once per row with each operand's offset and inner stride.
 */
final class Strided {
    /** Called once per innermost row. */
    interface Row {
        void run(int[] offsets, int[] strides, int n);
    }

    private Strided() {
    }

    static void rows(int[] shape, View[] ops, Row row) {
        int k = ops.length;
        // collapse dims, outermost first
        IntArrayList dims = new IntArrayList(shape.length);
        IntArrayList[] st = new IntArrayList[k];
        for (int j = 0; j < k; j++) {
            st[j] = new IntArrayList(shape.length);
        }
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == 1) {
                continue;
            }
            if (shape[i] == 0) {
                return;
            }
            int last = dims.size() - 1;
            boolean merge = last >= 0;
            for (int j = 0; j < k && merge; j++) {
                merge = st[j].get(last) == ops[j].stride()[i] * shape[i];
            }
            if (merge) {
                dims.set(last, dims.get(last) * shape[i]);
                for (int j = 0; j < k; j++) {
                    st[j].set(last, ops[j].stride()[i]);
                }
            } else {
                dims.add(shape[i]);
                for (int j = 0; j < k; j++) {
                    st[j].add(ops[j].stride()[i]);
                }
            }
        }
        int nd = dims.size();
        int[] base = new int[k];
        for (int j = 0; j < k; j++) {
            base[j] = ops[j].storageOffset();
        }
        if (nd == 0) {
            row.run(base, new int[k], 1);
            return;
        }
        int n = dims.get(nd - 1);
        int[] inner = new int[k];
        for (int j = 0; j < k; j++) {
            inner[j] = st[j].get(nd - 1);
        }
        int[] counter = new int[nd - 1];
        int[] offs = base.clone();
        while (true) {
            row.run(offs.clone(), inner, n);
            int d = nd - 2;
            while (d >= 0) {
                counter[d]++;
                for (int j = 0; j < k; j++) {
                    offs[j] += st[j].get(d);
                }
                if (counter[d] < dims.get(d)) {
                    break;
                }
                for (int j = 0; j < k; j++) {
                    offs[j] -= st[j].get(d) * dims.get(d);
                }
                counter[d] = 0;
                d--;
            }
            if (d < 0) {
                return;
            }
        }
    }
}

package dev.jtorch.backend.cpu;

import dev.jtorch.backend.Storage;
import dev.jtorch.backend.View;
import dev.jtorch.kernels.PackedB;

import java.util.Map;
import java.util.WeakHashMap;

/**
 * The packed GEMM operands ({@link PackedB}) of recurrent weights, kept across calls of {@link CpuRnn}: a
 * recurrent step multiplies by the same weight at every step, so each call packs it once, and while the weight
 * does not change between calls (inference; the forward and backward of one training step) not even that.
 * An entry is valid for the exact storage, offset, layout and version counter it was packed from; every
 * in-place write through the tensor API (optimizer steps, {@code copy_}, {@code loadStateDict},
 * {@code nn.init}) bumps the version, so a changed weight is repacked. Entries hang off their storage weakly
 * (identity keys) and go with it. Safe for concurrent calls: entries are immutable, lookups and insertions
 * hold the lock only briefly and packing runs outside it; two threads that miss at once both pack and one
 * entry wins.
 */
final class PackedWeights {
    private PackedWeights() {
    }

    /** One cached derived form: the slot it was made from (offset and layout key) and the version it saw. */
    private record Entry(int offset, int version, Object key, Object packed) {
        boolean sameSlot(int offset, Object key) {
            return this.offset == offset && this.key.equals(key);
        }
    }

    /** The key of a GEMM operand made by {@link #get}. */
    private record GemmKey(boolean transB, int k, int n) {
    }

    /**
     * Entries kept per storage: a layer's recurrent weight is packed in two layouts (W^T for the forward, W for
     * the backward) and the batch-1 path's slices; a storage holding several weights (one flat parameter
     * buffer) needs a few more.
     */
    private static final int PER_STORAGE = 8;

    private static final Map<Storage, Entry[]> CACHE = new WeakHashMap<>();

    /**
     * op(w) packed for {@link RnnArrays#gemm(boolean, int, Object, int, int, PackedB, double, Object, int, int)}:
     * w (a contiguous view of a CPU storage, row-major) is n x k when transB, else k x n.
     */
    static PackedB get(RnnArrays arrays, View w, boolean transB, int k, int n) {
        return derived(w, new GemmKey(transB, k, n), () -> {
            Object src = ((CpuStorage) w.storage()).array();
            int off = w.storageOffset();
            if (src instanceof short[]) {       // float16 / bfloat16 weights of a float32 inference: widened once
                src = HalfArrays.widen(w, (long) k * n);
                off = 0;
            }
            return arrays.pack(transB, k, n, src, off, transB ? k : n);
        });
    }

    /**
     * A form derived from the weight {@code w} (a contiguous view of a CPU storage) by {@code make}, cached like
     * the packed GEMM operands: valid for w's storage, offset and version and the given {@code key} (a record
     * naming the layout, compared by equals).
     */
    @SuppressWarnings("unchecked")
    static <T> T derived(View w, Object key, java.util.function.Supplier<T> make) {
        Storage st = w.storage();
        int offset = w.storageOffset();
        int version = st.version();
        synchronized (CACHE) {
            Entry[] entries = CACHE.get(st);
            if (entries != null) {
                for (Entry e : entries) {
                    if (e.version == version && e.sameSlot(offset, key)) {
                        return (T) e.packed;
                    }
                }
            }
        }
        T packed = make.get();
        Entry fresh = new Entry(offset, version, key, packed);
        synchronized (CACHE) {
            Entry[] old = CACHE.get(st);
            Entry[] kept = new Entry[old == null ? 1 : Math.min(PER_STORAGE, old.length + 1)];
            kept[0] = fresh;
            int i = 1;
            for (int j = 0; old != null && j < old.length && i < kept.length; j++) {
                if (!old[j].sameSlot(offset, key)) {
                    kept[i++] = old[j];   // another slot; an older version of this one is dropped
                }
            }
            CACHE.put(st, i == kept.length ? kept : java.util.Arrays.copyOf(kept, i));
        }
        return packed;
    }
}

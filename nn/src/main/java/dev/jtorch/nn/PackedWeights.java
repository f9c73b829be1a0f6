package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.backend.Storage;
import dev.jtorch.backend.cpu.CpuStorage;
import dev.jtorch.kernels.PackedB;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The packed GEMM operands ({@link PackedB}) of one recurrent layer and direction, kept across calls: a
 * recurrent step multiplies by the same weight at every step, so each call packs it once, and in eval mode,
 * where the weights do not change between calls, not even that. An entry is valid for the exact storage,
 * offset and version counter it was packed from; every in-place write through the tensor API (optimizer
 * steps, {@code copy_}, {@code loadStateDict}, {@code nn.init}) bumps the version, so a changed weight is
 * repacked. Safe for concurrent forwards: entries are immutable and published atomically; two threads that
 * miss at once both pack and one entry wins.
 */
final class PackedWeights {
    /** Slots: the forward's W_ih^T, W_hh^T and W_hr^T, the backward's W_hh and W_hr. */
    static final int IH_T = 0, HH_T = 1, HR_T = 2, HH = 3, HR = 4;

    private record Entry(Storage storage, int offset, int version, boolean transB, int k, int n, PackedB packed) {
    }

    private final AtomicReferenceArray<Entry> slots = new AtomicReferenceArray<>(5);

    /**
     * op(w) packed for the GEMMs of {@link FusedRnn}: w (contiguous, row-major) is n x k when transB, else
     * k x n. Without a cache (null) the operand is packed for this call only.
     */
    static PackedB get(PackedWeights cache, int slot, RnnArrays arrays, Tensor w, boolean transB, int k, int n) {
        Tensor c = w.contiguous();
        Storage st = c.storage();
        int version = st.version();
        if (cache != null && c == w) {
            Entry e = cache.slots.get(slot);
            if (e != null && e.storage == st && e.offset == c.storageOffset() && e.version == version
                    && e.transB == transB && e.k == k && e.n == n) {
                return e.packed;
            }
        }
        PackedB packed = arrays.pack(transB, k, n, ((CpuStorage) st).array(), c.storageOffset(), transB ? k : n);
        if (cache != null && c == w) {
            cache.slots.set(slot, new Entry(st, c.storageOffset(), version, transB, k, n, packed));
        }
        return packed;
    }
}

package dev.jtorch.io;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property tests of both loaders: valid files (torch.save archives built by {@link PtWriter}, PyTorch's own
 * files from the corpus, safetensors files) are truncated, have bytes flipped, and have size and offset
 * fields rewritten with boundary values; every mutant must load, or fail with the loader's exception, within
 * a time bound. No other exception or Error (OutOfMemoryError, StackOverflowError, NullPointerException ...)
 * may escape, and a file that loads must give tensors whose every element can be read.
 */
class LoaderFuzzTest {
    private static final Duration BOUND = Duration.ofSeconds(5);
    private static final List<byte[]> PT_FILES = List.of(
            PtWriter.small(false, new int[] {3, 4}, new int[] {5}, new int[] {2, 1, 3}),
            PtWriter.small(true, new int[] {7}, new int[] {2, 2}),
            CheckpointCorpusTest.resource("views_shared.pt"),
            CheckpointCorpusTest.resource("checkpoint_values.pt"),
            CheckpointCorpusTest.resource("state_dict_ok.pt"));
    private static final List<byte[]> ST_FILES = List.of(safetensors());

    private static byte[] safetensors() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Torch.arange(12).reshape(3, 4));
        m.put("d", Torch.arange(5).to(dev.jtorch.DType.FLOAT64));
        m.put("i", Torch.arange(4).to(dev.jtorch.DType.INT64));
        m.put("b", Torch.tensor(new boolean[] {true, false, true}));
        m.put("h", Torch.arange(6).to(dev.jtorch.DType.FLOAT16));
        return SafeTensors.serialize(m, Map.of("format", "pt"));
    }

    /** One mutation of a file: what to do, where (a fraction of the length) and with what. */
    record Mutation(int kind, double where, long value, int count) {
        byte[] apply(byte[] file) {
            int at = (int) Math.min(file.length - 1L, (long) (where * file.length));
            byte[] out = file.clone();
            switch (kind) {
                case 0 -> {
                    return java.util.Arrays.copyOf(file, at);  // truncate
                }
                case 1 -> {
                    for (int i = 0; i < count; i++) {   // flip bytes near `at`
                        int p = (int) ((at + (long) i * (value & 0xffff)) % file.length);
                        out[p] ^= (byte) (1 << (i % 8));
                    }
                }
                case 2, 3 -> {
                    // rewrite a 4- or 8-byte little-endian field at a zip header position near `at`
                    int width = kind == 2 ? 4 : 8;
                    int p = fieldNear(file, at);
                    if (p + width <= out.length) {
                        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
                        if (width == 4) {
                            b.putInt(p, (int) value);
                        } else {
                            b.putLong(p, value);
                        }
                    }
                }
                default -> {
                    // overwrite a pickle-sized run with copies of one byte (opcode soup)
                    for (int i = 0; i < count && at + i < out.length; i++) {
                        out[at + i] = (byte) value;
                    }
                }
            }
            return out;
        }

        /** A header field: an offset of a zip signature plus one of its size/offset field positions. */
        private static int fieldNear(byte[] f, int at) {
            int[][] fields = {{0x02014b50, 20, 24, 28, 30, 42}, {0x04034b50, 18, 22, 26, 28},
                              {0x06054b50, 10, 12, 16}, {0x06064b50, 32, 40, 48}, {0x0001, 4, 12, 20}};
            ByteBuffer b = ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN);
            for (int p = at; p + 4 <= f.length; p++) {
                int sig = b.getInt(p);
                for (int[] fl : fields) {
                    if (sig == fl[0] || (fl[0] == 0x0001 && b.getShort(p) == 1 && b.getShort(p + 2) == 24)) {
                        return p + fl[1 + Math.floorMod(at, fl.length - 1)];
                    }
                }
            }
            return at;
        }
    }

    @Provide
    Arbitrary<Mutation> mutations() {
        Arbitrary<Long> values = Arbitraries.oneOf(
                Arbitraries.of(0L, 1L, -1L, 0xffffffffL, 0x7fffffffL, 0x80000000L, Long.MAX_VALUE, Long.MIN_VALUE,
                        1L << 32, 1L << 40, 30L, 46L, 100L, 0x8aL, 0x4bL),
                Arbitraries.longs());
        return Combinators.combine(Arbitraries.integers().between(0, 4), Arbitraries.doubles().between(0, 1),
                values, Arbitraries.integers().between(1, 16)).as(Mutation::new);
    }

    @Property(tries = 2500)
    void torchSaveFilesLoadOrFailWithTheLoadersException(@ForAll("mutations") Mutation m,
                                                        @ForAll("ptFile") int which) {
        byte[] file = m.apply(PT_FILES.get(which));
        String outcome = assertTimeoutPreemptively(BOUND, () -> {
            try {
                touch(TorchLoad.load(file), 0);
                return "loads";
            } catch (TorchLoadException expected) {
                return "fails with TorchLoadException";
            } catch (Throwable t) {
                return fail("mutant " + m + " of file " + which + " threw " + t, t);
            }
        });
        Statistics.label("pt").collect(outcome);
    }

    @Provide
    Arbitrary<Integer> ptFile() {
        return Arbitraries.integers().between(0, PT_FILES.size() - 1);
    }

    @Property(tries = 2000)
    void safetensorsFilesLoadOrFailWithTheLoadersException(@ForAll("mutations") Mutation m) {
        byte[] file = m.apply(ST_FILES.get(0));
        String outcome = assertTimeoutPreemptively(BOUND, () -> {
            try {
                touch(SafeTensors.load(file), 0);
                return "loads";
            } catch (SafeTensorsException expected) {
                return "fails with SafeTensorsException";
            } catch (Throwable t) {
                return fail("mutant " + m + " threw " + t, t);
            }
        });
        Statistics.label("safetensors").collect(outcome);
    }

    @Property(tries = 500)
    void safetensorsHeaderFieldsRewritten(@ForAll("headerEdits") String[] edit) {
        byte[] base = ST_FILES.get(0);
        long n = ByteBuffer.wrap(base).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        String header = new String(base, 8, (int) n, java.nio.charset.StandardCharsets.UTF_8);
        String mutated = header.replaceFirst(edit[0], edit[1]);
        byte[] h = mutated.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + h.length + base.length - 8 - (int) n).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(h.length).put(h).put(base, 8 + (int) n, base.length - 8 - (int) n);
        byte[] file = out.array();
        assertTimeoutPreemptively(BOUND, () -> {
            try {
                touch(SafeTensors.load(file), 0);
            } catch (SafeTensorsException expected) {
                // fine
            } catch (Throwable t) {
                fail("header edit " + edit[0] + " -> " + edit[1] + " threw " + t, t);
            }
        });
    }

    @Provide
    Arbitrary<String[]> headerEdits() {
        Arbitrary<String> targets = Arbitraries.of("\\d+", "\\[\\d+,\\d+\\]", "\"F32\"", "\"shape\"", "\\[3,4\\]",
                "\\{", "\\}", ",", ":", "\"format\"");
        Arbitrary<String> replacements = Arbitraries.of("0", "-1", "9223372036854775807", "99999999999999999999",
                "2147483648", "[]", "[0,0]", "[1,-1]", "\"I32\"", "\"x\"", "{", "}", "", "[[[[", "1.5", "null",
                "\"\\ud800\"", "\"caf\u00e9\"");
        return Combinators.combine(targets, replacements).as((a, b) -> new String[] {a, b});
    }

    /** Reads every element of every tensor reachable from a loaded value (bounded). */
    private static void touch(Object o, int depth) {
        if (depth > 300) {
            return;
        }
        switch (o) {
            case Tensor t -> {
                if (t.numel() <= 1_000_000) {
                    t.contiguous().toDoubleArray();
                }
            }
            case Map<?, ?> m -> {
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    touch(e.getKey(), depth + 1);
                    touch(e.getValue(), depth + 1);
                }
            }
            case Collection<?> c -> new ArrayList<>(c).forEach(x -> touch(x, depth + 1));
            case null, default -> {
            }
        }
    }
}

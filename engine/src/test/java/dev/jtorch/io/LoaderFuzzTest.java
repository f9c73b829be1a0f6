package dev.jtorch.io;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Property tests of both loaders: valid files (torch.save archives built by {@link PtWriter}, PyTorch's own
 * files from the corpus, safetensors files) are truncated, have bytes flipped, and have size and offset
 * fields rewritten with boundary values; every mutant must load, or fail with the loader's exception, within
 * a time bound. No other exception or Error (OutOfMemoryError, StackOverflowError, NullPointerException ...)
 * may escape, and a file that loads must give tensors whose every element can be read.
 *
 * <p>Property-based in plain JUnit: each property draws its cases from generators over a seeded
 * {@link SplittableRandom} (boundary values weighted in), thousands per run; a failure names the seed and the
 * case, and {@code -Djtorch.fuzz.seed=S -Djtorch.fuzz.scale=K} replays a seed or runs K times as many cases.
 * (jqwik, the usual choice, is not used: since 1.10 its maintainer asks that it not be used by AI coding
 * agents, and this suite is maintained with one.)
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

    private static final long SEED = Long.getLong("jtorch.fuzz.seed", 20261129L);
    private static final int SCALE = Integer.getInteger("jtorch.fuzz.scale", 1);
    private static final long[] EDGES = {0L, 1L, -1L, 0xffffffffL, 0x7fffffffL, 0x80000000L, Long.MAX_VALUE,
        Long.MIN_VALUE, 1L << 32, 1L << 40, 30L, 46L, 100L, 0x8aL, 0x4bL};

    /** A mutation: kind, position, a value (a boundary value half of the time) and a count. */
    static Mutation mutation(SplittableRandom r) {
        long value = r.nextBoolean() ? EDGES[r.nextInt(EDGES.length)] : r.nextLong();
        return new Mutation(r.nextInt(5), r.nextDouble(), value, 1 + r.nextInt(16));
    }

    /**
     * Runs {@code cases} draws of {@code check} (which returns the outcome's name), each within the time bound,
     * and returns how often each outcome came.
     */
    static Map<String, Integer> forAll(String property, int cases, Function<SplittableRandom, String> check) {
        Map<String, Integer> outcomes = new TreeMap<>();
        SplittableRandom root = new SplittableRandom(SEED ^ property.hashCode());
        for (int c = 0; c < cases * SCALE; c++) {
            SplittableRandom r = root.split();
            int index = c;
            String outcome = assertTimeoutPreemptively(BOUND, () -> check.apply(r),
                    () -> property + ": case " + index + " (seed " + SEED + ") ran past " + BOUND);
            outcomes.merge(outcome, 1, Integer::sum);
        }
        System.out.println(property + ": " + outcomes);
        return outcomes;
    }

    @Test
    void torchSaveFilesLoadOrFailWithTheLoadersException() {
        Map<String, Integer> outcomes = forAll("pt", 2500, r -> {
            Mutation m = mutation(r);
            int which = r.nextInt(PT_FILES.size());
            byte[] file = m.apply(PT_FILES.get(which));
            try {
                touch(TorchLoad.load(file), 0);
                return "loads";
            } catch (TorchLoadException expected) {
                return "fails with TorchLoadException";
            } catch (Throwable t) {
                return fail("mutant " + m + " of file " + which + " (seed " + SEED + ") threw " + t, t);
            }
        });
        assertTrue(outcomes.size() == 2, "both outcomes occur: " + outcomes);
    }

    @Test
    void safetensorsFilesLoadOrFailWithTheLoadersException() {
        Map<String, Integer> outcomes = forAll("safetensors", 2000, r -> {
            Mutation m = mutation(r);
            byte[] file = m.apply(ST_FILES.get(0));
            try {
                touch(SafeTensors.load(file), 0);
                return "loads";
            } catch (SafeTensorsException expected) {
                return "fails with SafeTensorsException";
            } catch (Throwable t) {
                return fail("mutant " + m + " (seed " + SEED + ") threw " + t, t);
            }
        });
        assertTrue(outcomes.size() == 2, "both outcomes occur: " + outcomes);
    }

    private static final String[] TARGETS = {"\\d+", "\\[\\d+,\\d+\\]", "\"F32\"", "\"shape\"", "\\[3,4\\]",
        "\\{", "\\}", ",", ":", "\"format\""};
    private static final String[] REPLACEMENTS = {"0", "-1", "9223372036854775807", "99999999999999999999",
        "2147483648", "[]", "[0,0]", "[1,-1]", "\"I32\"", "\"x\"", "{", "}", "", "[[[[", "1.5", "null",
        "\"\\ud800\"", "\"caf\u00e9\""};

    /** Every header edit (each target's first occurrence replaced by each replacement): exhaustive. */
    @Test
    void safetensorsHeaderFieldsRewritten() {
        byte[] base = ST_FILES.get(0);
        long n = ByteBuffer.wrap(base).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        String header = new String(base, 8, (int) n, java.nio.charset.StandardCharsets.UTF_8);
        Map<String, Integer> outcomes = new TreeMap<>();
        for (String target : TARGETS) {
            for (String replacement : REPLACEMENTS) {
                String mutated = header.replaceFirst(target, java.util.regex.Matcher.quoteReplacement(replacement));
                byte[] h = mutated.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                int data = base.length - 8 - (int) n;
                ByteBuffer out = ByteBuffer.allocate(8 + h.length + data).order(ByteOrder.LITTLE_ENDIAN);
                out.putLong(h.length).put(h).put(base, 8 + (int) n, data);
                byte[] file = out.array();
                String outcome = assertTimeoutPreemptively(BOUND, () -> {
                    try {
                        touch(SafeTensors.load(file), 0);
                        return "loads";
                    } catch (SafeTensorsException expected) {
                        return "fails with SafeTensorsException";
                    } catch (Throwable t) {
                        return fail("header edit " + target + " -> " + replacement + " threw " + t, t);
                    }
                });
                outcomes.merge(outcome, 1, Integer::sum);
            }
        }
        assertTrue(outcomes.size() == 2, "both outcomes occur: " + outcomes);
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

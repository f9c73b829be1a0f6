package dev.jtorch.io;

import dev.jtorch.Tensor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Large checkpoints, generated at test time and loaded in a JVM limited to 400 MB of heap (its own Surefire
 * run, see engine/pom.xml): a 200 MB .pt state dict and a 200 MB safetensors file load (peak heap close to
 * the tensors' own 200 MB), a safetensors header of 90 MB loads, archives over 2 GB load (sparse files: the
 * first 2 GB are a hole), and a 200 MB zip bomb fails at once.
 */
class LargeCheckpointTest {
    private static final int TENSORS = 50;
    private static final int FLOATS = 1 << 20;   // 4 MB each: 200 MB in all
    private static Path dir;

    @BeforeAll
    static void dir() throws IOException {
        dir = Files.createDirectories(Path.of("target", "large-checkpoints"));
    }

    @AfterAll
    static void clean() throws IOException {
        try (var files = Files.list(dir)) {
            for (Path p : files.toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void checkValues(Map<String, Tensor> sd) {
        assertEquals(TENSORS, sd.size());
        for (int t = 0; t < TENSORS; t++) {
            Tensor x = sd.get("t" + t);
            assertEquals(FLOATS, x.numel());
            float[] v = x.toFloatArray();
            for (int i = 0; i < FLOATS; i += 4099) {
                assertEquals(PtWriter.value(t, i), v[i], "t" + t + "[" + i + "]");
            }
        }
    }

    @Test
    void a200MbStateDictLoadsWithin400MbOfHeap() throws IOException {
        Path pt = dir.resolve("big.pt");
        List<PtWriter.Spec> specs = new ArrayList<>();
        List<PtWriter.Entry> entries = new ArrayList<>();
        for (int t = 0; t < TENSORS; t++) {
            specs.add(PtWriter.Spec.contiguous("t" + t, String.valueOf(t), 1024, FLOATS / 1024));
            entries.add(new PtWriter.Entry("archive/data/" + t, null, FLOATS, t, false));
        }
        PtWriter.write(pt, specs, entries, false);
        Map<String, Tensor> sd = TorchLoad.loadStateDict(pt);
        checkValues(sd);
    }

    /** A safetensors file written in a stream: header, then each tensor's values from {@link PtWriter#value}. */
    private static void writeSafetensors(Path path, String metadataValue, int extraTensors) throws IOException {
        StringBuilder h = new StringBuilder("{");
        if (metadataValue != null) {
            h.append("\"__metadata__\":{\"note\":\"").append(metadataValue).append("\"},");
        }
        long off = 0;
        for (int t = 0; t < TENSORS; t++) {
            h.append("\"t").append(t).append("\":{\"dtype\":\"F32\",\"shape\":[").append(FLOATS)
                    .append("],\"data_offsets\":[").append(off).append(',').append(off + 4L * FLOATS).append("]},");
            off += 4L * FLOATS;
        }
        for (int e = 0; e < extraTensors; e++) {
            h.append("\"empty.tensor.number.").append(e).append("\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[")
                    .append(off).append(',').append(off).append("]},");
        }
        h.setCharAt(h.length() - 1, '}');
        byte[] header = h.toString().getBytes(StandardCharsets.UTF_8);
        h = null;
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(header.length);
            ch.write(len.flip());
            ch.write(ByteBuffer.wrap(header));
            ByteBuffer buf = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
            for (int t = 0; t < TENSORS; t++) {
                for (int i = 0; i < FLOATS; ) {
                    buf.clear();
                    while (buf.hasRemaining() && i < FLOATS) {
                        buf.putFloat(PtWriter.value(t, i++));
                    }
                    ch.write(buf.flip());
                }
            }
        }
    }

    @Test
    void a200MbSafetensorsFileLoadsWithin400MbOfHeap() throws IOException {
        Path st = dir.resolve("big.safetensors");
        writeSafetensors(st, null, 0);
        Map<String, Tensor> sd = SafeTensors.load(st);
        checkValues(sd);
        // and written back in a stream (an in-memory serialisation would need another 200 MB)
        Path back = dir.resolve("back.safetensors");
        SafeTensors.save(sd, Map.of("format", "pt"), back);
        sd = null;
        try (SafeTensors.Reader r = SafeTensors.open(back)) {
            assertEquals(TENSORS, r.keys().size());
            for (int t = 0; t < TENSORS; t += 7) {
                assertEquals(PtWriter.value(t, FLOATS - 1), r.get("t" + t).toFloatArray()[FLOATS - 1]);
            }
        }
    }

    @Test
    void aSafetensorsHeaderOf90MbLoads() throws IOException {
        Path st = dir.resolve("header.safetensors");
        writeSafetensors(st, "x".repeat(90_000_000), 0);
        try (SafeTensors.Reader r = SafeTensors.open(st)) {
            assertEquals(90_000_000, r.metadata().get("note").length());
        }
        Path many = dir.resolve("many.safetensors");
        writeSafetensors(many, null, 1_000_000);
        try (SafeTensors.Reader r = SafeTensors.open(many)) {
            assertEquals(1_000_050, r.keys().size());
            assertTrue(Files.size(many) - 8 - 4L * FLOATS * TENSORS > 90_000_000L, "a header over 90 MB: " + Files.size(many));
        }
    }

    @Test
    void archivesOver2GbLoad() throws IOException {
        Path pt = dir.resolve("over2gb.pt");
        long hole = (2L << 30) + 12345;   // an unreferenced entry of 2 GB + a bit, never read: a sparse hole
        List<PtWriter.Spec> specs = List.of(PtWriter.Spec.contiguous("t0", "0", 3, 5),
                PtWriter.Spec.contiguous("t1", "1", 1000));
        List<PtWriter.Entry> entries = List.of(new PtWriter.Entry("archive/data/0", null, 15, 0, false),
                new PtWriter.Entry("archive/data/pad", null, hole / 4, 0, true),
                new PtWriter.Entry("archive/data/1", null, 1000, 1, false));
        PtWriter.write(pt, specs, entries, false);
        assertTrue(Files.size(pt) > (2L << 30));
        Map<String, Tensor> sd = assertTimeoutPreemptively(Duration.ofSeconds(20), () -> TorchLoad.loadStateDict(pt));
        assertEquals(PtWriter.value(1, 999), sd.get("t1").toFloatArray()[999]);
        assertEquals(PtWriter.value(0, 14), sd.get("t0").toFloatArray()[14]);
        // the same past 4 GB, through zip64 fields
        Path pt64 = dir.resolve("over4gb.pt");
        List<PtWriter.Entry> entries64 = List.of(new PtWriter.Entry("archive/data/0", null, 15, 0, false),
                new PtWriter.Entry("archive/data/pad", null, (4L << 30) / 4 + 7, 0, true),
                new PtWriter.Entry("archive/data/1", null, 1000, 1, false));
        PtWriter.write(pt64, specs, entries64, true);
        Map<String, Tensor> sd64 = TorchLoad.loadStateDict(pt64);
        assertEquals(PtWriter.value(1, 500), sd64.get("t1").toFloatArray()[500]);
        Files.delete(pt);
        Files.delete(pt64);
    }

    @Test
    void safetensorsOver2GbLoadsATensorPastTheBoundary() throws IOException {
        Path st = dir.resolve("over2gb.safetensors");
        long padFloats = (1L << 31) / 4 + 11;
        String header = "{\"pad\":{\"dtype\":\"F32\",\"shape\":[" + padFloats + "],\"data_offsets\":[0," + padFloats * 4
                + "]},\"t\":{\"dtype\":\"F32\",\"shape\":[2,3],\"data_offsets\":[" + padFloats * 4 + ","
                + (padFloats * 4 + 24) + "]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        try (FileChannel ch = FileChannel.open(st, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ch.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).flip());
            ch.write(ByteBuffer.wrap(h));
            ByteBuffer t = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < 6; i++) {
                t.putFloat(i + 0.5f);
            }
            ch.write(t.flip(), 8 + h.length + padFloats * 4);
        }
        try (SafeTensors.Reader r = SafeTensors.open(st)) {
            Tensor t = r.get("t");
            assertEquals(5.5f, t.toFloatArray()[5]);
        }
        Files.delete(st);
    }

    /** An archive around a pickle of {@code n} copies of {@code unit} after {@code head} (BINPUT keys distinct). */
    private static byte[] flood(byte[] head, byte[] unit, int n) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(head.length + unit.length * n + 1).order(ByteOrder.LITTLE_ENDIAN);
        b.put(head);
        for (int i = 0; i < n; i++) {
            int at = b.position();
            b.put(unit);
            if (unit[0] == 'r') {
                b.putInt(at + 1, i);
            }
        }
        b.put((byte) '.');
        return archiveWith(b.array());
    }

    /** A zip of one stored data.pkl entry. */
    private static byte[] archiveWith(byte[] pkl) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(out)) {
            java.util.zip.ZipEntry e = new java.util.zip.ZipEntry("archive/data.pkl");
            e.setMethod(java.util.zip.ZipEntry.STORED);
            e.setSize(pkl.length);
            CRC32 crc = new CRC32();
            crc.update(pkl);
            e.setCrc(crc.getValue());
            z.putNextEntry(e);
            z.write(pkl);
            z.closeEntry();
        }
        return out.toByteArray();
    }

    @Test
    void picklesThatFloodTheHeapFailWithTheLoadersException() throws IOException {
        long pklLimit = TorchLoad.Limits.defaults().maxPickleBytes();
        // a memo filled with distinct keys, empty dicts, empty lists, one-char strings: as many as the
        // data.pkl limit allows (an eighth of the heap), each a few bytes of pickle
        byte[][] floods = {
            flood(new byte[] {(byte) 0x80, 2, 'N'}, new byte[] {'r', 0, 0, 0, 0}, (int) (pklLimit / 5) - 10),
            flood(new byte[] {(byte) 0x80, 2, ']'}, new byte[] {'}', 'a'}, (int) (pklLimit / 2) - 10),
            flood(new byte[] {(byte) 0x80, 2, ']'}, new byte[] {']', 'a'}, (int) (pklLimit / 2) - 10),
            flood(new byte[] {(byte) 0x80, 2, ']'}, new byte[] {(byte) 0x8c, 1, 'x', 'a'}, (int) (pklLimit / 4) - 10),
        };
        for (byte[] f : floods) {
            TorchLoadException e = assertTimeoutPreemptively(Duration.ofSeconds(20),
                    () -> assertThrows(TorchLoadException.class, () -> TorchLoad.load(f)));
            assertTrue(e.getMessage().contains("maxObjects"), e.getMessage());
        }
    }

    @Test
    void a200MbZipBombFailsAtOnce() throws IOException {
        int inflated = 200 << 20;
        Deflater d = new Deflater(9, true);
        byte[] zeros = new byte[1 << 20];
        ByteBuffer comp = ByteBuffer.allocate(1 << 20);
        byte[] out = new byte[1 << 16];
        CRC32 crc = new CRC32();
        for (int i = 0; i < inflated / zeros.length; i++) {
            d.setInput(zeros);
            crc.update(zeros);
            while (!d.needsInput()) {
                comp.put(out, 0, d.deflate(out));
            }
        }
        d.finish();
        while (!d.finished()) {
            comp.put(out, 0, d.deflate(out));
        }
        d.end();
        comp.flip();
        // 30 central-directory entries, each with its own local header name, all pointing at one stream
        ByteBuffer f = ByteBuffer.allocate(comp.remaining() + 8192).order(ByteOrder.LITTLE_ENDIAN);
        byte[] name = "archive/data/0".getBytes(StandardCharsets.US_ASCII);
        f.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) 8).putInt(0)
                .putInt((int) crc.getValue()).putInt(comp.remaining()).putInt(inflated)
                .putShort((short) name.length).putShort((short) 0).put(name);
        int compSize = comp.remaining();
        f.put(comp);
        int cd = f.position();
        for (int i = 0; i < 30; i++) {
            byte[] n = String.format("archive/data/%d", i % 10).getBytes(StandardCharsets.US_ASCII);
            f.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0).putShort((short) 8)
                    .putInt(0).putInt((int) crc.getValue()).putInt(compSize).putInt(inflated)
                    .putShort((short) n.length).putShort((short) 0).putShort((short) 0).putShort((short) 0)
                    .putShort((short) 0).putInt(0).putInt(0).put(n);
        }
        int cdLen = f.position() - cd;
        f.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) 30).putShort((short) 30)
                .putInt(cdLen).putInt(cd).putShort((short) 0);
        byte[] file = java.util.Arrays.copyOf(f.array(), f.position());
        assertTrue(file.length < 300_000, "the bomb is small: " + file.length);
        TorchLoadException e = assertTimeoutPreemptively(Duration.ofSeconds(2),
                () -> assertThrows(TorchLoadException.class, () -> TorchLoad.load(file)));
        assertTrue(e.getMessage().contains("corrupt zip archive"), e.getMessage());
    }
}

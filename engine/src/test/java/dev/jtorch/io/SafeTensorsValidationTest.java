package dev.jtorch.io;

import dev.jtorch.Tensor;
import dev.jtorch.Torch;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Corrupt and hostile files: every rule of the format gets a clear SafeTensorsException, never an OOM. */
class SafeTensorsValidationTest {
    static byte[] file(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h);
        return b.array();
    }

    static void rejects(byte[] bytes, String fragment) {
        SafeTensorsException e = assertThrows(SafeTensorsException.class, () -> SafeTensors.load(bytes));
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    @Test
    void validFileLoads() {
        byte[] ok = file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 8);
        assertEquals(1, SafeTensors.load(ok).size());
    }

    @Test
    void truncatedFiles() {
        byte[] ok = SafeTensors.serialize(Map.of("w", Torch.ones(4, 4)), null);
        for (int cut : new int[] {0, 3, 8, 20, ok.length - 1}) {
            byte[] t = Arrays.copyOf(ok, cut);
            assertThrows(SafeTensorsException.class, () -> SafeTensors.load(t), "cut at " + cut);
        }
        rejects(Arrays.copyOf(ok, 5), "too small");
        rejects(Arrays.copyOf(ok, ok.length - 1), "data section has");
    }

    @Test
    void hugeHeaderLengths() {
        ByteBuffer b = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(Long.MAX_VALUE);
        rejects(b.array(), "exceeds the limit");
        ByteBuffer c = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        c.putLong(-1);
        rejects(c.array(), "exceeds the limit");
        ByteBuffer d = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        d.putLong(50_000_000);
        rejects(d.array(), "runs past the end of the file");
    }

    @Test
    void overlappingAndGappedOffsets() {
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}", 12), "contiguous");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[12,20]}}", 20), "contiguous");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", 12), "cover 8 bytes");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[8,0]}}", 8), "begin <= end");
    }

    @Test
    void wrongSizesAndOverflow() {
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", 8), "needs 12 bytes");
        rejects(file("{\"a\":{\"dtype\":\"F64\",\"shape\":[4294967296,4294967296,4294967296],"
                + "\"data_offsets\":[0,8]}}", 8), "too large");
        rejects(file("{\"a\":{\"dtype\":\"F64\",\"shape\":[2147483647,2147483647,2147483647],"
                + "\"data_offsets\":[0,8]}}", 8), "overflows");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,8]}}", 8), "non-negative");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,99999999999999999999]}}", 8),
                "out of range");
    }

    @Test
    void unknownDtypesAndKeys() {
        rejects(file("{\"a\":{\"dtype\":\"C64\",\"shape\":[1],\"data_offsets\":[0,8]}}", 8),
                "unsupported safetensors dtype 'C64'");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
                + "\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", 8), "duplicate key 'a'");
        rejects(file("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4],\"x\":1}}", 4), "unknown field");
        rejects(file("{\"__metadata__\":{\"k\":1}}", 0), "not a string");
    }

    @Test
    void malformedJson() {
        rejects(file("[1,2]", 0), "starting with '{'");
        rejects(file("{\"a\":", 0), "invalid header JSON");
        rejects(file("{\"a\":1.5}", 0), "only integers");
        rejects(file("{" + "\"a\":[".repeat(1) + "[".repeat(10_000) + "]".repeat(10_000) + "]}", 0), "nesting");
        byte[] bad = file("{\"a\":\"xx\"}", 0);
        bad[14] = (byte) 0xff;
        rejects(bad, "UTF-8");
    }

    @Test
    void badBoolBytes() {
        byte[] f = file("{\"m\":{\"dtype\":\"BOOL\",\"shape\":[2],\"data_offsets\":[0,2]}}", 2);
        f[f.length - 1] = 7;
        rejects(f, "BOOL data must be 0 or 1");
    }

    @Test
    void memoryMappedFileReadsLazily() throws Exception {
        Path p = Files.createTempFile("jtorch", ".safetensors");
        try {
            Tensor big = Torch.randn(256, 1024);
            SafeTensors.save(Map.of("big", big, "small", Torch.ones(2)), Map.of(), p);
            try (SafeTensors.Reader r = SafeTensors.open(p)) {
                assertEquals(java.util.List.of("big", "small"), r.keys());
                assertTrue(big.equal(r.get("big")));
                assertEquals("big: torch.float32 [256, 1024] [0, 1048576)", r.info("big").toString());
                var e = assertThrows(IllegalArgumentException.class, () -> r.get("nope"));
                assertTrue(e.getMessage().contains("no tensor named 'nope'"), e.getMessage());
            }
        } finally {
            Files.deleteIfExists(p);
        }
    }
}

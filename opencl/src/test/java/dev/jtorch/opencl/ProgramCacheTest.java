package dev.jtorch.opencl;

import dev.jtorch.DType;
import dev.jtorch.backend.Storage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/** Compiled programs: kept in memory, written to the disk cache, loaded from it, rebuilt when it is damaged. */
class ProgramCacheTest {
    @TempDir
    Path dir;

    private static float[] runFill(OpenClBackend ocl, ClDevice.Program p) {
        Storage s = ocl.allocate(DType.FLOAT32, 6);
        Geometry g = Geometry.of(new int[] {6}, dev.jtorch.backend.View.contiguous(s, new int[] {6}));
        ocl.clDevice().launch(p, "FILL_c", g.n, ((OpenClStorage) s).block(), g.pack(), Float.floatToRawIntBits(2.5f));
        return (float[]) ocl.toHost(s, 0, 6);
    }

    @Test
    void programsAreCachedInMemoryAndOnDisk() throws IOException {
        OpenClBackend ocl = Ocl.backend();
        ClDevice dev = ocl.clDevice();
        String source = ElementwiseSource.raw(4) + "\n// cache test " + System.nanoTime() + "\n";
        ProgramCache first = new ProgramCache(dev, dir);
        ClDevice.Program p = first.get(source);
        assertSame(p, first.get(source), "in memory");
        assertEquals(1, first.compiled);
        List<Path> files;
        try (var l = Files.list(dir)) {
            files = l.toList();
        }
        assertEquals(1, files.size(), "one binary on disk");
        assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f}, runFill(ocl, p));

        ProgramCache second = new ProgramCache(dev, dir); // the next JVM
        ClDevice.Program q = second.get(source);
        assertEquals(0, second.compiled);
        assertEquals(1, second.loaded, "loaded from the binary");
        assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f}, runFill(ocl, q));

        Files.write(files.getFirst(), new byte[] {1, 2, 3}); // a damaged cache file
        ProgramCache third = new ProgramCache(dev, dir);
        ClDevice.Program r = third.get(source);
        assertEquals(1, third.compiled, "rebuilt from source");
        assertArrayEquals(new float[] {2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 2.5f}, runFill(ocl, r));
        ProgramCache fourth = new ProgramCache(dev, dir);
        fourth.get(source);
        assertEquals(1, fourth.loaded, "and rewritten");

        ProgramCache none = new ProgramCache(dev, null);
        none.get(source);
        assertEquals(1, none.compiled);
    }

    @Test
    void theCacheDirectoryComesFromThePropertyOrTheUsersCache() {
        String old = System.getProperty("jtorch.opencl.cache");
        try {
            System.setProperty("jtorch.opencl.cache", "/tmp/somewhere");
            assertEquals(Path.of("/tmp/somewhere"), ProgramCache.directory());
            System.setProperty("jtorch.opencl.cache", "none");
            assertEquals(null, ProgramCache.directory());
            System.clearProperty("jtorch.opencl.cache");
            assertEquals("opencl", ProgramCache.directory().getFileName().toString());
            assertEquals("jtorch", ProgramCache.directory().getParent().getFileName().toString());
        } finally {
            if (old == null) {
                System.clearProperty("jtorch.opencl.cache");
            } else {
                System.setProperty("jtorch.opencl.cache", old);
            }
        }
    }
}

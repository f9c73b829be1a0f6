package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.io.SafeTensors;

import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertNotNull;

/** A golden file of the test resources: its tensors and metadata, read once, handed out as copies. */
final class Goldens {
    final Map<String, Tensor> tensors;
    final Map<String, String> metadata;

    private Goldens(Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.tensors = tensors;
        this.metadata = metadata;
    }

    /** The safetensors resource {@code path} (e.g. "/goldens/attention.safetensors"). */
    static Goldens of(String path) {
        try (InputStream in = Goldens.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("no test resource " + path);
            }
            SafeTensors.Reader r = SafeTensors.open(in.readAllBytes());
            return new Goldens(r.all(), r.metadata());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A copy of tensor {@code key}, which must exist. */
    Tensor g(String key) {
        Tensor t = tensors.get(key);
        assertNotNull(t, "no golden " + key);
        return t.clone();
    }

    /** A copy of tensor {@code key}, or null when the file has none. */
    Tensor opt(String key) {
        return tensors.containsKey(key) ? tensors.get(key).clone() : null;
    }

    /** Metadata entry {@code key}, which must exist. */
    String meta(String key) {
        String v = metadata.get(key);
        assertNotNull(v, "no metadata " + key);
        return v;
    }

    /** Copies of the tensors whose keys start with {@code prefix}, keyed by the rest. */
    Map<String, Tensor> prefixed(String prefix) {
        Map<String, Tensor> m = new LinkedHashMap<>();
        for (var e : tensors.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                m.put(e.getKey().substring(prefix.length()), e.getValue().clone());
            }
        }
        return m;
    }
}

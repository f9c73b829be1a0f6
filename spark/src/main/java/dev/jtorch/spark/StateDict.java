package dev.jtorch.spark;

import dev.jtorch.Tensor;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.io.TorchLoad;
import dev.jtorch.nn.Module;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Map;

/**
 * The bytes of a state dict file, safetensors or PyTorch's {@code torch.save} format (told apart by content:
 * a {@code .pt} file is a zip archive), checked by parsing them when made. This is what
 * {@link Inference} and {@link JtorchModel} broadcast to the executors, once: a few bytes of metadata and the
 * file itself, never the module.
 *
 * <p>Reading goes through Hadoop's file systems, so {@code hdfs://}, {@code s3a://} and {@code file:} paths all
 * work on the driver. A missing or corrupt file fails here, on the driver, with the loader's message, before
 * any Spark job runs.
 *
 * <p>Example:
 * <pre>{@code
 * StateDict sd = StateDict.read("hdfs:///models/digits.safetensors", spark.sparkContext().hadoopConfiguration());
 * StateDict local = StateDict.of(model);  // a module's current state, as safetensors
 * }</pre>
 */
public final class StateDict implements Serializable {
    private static final long serialVersionUID = 1L;
    /** The largest file read: a Java array's limit. */
    static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    /** The file formats. */
    public enum Format {
        /** safetensors (Hugging Face), what {@code dev.jtorch.nn.utils.StateDicts.saveSafetensors} writes. */
        SAFETENSORS,
        /** PyTorch's zip format, {@code torch.save(model.state_dict(), path)}; read by a restricted unpickler. */
        TORCH
    }

    private final String source;
    private final Format format;
    private final byte[] bytes;

    private StateDict(String source, byte[] bytes) {
        this.source = source;
        this.bytes = bytes;
        this.format = bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4
                ? Format.TORCH : Format.SAFETENSORS;
        tensors(); // parse now: a corrupt file fails where it was named, with the loader's message
    }

    /**
     * The bytes of a state dict file; {@code source} names it in messages.
     *
     * @throws dev.jtorch.io.SafeTensorsException or {@link dev.jtorch.io.TorchLoadException} if they do not parse
     */
    public static StateDict of(byte[] bytes, String source) {
        if (bytes == null) {
            throw new IllegalArgumentException("state dict bytes were expected, got null");
        }
        return new StateDict(source == null ? "a state dict in memory" : source, bytes.clone());
    }

    /** A module's current state dict (parameters and persistent buffers), as safetensors. */
    public static StateDict of(Module module) {
        return new StateDict("the state dict of " + module.getClass().getSimpleName(),
                SafeTensors.serialize(module.stateDict(), Map.of("format", "pt")));
    }

    /**
     * Reads a file through Hadoop's file systems, with the active Spark session's Hadoop configuration (its
     * {@code spark.hadoop.*} settings: credentials, the default file system), or a default one without a session.
     */
    public static StateDict read(String path) {
        scala.Option<org.apache.spark.sql.SparkSession> s = org.apache.spark.sql.SparkSession.getActiveSession();
        if (s.isEmpty()) {
            s = org.apache.spark.sql.SparkSession.getDefaultSession();
        }
        return read(path, s.isDefined() ? s.get().sparkContext().hadoopConfiguration() : new Configuration());
    }

    /**
     * Reads a file through Hadoop's file systems ({@code hdfs://}, {@code s3a://}, local paths).
     *
     * @throws UncheckedIOException if the file is missing or unreadable (the message names the path)
     * @throws dev.jtorch.io.SafeTensorsException or {@link dev.jtorch.io.TorchLoadException} if it does not parse
     */
    public static StateDict read(String path, Configuration conf) {
        if (path == null || path.isBlank()) {
            throw new IllegalArgumentException("a state dict path was expected, got " + (path == null ? "null"
                    : "'" + path + "'"));
        }
        org.apache.hadoop.fs.Path p = new org.apache.hadoop.fs.Path(path);
        try {
            FileSystem fs = p.getFileSystem(conf);
            FileStatus st;
            try {
                st = fs.getFileStatus(p);
            } catch (FileNotFoundException e) {
                throw new UncheckedIOException("state dict file not found: " + path, e);
            }
            if (st.isDirectory()) {
                throw new UncheckedIOException(new IOException("state dict path " + path
                        + " is a directory, not a safetensors or .pt file"));
            }
            if (st.getLen() > MAX_BYTES) {
                throw new UncheckedIOException(new IOException("state dict file " + path + " holds " + st.getLen()
                        + " bytes; at most " + MAX_BYTES + " can be broadcast"));
            }
            byte[] b = new byte[(int) st.getLen()];
            try (FSDataInputStream in = fs.open(p)) {
                in.readFully(0, b);
            }
            return new StateDict(path, b);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read state dict " + path + ": " + e.getMessage(), e);
        }
    }

    /** The tensors, freshly parsed (each call makes new tensors). */
    public Map<String, Tensor> tensors() {
        return format == Format.TORCH ? TorchLoad.loadStateDict(bytes) : SafeTensors.load(bytes);
    }

    /** Where the bytes came from, as given. */
    public String source() {
        return source;
    }

    /** The file format, told by content. */
    public Format format() {
        return format;
    }

    /** The file's size in bytes. */
    public int size() {
        return bytes.length;
    }

    /** A copy of the file's bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /**
     * Builds the factory's module and loads this state dict into it, strictly: the check the driver makes
     * before broadcasting. The message names the missing and unexpected keys, or the shape that differs.
     */
    public Module loadInto(ModelFactory factory) {
        Module m = factory.create();
        if (m == null) {
            throw new IllegalArgumentException("the model factory returned null");
        }
        try {
            m.loadStateDict(tensors(), true);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("state dict " + source + " does not fit the model "
                    + m.getClass().getName() + ": " + e.getMessage(), e);
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StateDict s && format == s.format && Arrays.equals(bytes, s.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "StateDict(" + source + ", " + format + ", " + bytes.length + " bytes)";
    }
}

package dev.jtorch.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * ONNX Runtime's Java API as a benchmark peer: one inference (float32, single-threaded) of a model that
 * tools/bench/export_onnx.py exported from PyTorch, on the jtorch benchmark's input shapes. {@code model} is the
 * jtorch benchmark's case: {@code MODE_SHAPE} for RnnBench (e.g. {@code LSTM_100x32x128x256}), ConvBench's and
 * AttentionBench's {@code layer}. The session has one intra-op and one inter-op thread, sequential execution and
 * every graph optimisation; the inputs (random normal floats, or ids in [0, high)) are made once per trial.
 * The models' directory is the system property {@code jtorch.onnx.dir}, e.g.
 * <pre>
 * /usr/bin/python3 tools/bench/export_onnx.py jmh/target/onnx/all
 * ./jtorch jmh OnnxRuntimeBench -p model=conv3x3_b1 -jvmArgsAppend -Djtorch.onnx.dir=$PWD/jmh/target/onnx/all
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class OnnxRuntimeBench {
    @Param({"LSTM_100x1x128x256", "LSTM_100x32x128x256", "LSTM_50x64x512x512", "GRU_100x1x128x256",
        "GRU_100x32x128x256", "GRU_50x64x512x512", "conv3x3_b1", "conv3x3_b8", "conv1x1_b1", "conv1x1_b8", "dw3x3_b1",
        "dw3x3_b8", "conv7x7s2_b1", "conv7x7s2_b8", "batchnorm2d", "maxpool2d", "embedding", "layernorm", "sdpa_b1",
        "sdpa_b16", "encoder_b1", "encoder_b16"})
    public String model;

    OrtSession.SessionOptions options;
    OrtSession session;
    Map<String, OnnxTensor> inputs = new LinkedHashMap<>();

    @Setup(Level.Trial)
    public void setup() throws Exception {
        String dirName = System.getProperty(OnnxPeer.DIR_PROPERTY);
        if (dirName == null) {
            throw new IllegalStateException("OnnxRuntimeBench needs -D" + OnnxPeer.DIR_PROPERTY + "=DIR (a JVM flag "
                    + "of the fork: -jvmArgsAppend), DIR holding the models exported by `"
                    + OnnxPeer.exportCommand("DIR") + "`");
        }
        Path dir = Path.of(dirName);
        OnnxPeer.Model m = OnnxPeer.manifest(dir).get(model);
        if (m == null || !Files.isRegularFile(dir.resolve(m.file()))) {
            throw new IllegalStateException("no ONNX model for " + model + " in " + dir.toAbsolutePath()
                    + ": export it with `" + OnnxPeer.exportCommand(dirName) + "`");
        }
        if (m.inputs().isEmpty()) {
            throw new IllegalStateException(dir.resolve("manifest.json") + " lists no inputs for " + model);
        }
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(Integer.getInteger(OnnxPeer.THREADS_PROPERTY, 1));
        options.setInterOpNumThreads(1);
        options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
        options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
        session = env.createSession(dir.resolve(m.file()).toString(), options);
        Random r = new Random(0);
        for (OnnxPeer.Input in : m.inputs()) {
            int n = Math.toIntExact(in.numel());
            OnnxTensor t = switch (in.dtype()) {
                case "float32" -> {
                    FloatBuffer b = ByteBuffer.allocateDirect(4 * n).order(ByteOrder.nativeOrder()).asFloatBuffer();
                    for (int i = 0; i < n; i++) {
                        b.put(i, (float) r.nextGaussian());
                    }
                    yield OnnxTensor.createTensor(env, b, in.shape());
                }
                case "int64" -> {
                    LongBuffer b = ByteBuffer.allocateDirect(8 * n).order(ByteOrder.nativeOrder()).asLongBuffer();
                    for (int i = 0; i < n; i++) {
                        b.put(i, r.nextLong(in.high()));
                    }
                    yield OnnxTensor.createTensor(env, b, in.shape());
                }
                default -> throw new IllegalStateException(model + ": input " + in.name() + " has dtype "
                        + in.dtype() + " (expected float32 or int64)");
            };
            inputs.put(in.name(), t);
        }
    }

    @Benchmark
    public void inference(Blackhole bh) throws OrtException {
        try (OrtSession.Result out = session.run(inputs)) {
            bh.consume(out.get(0));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws OrtException {
        inputs.values().forEach(OnnxTensor::close);
        inputs.clear();
        if (session != null) {
            session.close();
        }
        if (options != null) {
            options.close();
        }
    }
}

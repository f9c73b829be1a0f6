package dev.jtorch.nn.utils;

import dev.jtorch.Tensor;
import dev.jtorch.io.SafeTensors;
import dev.jtorch.io.TorchLoad;
import dev.jtorch.nn.Module;

import java.nio.file.Path;
import java.util.Map;

/**
 * Moving a module's state dict between jtorch and PyTorch: safetensors both ways (PyTorch's keys; load in
 * Python with {@code safetensors.torch.load_file}), and {@code torch.save(model.state_dict(), path)} files
 * read directly (restricted unpickler, nothing executed).
 *
 * <p>Example:
 * <pre>{@code
 * StateDicts.saveSafetensors(model, Path.of("model.safetensors"));
 * StateDicts.loadTorch(model, Path.of("trained_in_pytorch.pt"), true);
 * }</pre>
 */
public final class StateDicts {
    private StateDicts() {
    }

    /** Writes {@code module.stateDict()} as safetensors with metadata {"format": "pt"}. */
    public static void saveSafetensors(Module module, Path path) {
        SafeTensors.save(module.stateDict(), Map.of("format", "pt"), path);
    }

    /** Loads a safetensors state dict into {@code module}. */
    public static Module.IncompatibleKeys loadSafetensors(Module module, Path path, boolean strict) {
        Map<String, Tensor> sd = SafeTensors.load(path);
        return module.loadStateDict(sd, strict);
    }

    /** Loads a state dict written by PyTorch's {@code torch.save} into {@code module}. */
    public static Module.IncompatibleKeys loadTorch(Module module, Path path, boolean strict) {
        return module.loadStateDict(TorchLoad.loadStateDict(path), strict);
    }
}

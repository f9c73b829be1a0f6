package dev.jtorch.nn;

import dev.jtorch.Tensor;
import dev.jtorch.autograd.Autograd;
import dev.jtorch.autograd.RemovableHandle;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One module's forward pre-hooks, forward hooks and full backward hooks (in registration order, removable
 * through their handles), and the call that runs them around forward.
 */
final class ModuleHooks {
    private final Map<Integer, Hooks.ForwardPreHook> pre = new LinkedHashMap<>();
    private final Map<Integer, Hooks.ForwardHook> post = new LinkedHashMap<>();
    private final Map<Integer, Hooks.BackwardHook> back = new LinkedHashMap<>();
    private int nextId;

    private synchronized <H> RemovableHandle add(Map<Integer, H> map, H hook) {
        int id = nextId++;
        map.put(id, hook);
        return () -> {
            synchronized (this) {
                map.remove(id);
            }
        };
    }

    RemovableHandle addPre(Hooks.ForwardPreHook h) {
        return add(pre, h);
    }

    RemovableHandle addPost(Hooks.ForwardHook h) {
        return add(post, h);
    }

    RemovableHandle addBackward(Hooks.BackwardHook h) {
        return add(back, h);
    }

    /** Pre-hooks, backward-hook wrapping, {@code forward}, forward hooks; forward alone when there are none. */
    Tensor call(Module m, Tensor[] inputs, Function<Tensor[], Tensor> forward) {
        List<Hooks.ForwardPreHook> pres;
        List<Hooks.ForwardHook> posts;
        List<Hooks.BackwardHook> backs;
        synchronized (this) {
            if (pre.isEmpty() && post.isEmpty() && back.isEmpty()) {
                pres = null;
                posts = null;
                backs = null;
            } else {
                pres = List.copyOf(pre.values());
                posts = List.copyOf(post.values());
                backs = List.copyOf(back.values());
            }
        }
        if (pres == null) {
            return forward.apply(inputs);
        }
        for (Hooks.ForwardPreHook h : pres) {
            Tensor[] r = h.apply(m, inputs);
            if (r != null) {
                inputs = r;
            }
        }
        BackwardHookState bh = null;
        if (!backs.isEmpty() && Autograd.isGradEnabled()) {
            bh = new BackwardHookState(m, backs);
            inputs = bh.wrapInputs(inputs);
        }
        Tensor out = forward.apply(inputs);
        for (Hooks.ForwardHook h : posts) {
            Tensor r = h.apply(m, inputs, out);
            if (r != null) {
                out = r;
            }
        }
        return bh != null ? bh.wrapOutput(out) : out;
    }
}

package dev.jtorch.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A restricted unpickler for PyTorch state dicts, in the spirit of {@code torch.load(weights_only=True)}:
 * it interprets the opcodes of pickle protocols 2 to 5 that containers of tensors use, and resolves only an
 * allowlist of globals (OrderedDict, the tensor and parameter rebuild functions, the storage types). Any
 * other global, opcode or object fails with an exception naming it; nothing is ever executed.
 */
final class TorchPickle {
    /** A call to an allowed global, kept symbolic until the caller rebuilds it. */
    record Global(String module, String name) {
        String qualified() {
            return module + "." + name;
        }
    }

    /** A rebuilt value: the global called and its arguments. */
    record Call(Global fn, List<Object> args) {
    }

    /** The persistent id of a storage: ('storage', type, key, location, numel). */
    record StorageRef(String type, String key, String location, long numel) {
    }

    static final Set<String> ALLOWED = Set.of(
            "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
            "torch._utils._rebuild_parameter_with_state", "torch.FloatStorage", "torch.DoubleStorage",
            "torch.LongStorage", "torch.BoolStorage", "torch.HalfStorage", "torch.BFloat16Storage",
            "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage", "torch.ByteStorage",
            "torch.storage.UntypedStorage", "torch.UntypedStorage", "builtins.set", "builtins.dict",
            "builtins.list", "builtins.tuple", "torch.Size", "torch.device");

    private static final Object MARK = new Object();
    private static final int MAX_DEPTH = 100_000;

    private final ByteBuffer in;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Integer, Object> memo = new HashMap<>();
    private final Function<Object, Object> persistentLoad;

    private TorchPickle(byte[] data, Function<Object, Object> persistentLoad) {
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        this.persistentLoad = persistentLoad;
    }

    static Object load(byte[] data, Function<Object, Object> persistentLoad) {
        return new TorchPickle(data, persistentLoad).run();
    }

    private TorchLoadException error(String msg) {
        return new TorchLoadException("Weights only load failed: " + msg + " (at byte " + in.position()
                + " of data.pkl); only state dicts of tensors are accepted, nothing is executed");
    }

    private void need(int n) {
        if (n < 0 || in.remaining() < n) {
            throw error("truncated pickle: " + n + " bytes needed, " + in.remaining() + " left");
        }
    }

    private void push(Object o) {
        if (stack.size() > MAX_DEPTH) {
            throw error("pickle stack deeper than " + MAX_DEPTH);
        }
        stack.add(o);
    }

    private Object pop() {
        if (stack.isEmpty()) {
            throw error("pickle stack underflow");
        }
        Object o = stack.remove(stack.size() - 1);
        if (o == MARK) {
            throw error("unexpected MARK on the stack");
        }
        return o;
    }

    private Object top() {
        if (stack.isEmpty()) {
            throw error("pickle stack underflow");
        }
        return stack.get(stack.size() - 1);
    }

    private List<Object> popMark() {
        if (marks.isEmpty()) {
            throw error("no MARK to pop to");
        }
        int m = marks.remove(marks.size() - 1);
        if (m >= stack.size() || stack.get(m) != MARK) {
            throw error("MARK lost from the stack");
        }
        List<Object> items = new ArrayList<>(stack.subList(m + 1, stack.size()));
        stack.subList(m, stack.size()).clear();
        return items;
    }

    private String string(int n) {
        need(n);
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private String line() {
        StringBuilder s = new StringBuilder();
        while (true) {
            need(1);
            byte c = in.get();
            if (c == '\n') {
                return s.toString();
            }
            s.append((char) (c & 0xff));
            if (s.length() > 1000) {
                throw error("GLOBAL name too long");
            }
        }
    }

    private Object global(String module, String name) {
        Global g = new Global(module, name);
        if (!ALLOWED.contains(g.qualified())) {
            throw error("Unsupported global: GLOBAL " + g.qualified() + " was not an allowed global");
        }
        return g;
    }

    @SuppressWarnings("unchecked")
    private Object run() {
        while (true) {
            need(1);
            int op = in.get() & 0xff;
            switch (op) {
                case 0x80 -> {
                    need(1);
                    int proto = in.get() & 0xff;
                    if (proto > 5) {
                        throw error("unsupported pickle protocol " + proto);
                    }
                }
                case 0x95 -> {
                    need(8);
                    in.getLong();
                }
                case 'c' -> push(global(line(), line()));
                case 0x93 -> {
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String m) || !(name instanceof String n)) {
                        throw error("STACK_GLOBAL needs two strings");
                    }
                    push(global(m, n));
                }
                case 'Q' -> push(persistentLoad.apply(pop()));
                case '(' -> {
                    marks.add(stack.size());
                    push(MARK);
                }
                case ')' -> push(List.of());
                case 't' -> push(List.copyOf(popMark()));
                case 0x85 -> push(List.of(pop()));
                case 0x86 -> {
                    Object b = pop();
                    Object a = pop();
                    push(List.of(a, b));
                }
                case 0x87 -> {
                    Object c = pop();
                    Object b = pop();
                    Object a = pop();
                    push(List.of(a, b, c));
                }
                case '}' -> push(new LinkedHashMap<Object, Object>());
                case ']' -> push(new ArrayList<Object>());
                case 'a' -> {
                    Object v = pop();
                    if (!(top() instanceof List<?> l) || !(l instanceof ArrayList)) {
                        throw error("APPEND to a non-list");
                    }
                    ((List<Object>) l).add(v);
                }
                case 'e' -> {
                    List<Object> items = popMark();
                    if (!(top() instanceof ArrayList<?> l)) {
                        throw error("APPENDS to a non-list");
                    }
                    ((List<Object>) l).addAll(items);
                }
                case 's' -> {
                    Object v = pop();
                    Object k = pop();
                    dict(top()).put(k, v);
                }
                case 'u' -> {
                    List<Object> items = popMark();
                    Map<Object, Object> d = dict(top());
                    if (items.size() % 2 != 0) {
                        throw error("SETITEMS with an odd number of items");
                    }
                    for (int i = 0; i < items.size(); i += 2) {
                        d.put(items.get(i), items.get(i + 1));
                    }
                }
                case 'X' -> {
                    need(4);
                    push(string(in.getInt()));
                }
                case 0x8c -> {
                    need(1);
                    push(string(in.get() & 0xff));
                }
                case 0x8d -> {
                    need(8);
                    long n = in.getLong();
                    if (n > Integer.MAX_VALUE) {
                        throw error("string too long");
                    }
                    push(string((int) n));
                }
                case 'J' -> {
                    need(4);
                    push((long) in.getInt());
                }
                case 'K' -> {
                    need(1);
                    push((long) (in.get() & 0xff));
                }
                case 'M' -> {
                    need(2);
                    push((long) (in.getShort() & 0xffff));
                }
                case 0x8a -> {
                    need(1);
                    int n = in.get() & 0xff;
                    if (n > 8) {
                        throw error("integers wider than 64 bits are not supported");
                    }
                    need(n);
                    long v = 0;
                    for (int i = 0; i < n; i++) {
                        v |= (long) (in.get() & 0xff) << (8 * i);
                    }
                    if (n > 0 && n < 8 && (v & (1L << (8 * n - 1))) != 0) {
                        v -= 1L << (8 * n);
                    }
                    push(v);
                }
                case 'G' -> {
                    need(8);
                    push(in.order(ByteOrder.BIG_ENDIAN).getDouble());
                    in.order(ByteOrder.LITTLE_ENDIAN);
                }
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'N' -> push(null);
                case 'R' -> {
                    Object args = pop();
                    Object fn = pop();
                    if (!(fn instanceof Global g) || !(args instanceof List<?> a)) {
                        throw error("REDUCE of something that is not an allowed global");
                    }
                    push(reduce(g, (List<Object>) a));
                }
                case 0x81 -> {
                    Object args = pop();
                    Object cls = pop();
                    if (!(cls instanceof Global g) || !(args instanceof List<?> a)) {
                        throw error("NEWOBJ of something that is not an allowed global");
                    }
                    push(reduce(g, (List<Object>) a));
                }
                case 'b' -> {
                    pop();   // BUILD state: OrderedDict's _metadata and parameter state, not needed
                }
                case 'q' -> {
                    need(1);
                    memo.put(in.get() & 0xff, top());
                }
                case 'r' -> {
                    need(4);
                    memo.put(in.getInt(), top());
                }
                case 0x94 -> memo.put(memo.size(), top());
                case 'h' -> {
                    need(1);
                    push(fromMemo(in.get() & 0xff));
                }
                case 'j' -> {
                    need(4);
                    push(fromMemo(in.getInt()));
                }
                case '.' -> {
                    return pop();
                }
                default -> throw error(String.format("unsupported pickle opcode 0x%02x", op));
            }
        }
    }

    private Object fromMemo(int k) {
        if (!memo.containsKey(k)) {
            throw error("memo key " + k + " not found");
        }
        return memo.get(k);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) {
        if (o instanceof Map<?, ?> m && m instanceof LinkedHashMap) {
            return (Map<Object, Object>) m;
        }
        throw error("SETITEM on a non-dict");
    }

    private Object reduce(Global g, List<Object> args) {
        return switch (g.qualified()) {
            case "collections.OrderedDict", "builtins.dict" -> new LinkedHashMap<Object, Object>();
            case "builtins.list", "builtins.set" -> new ArrayList<>(args.isEmpty() ? List.of() : asList(args.get(0)));
            case "builtins.tuple", "torch.Size" -> List.copyOf(args.isEmpty() ? List.of() : asList(args.get(0)));
            default -> new Call(g, args);
        };
    }

    private List<Object> asList(Object o) {
        if (o instanceof List<?> l) {
            return new ArrayList<>(l);
        }
        throw error("expected a sequence argument");
    }
}

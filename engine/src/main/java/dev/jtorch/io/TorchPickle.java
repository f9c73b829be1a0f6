package dev.jtorch.io;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * A restricted unpickler for PyTorch checkpoints, in the spirit of {@code torch.load(weights_only=True)}: it
 * interprets the opcodes of pickle protocols 0 to 5 that containers of tensors and plain Python values use,
 * and resolves only an allowlist of globals (OrderedDict, the tensor and parameter rebuild functions, the
 * storage types, torch.Size and torch.device). Any other global, opcode or object fails with an exception
 * naming it; nothing is ever executed.
 *
 * <p>What a pickle may build is bounded, so that a small hostile file cannot exhaust the heap or the stack:
 * the objects and container slots it creates (a budget from {@link TorchLoad.Limits}), the stack, and dict
 * keys (hashable values only, as in Python, of bounded size: hashing a key that shares one tuple many times
 * over would otherwise take exponential time). Values: dicts become {@link LinkedHashMap}s, lists
 * {@link ArrayList}s, tuples unmodifiable lists (which may hold null), sets {@link LinkedHashSet}s, ints
 * {@link Long} (or {@link BigInteger} beyond 64 bits), floats {@link Double}, str {@link String}, bytes
 * {@code byte[]}, None null.
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

    static final Set<String> ALLOWED = Set.of(
            "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_parameter",
            "torch._utils._rebuild_parameter_with_state", "torch.FloatStorage", "torch.DoubleStorage",
            "torch.LongStorage", "torch.BoolStorage", "torch.HalfStorage", "torch.BFloat16Storage",
            "torch.IntStorage", "torch.ShortStorage", "torch.CharStorage", "torch.ByteStorage",
            "torch.storage.UntypedStorage", "torch.UntypedStorage", "builtins.set", "builtins.frozenset",
            "builtins.dict", "builtins.list", "builtins.tuple", "torch.Size", "torch.device", "_codecs.encode");

    private static final Object MARK = new Object();
    /** The most stack entries (a pickle's stack holds one container's items at a time). */
    private static final int MAX_STACK = 1 << 20;
    /** The most nodes in one dict key or set element (a tuple of tuples ...). */
    private static final int MAX_KEY_NODES = 10_000;

    private final ByteBuffer in;
    private final List<Object> stack = new ArrayList<>();
    private final List<Integer> marks = new ArrayList<>();
    private final Map<Long, Object> memo = new HashMap<>();
    private final Function<Object, Object> persistentLoad;
    private final long maxUnits;
    private long units;

    private TorchPickle(byte[] data, Function<Object, Object> persistentLoad, long maxUnits) {
        this.in = ByteBuffer.wrap(data).order(ByteOrder.LITTLE_ENDIAN);
        this.persistentLoad = persistentLoad;
        this.maxUnits = maxUnits;
    }

    /** Unpickles {@code data}; {@code maxUnits} bounds the objects and container slots created. */
    static Object load(byte[] data, Function<Object, Object> persistentLoad, long maxUnits) {
        return new TorchPickle(data, persistentLoad, maxUnits).run();
    }

    /** An immutable tuple that may hold null. */
    static List<Object> tuple(Object... items) {
        return Collections.unmodifiableList(Arrays.asList(items));
    }

    static boolean isTuple(Object o) {
        return o instanceof List<?> && !(o instanceof ArrayList<?>);
    }

    private TorchLoadException error(String msg) {
        return new TorchLoadException("Weights only load failed: " + msg + " (at byte " + in.position()
                + " of data.pkl); only checkpoints of tensors and plain Python values are accepted, nothing is "
                + "executed");
    }

    private void charge(long n) {
        units += n;
        if (units > maxUnits) {
            throw error("the pickle builds more than " + maxUnits + " objects and container slots (the loader's "
                    + "budget, TorchLoad.Limits.maxObjects)");
        }
    }

    private void need(long n) {
        if (n < 0 || in.remaining() < n) {
            throw error("truncated pickle: " + n + " bytes needed, " + in.remaining() + " left");
        }
    }

    private void push(Object o) {
        if (stack.size() >= MAX_STACK) {
            throw error("pickle stack deeper than " + MAX_STACK);
        }
        stack.add(o);
    }

    private void pushNew(Object o) {
        charge(1);
        push(o);
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
        Object o = stack.get(stack.size() - 1);
        if (o == MARK) {
            throw error("unexpected MARK on the stack");
        }
        return o;
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

    private byte[] bytes(long n) {
        need(n);
        byte[] b = new byte[(int) n];
        in.get(b);
        return b;
    }

    private String string(long n) {
        return new String(bytes(n), StandardCharsets.UTF_8);
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
                throw error("text argument longer than 1000 characters");
            }
        }
    }

    private long lineInt(String what) {
        String s = line().trim();
        try {
            return Long.parseLong(s.endsWith("L") ? s.substring(0, s.length() - 1) : s);
        } catch (NumberFormatException e) {
            throw error("bad " + what + " '" + s + "'");
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
                case 'Q' -> pushNew(persistentLoad.apply(pop()));
                case '(' -> {
                    marks.add(stack.size());
                    push(MARK);
                }
                case '0' -> pop();
                case '1' -> popMark();
                case '2' -> push(top());
                case ')' -> pushNew(tuple());
                case 't' -> pushTuple(popMark().toArray());
                case 0x85 -> pushTuple(pop());
                case 0x86 -> {
                    Object b = pop();
                    Object a = pop();
                    pushTuple(a, b);
                }
                case 0x87 -> {
                    Object c = pop();
                    Object b = pop();
                    Object a = pop();
                    pushTuple(a, b, c);
                }
                case '}' -> {
                    charge(2);   // an empty LinkedHashMap weighs about three small objects
                    pushNew(new LinkedHashMap<Object, Object>());
                }
                case ']' -> pushNew(new ArrayList<Object>());
                case 'l' -> {
                    List<Object> items = popMark();
                    charge(items.size());
                    pushNew(items);
                }
                case 'd' -> {
                    List<Object> items = popMark();
                    Map<Object, Object> d = new LinkedHashMap<>();
                    pushNew(d);
                    setItems(d, items);
                }
                case 0x8f -> {
                    charge(2);
                    pushNew(new LinkedHashSet<Object>());
                }
                case 0x90 -> {
                    List<Object> items = popMark();
                    if (!(top() instanceof LinkedHashSet<?> s)) {
                        throw error("ADDITEMS to a non-set");
                    }
                    for (Object o : items) {
                        charge(1);
                        ((Set<Object>) s).add(hashable(o, "set element"));
                    }
                }
                case 0x91 -> {
                    List<Object> items = popMark();
                    Set<Object> s = new LinkedHashSet<>();
                    for (Object o : items) {
                        charge(1);
                        s.add(hashable(o, "frozenset element"));
                    }
                    pushNew(Collections.unmodifiableSet(s));
                }
                case 'a' -> {
                    Object v = pop();
                    if (!(top() instanceof ArrayList<?> l)) {
                        throw error("APPEND to a non-list");
                    }
                    charge(1);
                    ((List<Object>) l).add(v);
                }
                case 'e' -> {
                    List<Object> items = popMark();
                    if (!(top() instanceof ArrayList<?> l)) {
                        throw error("APPENDS to a non-list");
                    }
                    charge(items.size());
                    ((List<Object>) l).addAll(items);
                }
                case 's' -> {
                    Object v = pop();
                    Object k = pop();
                    setItems(dict(top()), pair(k, v));
                }
                case 'u' -> {
                    List<Object> items = popMark();
                    setItems(dict(top()), items);
                }
                case 'X' -> {
                    need(4);
                    pushNew(string(in.getInt() & 0xffffffffL));
                }
                case 0x8c -> {
                    need(1);
                    pushNew(string(in.get() & 0xff));
                }
                case 0x8d -> {
                    need(8);
                    pushNew(string(in.getLong()));
                }
                case 'V' -> pushNew(line());
                case 'U' -> {
                    need(1);
                    pushNew(new String(bytes(in.get() & 0xff), StandardCharsets.ISO_8859_1));
                }
                case 'T' -> {
                    need(4);
                    pushNew(new String(bytes(in.getInt() & 0xffffffffL), StandardCharsets.ISO_8859_1));
                }
                case 'S' -> {
                    String s = line().trim();
                    if (s.length() < 2 || s.charAt(0) != s.charAt(s.length() - 1)
                            || (s.charAt(0) != '\'' && s.charAt(0) != '"')) {
                        throw error("STRING argument is not quoted");
                    }
                    pushNew(s.substring(1, s.length() - 1));
                }
                case 'C' -> {
                    need(1);
                    pushNew(bytes(in.get() & 0xff));
                }
                case 'B' -> {
                    need(4);
                    pushNew(bytes(in.getInt() & 0xffffffffL));
                }
                case 0x8e, 0x96 -> {
                    need(8);
                    pushNew(bytes(in.getLong()));
                }
                case 'J' -> {
                    need(4);
                    pushNew((long) in.getInt());
                }
                case 'K' -> {
                    need(1);
                    pushNew((long) (in.get() & 0xff));
                }
                case 'M' -> {
                    need(2);
                    pushNew((long) (in.getShort() & 0xffff));
                }
                case 'I' -> {
                    String s = line().trim();
                    switch (s) {
                        case "00" -> pushNew(Boolean.FALSE);
                        case "01" -> pushNew(Boolean.TRUE);
                        default -> {
                            try {
                                pushNew(Long.parseLong(s));
                            } catch (NumberFormatException e) {
                                throw error("bad INT '" + s + "'");
                            }
                        }
                    }
                }
                case 'L' -> {
                    String s = line().trim();
                    try {
                        pushNew(integer(new BigInteger(s.endsWith("L") ? s.substring(0, s.length() - 1) : s)));
                    } catch (NumberFormatException e) {
                        throw error("bad LONG '" + s + "'");
                    }
                }
                case 'F' -> {
                    String s = line().trim();
                    try {
                        pushNew(Double.parseDouble(s));
                    } catch (NumberFormatException e) {
                        throw error("bad FLOAT '" + s + "'");
                    }
                }
                case 0x8a -> {
                    need(1);
                    pushNew(longBytes(in.get() & 0xff));
                }
                case 0x8b -> {
                    need(4);
                    long n = in.getInt() & 0xffffffffL;
                    if (n > 1024) {
                        throw error("LONG4 integer of " + n + " bytes");
                    }
                    pushNew(longBytes((int) n));
                }
                case 'G' -> {
                    need(8);
                    pushNew(in.order(ByteOrder.BIG_ENDIAN).getDouble());
                    in.order(ByteOrder.LITTLE_ENDIAN);
                }
                case 0x88 -> push(Boolean.TRUE);
                case 0x89 -> push(Boolean.FALSE);
                case 'N' -> push(null);
                case 'R', 0x81 -> {
                    Object args = pop();
                    Object fn = pop();
                    if (!(fn instanceof Global g) || !(args instanceof List<?> a)) {
                        throw error((op == 'R' ? "REDUCE" : "NEWOBJ") + " of something that is not an allowed global");
                    }
                    charge(1 + a.size());
                    push(reduce(g, (List<Object>) a));
                }
                case 'b' -> {
                    pop();   // BUILD state: OrderedDict's _metadata and parameter state, not needed
                    top();
                }
                case 'q' -> {
                    need(1);
                    putMemo(in.get() & 0xff);
                }
                case 'r' -> {
                    need(4);
                    putMemo(in.getInt() & 0xffffffffL);
                }
                case 'p' -> putMemo(lineInt("PUT index"));
                case 0x94 -> putMemo(memo.size());
                case 'h' -> {
                    need(1);
                    push(fromMemo(in.get() & 0xff));
                }
                case 'j' -> {
                    need(4);
                    push(fromMemo(in.getInt() & 0xffffffffL));
                }
                case 'g' -> push(fromMemo(lineInt("GET index")));
                case '.' -> {
                    return pop();
                }
                default -> throw error(String.format("unsupported pickle opcode 0x%02x%s", op,
                        op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : ""));
            }
        }
    }

    private static List<Object> pair(Object k, Object v) {
        return Arrays.asList(k, v);
    }

    private void pushTuple(Object... items) {
        charge(items.length);
        pushNew(tuple(items));
    }

    private void putMemo(long k) {
        charge(2);   // a map node and a boxed key
        memo.put(k, top());
    }

    private Object fromMemo(long k) {
        if (!memo.containsKey(k)) {
            throw error("memo key " + k + " not found");
        }
        return memo.get(k);
    }

    private Object longBytes(int n) {
        byte[] b = bytes(n);
        if (n == 0) {
            return 0L;
        }
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) {
            be[i] = b[n - 1 - i];
        }
        return integer(new BigInteger(be));
    }

    private static Object integer(BigInteger v) {
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private void setItems(Map<Object, Object> d, List<Object> items) {
        if (items.size() % 2 != 0) {
            throw error("SETITEMS with an odd number of items");
        }
        for (int i = 0; i < items.size(); i += 2) {
            charge(2);
            d.put(hashable(items.get(i), "dict key"), items.get(i + 1));
        }
    }

    /** {@code o} if Python could hash it (and it is small enough to hash here), else the loader's error. */
    private Object hashable(Object o, String role) {
        int[] budget = {MAX_KEY_NODES};
        checkHashable(o, role, budget, 0);
        return o;
    }

    private void checkHashable(Object o, String role, int[] budget, int depth) {
        if (--budget[0] < 0 || depth > 100) {
            throw error("a " + role + " larger than " + MAX_KEY_NODES + " nodes or nested deeper than 100");
        }
        if (o == null || o instanceof String || o instanceof Long || o instanceof Double || o instanceof Boolean
                || o instanceof BigInteger || o instanceof Global || o instanceof byte[]) {
            return;
        }
        if (isTuple(o)) {
            for (Object e : (List<?>) o) {
                checkHashable(e, role, budget, depth + 1);
            }
            return;
        }
        if (o instanceof Call c) {
            for (Object e : c.args()) {
                checkHashable(e, role, budget, depth + 1);
            }
            return;
        }
        if (o instanceof Set<?> s && !(o instanceof LinkedHashSet<?>)) {
            for (Object e : s) {
                checkHashable(e, role, budget, depth + 1);
            }
            return;
        }
        String type = o instanceof Map ? "dict" : o instanceof List ? "list" : o instanceof Set ? "set"
                : o.getClass().getSimpleName();
        throw error("unhashable type: '" + type + "' used as a " + role);
    }

    @SuppressWarnings("unchecked")
    private Map<Object, Object> dict(Object o) {
        if (o instanceof LinkedHashMap<?, ?> m) {
            return (Map<Object, Object>) m;
        }
        throw error("SETITEM on a non-dict");
    }

    private Object reduce(Global g, List<Object> args) {
        return switch (g.qualified()) {
            case "collections.OrderedDict", "builtins.dict" -> {
                Map<Object, Object> d = new LinkedHashMap<>();
                if (!args.isEmpty() && args.get(0) != null) {
                    for (Object kv : asList(args.get(0))) {
                        if (!(kv instanceof List<?> p) || p.size() != 2) {
                            throw error(g.qualified() + " needs (key, value) pairs");
                        }
                        setItems(d, new ArrayList<>(p));
                    }
                }
                yield d;
            }
            case "builtins.list" -> new ArrayList<>(args.isEmpty() ? List.of() : asList(args.get(0)));
            case "builtins.set", "builtins.frozenset" -> {
                Set<Object> s = new LinkedHashSet<>();
                for (Object o : args.isEmpty() ? List.of() : asList(args.get(0))) {
                    s.add(hashable(o, "set element"));
                }
                yield g.name().equals("set") ? s : Collections.unmodifiableSet(s);
            }
            case "_codecs.encode" -> {
                // protocol 2 writes bytes as _codecs.encode(text, 'latin1')
                if (args.size() != 2 || !(args.get(0) instanceof String text)
                        || !(args.get(1) instanceof String enc) || !(enc.equals("latin1") || enc.equals("latin-1"))) {
                    throw error("_codecs.encode is only accepted as (str, 'latin1'), the encoding of bytes");
                }
                yield text.getBytes(StandardCharsets.ISO_8859_1);
            }
            case "builtins.tuple", "torch.Size" -> tuple(args.isEmpty() ? new Object[0] : asList(args.get(0)).toArray());
            default -> new Call(g, args);
        };
    }

    private List<Object> asList(Object o) {
        if (o instanceof List<?> l) {
            charge(l.size());
            return new ArrayList<>(l);
        }
        throw error("expected a sequence argument");
    }
}

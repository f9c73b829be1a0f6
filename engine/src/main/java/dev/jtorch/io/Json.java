package dev.jtorch.io;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A strict pull parser for safetensors headers, reading the header's bytes from the file through a small
 * buffer: the caller walks the structure it expects (objects, arrays, strings, integers) and builds its own
 * records, so a header of many megabytes is never held whole nor turned into a tree of maps. Strings must be
 * valid UTF-8; numbers with a fraction or exponent, or beyond the long range, are errors (the format has
 * none). Errors are {@link SafeTensorsException}s naming the byte offset in the header.
 */
final class Json {
    private static final int BUFFER = 64 * 1024;
    private final ByteSource src;
    private final long start;
    private final long length;
    private final ByteBuffer buf = ByteBuffer.allocate(BUFFER);
    private long bufStart;
    private long pos;
    private byte[] text = new byte[64];

    /** Parses the {@code length} bytes at {@code start} of {@code src}. */
    Json(ByteSource src, long start, long length) {
        this.src = src;
        this.start = start;
        this.length = length;
        this.buf.limit(0);
    }

    SafeTensorsException error(String msg) {
        return new SafeTensorsException("invalid header JSON at byte " + pos + ": " + msg);
    }

    private int peekRaw() {
        if (pos >= length) {
            return -1;
        }
        long rel = pos - bufStart;
        if (rel < 0 || rel >= buf.limit()) {
            int n = (int) Math.min(BUFFER, length - pos);
            buf.clear().limit(n);
            src.read(start + pos, buf, m -> new SafeTensorsException("header: " + m));
            buf.flip();
            bufStart = pos;
            rel = 0;
        }
        return buf.get((int) rel) & 0xff;
    }

    private int next() {
        int c = peekRaw();
        if (c < 0) {
            throw error("unexpected end of the header");
        }
        pos++;
        return c;
    }

    /** The next non-whitespace byte, not consumed (-1 at the end). */
    int peek() {
        while (true) {
            int c = peekRaw();
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                pos++;
            } else {
                return c;
            }
        }
    }

    void expect(char c) {
        int got = peek();
        if (got != c) {
            throw error("expected '" + c + "' but found " + describe(got));
        }
        pos++;
    }

    private static String describe(int c) {
        return c < 0 ? "the end of the header" : c >= 0x20 && c < 0x7f ? "'" + (char) c + "'"
                : String.format("byte 0x%02x", c);
    }

    /**
     * Inside an object or array opened with {@code open}: true if another member follows (consuming the comma
     * before it), false at the closing bracket (consumed).
     */
    boolean more(char close, boolean first) {
        int c = peek();
        if (c == close) {
            pos++;
            return false;
        }
        if (!first) {
            if (c != ',') {
                throw error("expected ',' or '" + close + "' but found " + describe(c));
            }
            pos++;
        }
        return true;
    }

    /** An object key and the colon after it. */
    String key() {
        String k = string();
        expect(':');
        return k;
    }

    boolean atString() {
        return peek() == '"';
    }

    String string() {
        expect('"');
        int n = 0;
        while (true) {
            int c = next();
            if (c == '"') {
                break;
            }
            if (c < 0x20) {
                throw error("control character in a string");
            }
            if (c == '\\') {
                int e = next();
                String s = switch (e) {
                    case '"' -> "\"";
                    case '\\' -> "\\";
                    case '/' -> "/";
                    case 'b' -> "\b";
                    case 'f' -> "\f";
                    case 'n' -> "\n";
                    case 'r' -> "\r";
                    case 't' -> "\t";
                    case 'u' -> {
                        int v = hex4();
                        if (Character.isLowSurrogate((char) v)) {
                            throw error("lone trailing surrogate in a \\u escape");
                        }
                        if (Character.isHighSurrogate((char) v)) {
                            if (next() != '\\' || next() != 'u') {
                                throw error("lone leading surrogate in a \\u escape");
                            }
                            int lo = hex4();
                            if (!Character.isLowSurrogate((char) lo)) {
                                throw error("lone leading surrogate in a \\u escape");
                            }
                            yield new String(new char[] {(char) v, (char) lo});
                        }
                        yield String.valueOf((char) v);
                    }
                    default -> throw error("bad escape \\" + (char) e);
                };
                byte[] enc = s.getBytes(StandardCharsets.UTF_8);
                for (byte b : enc) {
                    n = put(n, b);
                }
                continue;
            }
            n = put(n, (byte) c);
        }
        return decode(n);
    }

    private int hex4() {
        int v = 0;
        for (int i = 0; i < 4; i++) {
            int d = Character.digit(next(), 16);
            if (d < 0) {
                throw error("bad \\u escape");
            }
            v = v * 16 + d;
        }
        return v;
    }

    private int put(int n, byte b) {
        if (n == text.length) {
            text = Arrays.copyOf(text, (int) Math.min(Integer.MAX_VALUE - 8, (long) n * 2));
        }
        text[n] = b;
        return n + 1;
    }

    private String decode(int n) {
        boolean ascii = true;
        for (int i = 0; i < n && ascii; i++) {
            ascii = text[i] >= 0;
        }
        if (ascii) {
            return new String(text, 0, n, StandardCharsets.ISO_8859_1);
        }
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            CharBuffer c = d.decode(ByteBuffer.wrap(text, 0, n));
            return c.toString();
        } catch (CharacterCodingException ex) {
            throw new SafeTensorsException("header is not valid UTF-8 (in the string ending at byte " + pos + ")");
        }
    }

    long integer() {
        int c = peek();
        long startPos = pos;
        boolean neg = c == '-';
        if (neg) {
            pos++;
        }
        long v = 0;
        int digits = 0;
        while (true) {
            int d = peekRaw();
            if (d < '0' || d > '9') {
                break;
            }
            pos++;
            digits++;
            if (v > (Long.MAX_VALUE - (d - '0')) / 10) {
                throw error("integer out of range");
            }
            v = v * 10 + (d - '0');
        }
        if (digits == 0) {
            pos = startPos;
            throw error("expected an integer but found " + describe(peek()));
        }
        int after = peekRaw();
        if (after == '.' || after == 'e' || after == 'E') {
            throw error("only integers are allowed in a safetensors header");
        }
        return neg ? -v : v;
    }

    /**
     * Parses and discards one value of any kind (nesting at most 64 deep), so that a value of the wrong kind
     * is reported as a syntax error when it is one.
     */
    void skipValue() {
        skip(0);
    }

    private void skip(int depth) {
        if (depth > 64) {
            throw error("nesting deeper than 64");
        }
        int c = peek();
        switch (c) {
            case '{' -> {
                pos++;
                for (boolean first = true; more('}', first); first = false) {
                    key();
                    skip(depth + 1);
                }
            }
            case '[' -> {
                pos++;
                for (boolean first = true; more(']', first); first = false) {
                    skip(depth + 1);
                }
            }
            case '"' -> string();
            case 't' -> word("true");
            case 'f' -> word("false");
            case 'n' -> word("null");
            default -> integer();
        }
    }

    private void word(String w) {
        peek();
        for (int i = 0; i < w.length(); i++) {
            if (next() != w.charAt(i)) {
                throw error("expected " + w);
            }
        }
    }

    /** Checks that only whitespace follows. */
    void end() {
        if (peek() >= 0) {
            throw error("trailing characters after the JSON value");
        }
    }

    static String quote(String v) {
        StringBuilder b = new StringBuilder("\"");
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }
}

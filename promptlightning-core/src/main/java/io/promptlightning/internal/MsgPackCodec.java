package io.promptlightning.internal;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.msgpack.core.MessageBufferPacker;
import org.msgpack.core.MessageFormat;
import org.msgpack.core.MessageInsufficientBufferException;
import org.msgpack.core.MessagePack;
import org.msgpack.core.MessagePackException;
import org.msgpack.core.MessageSizeException;
import org.msgpack.core.MessageUnpacker;
import org.msgpack.value.ValueType;

/**
 * The MessagePack form of template records, as the original library writes them with Python's
 * {@code msgpack.packb(data, use_bin_type=True)} and reads them with {@code unpackb(raw=False,
 * strict_map_key=False)}.
 *
 * <p>Only the value kinds a record can hold are supported: maps (order kept), arrays, strings, integers, 64-bit
 * floats, booleans, nil and binary. We write maps with string keys only, as the original does for records made
 * from templates. Decoding is strict where Python is strict, so that what decodes here also decodes in the
 * original: strings must be valid UTF-8, map keys must be hashable scalars, nothing may follow the value. It also
 * bounds what a corrupted record can make us allocate or recurse into, because stored bytes are not trusted.
 *
 * <p>Integers decode to {@code Long}, or {@code BigInteger} above {@code Long.MAX_VALUE}; floats (32 or 64 bit)
 * to {@code Double}; so a record keeps the int/float distinction users' templates print. Stateless and
 * thread-safe.
 */
public final class MsgPackCodec {
    /** Deeper nesting than any real record has; stops a crafted record from exhausting the stack. */
    static final int MAX_DEPTH = 512;

    private static final BigInteger UINT64_MAX = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);
    private static final BigInteger INT64_MIN = BigInteger.valueOf(Long.MIN_VALUE);

    private MsgPackCodec() {
    }

    /**
     * @throws IllegalArgumentException naming the offending value when something cannot be stored in a form the
     *                                  original reads back unchanged (an unsupported type, a non-string map key,
     *                                  an integer beyond 64 bits, a string with an unpaired surrogate)
     */
    public static byte[] encode(Object value) {
        MessageBufferPacker packer = MessagePack.newDefaultBufferPacker();
        try {
            pack(packer, value, 0);
            return packer.toByteArray();
        } catch (IOException e) {
            throw new IllegalStateException("in-memory MessagePack output failed", e);
        }
    }

    private static void pack(MessageBufferPacker p, Object v, int depth) throws IOException {
        if (depth > MAX_DEPTH) {
            throw new IllegalArgumentException("value nested deeper than " + MAX_DEPTH + " levels");
        }
        if (v == null) {
            p.packNil();
        } else if (v instanceof String) {
            String s = (String) v;
            requireWellFormed(s);
            p.packString(s);
        } else if (v instanceof Boolean) {
            p.packBoolean((Boolean) v);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            p.packLong(((Number) v).longValue());
        } else if (v instanceof BigInteger) {
            BigInteger b = (BigInteger) v;
            if (b.compareTo(INT64_MIN) < 0 || b.compareTo(UINT64_MAX) > 0) {
                throw new IllegalArgumentException("integer " + b + " does not fit in MessagePack's 64 bits");
            }
            p.packBigInteger(b);
        } else if (v instanceof Double || v instanceof Float) {
            // Python floats are doubles and msgpack writes them as float64; a float32 would change the value.
            p.packDouble(((Number) v).doubleValue());
        } else if (v instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) v;
            p.packMapHeader(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!(e.getKey() instanceof String)) {
                    throw new IllegalArgumentException("map key " + describe(e.getKey()) + " is not a string");
                }
                pack(p, e.getKey(), depth + 1);
                pack(p, e.getValue(), depth + 1);
            }
        } else if (v instanceof Collection) {
            Collection<?> c = (Collection<?>) v;
            p.packArrayHeader(c.size());
            for (Object item : c) {
                pack(p, item, depth + 1);
            }
        } else if (v instanceof byte[]) {
            byte[] b = (byte[]) v;
            p.packBinaryHeader(b.length);
            p.writePayload(b);
        } else {
            throw new IllegalArgumentException("a value of type " + v.getClass().getName() + " cannot be stored: "
                    + describe(v));
        }
    }

    /** Java would silently write '?' for a lone surrogate; the stored text must be what was given. */
    private static void requireWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new IllegalArgumentException("string has an unpaired surrogate at index " + i);
            }
            if (Character.isLowSurrogate(c)) {
                throw new IllegalArgumentException("string has an unpaired surrogate at index " + i);
            }
        }
    }

    /**
     * Decodes one value that must fill {@code buffer} from its position to its limit. Reads the buffer in place
     * (it may be LMDB's memory map), without moving its position.
     *
     * @throws IllegalArgumentException describing the first problem if the bytes are not one valid value
     */
    public static Object decode(ByteBuffer buffer) {
        try (MessageUnpacker u = MessagePack.newDefaultUnpacker(buffer.slice())) {
            Reader reader = new Reader(u, buffer.remaining());
            Object value = reader.value(0);
            if (u.hasNext()) {
                throw new IllegalArgumentException("extra bytes after the value (at offset " + u.getTotalReadBytes()
                        + " of " + reader.size + ")");
            }
            return value;
        } catch (MessageInsufficientBufferException e) {
            throw new IllegalArgumentException("truncated: the data ends inside a value", e);
        } catch (MessageSizeException e) {
            throw new IllegalArgumentException("a length is longer than the data (" + e.getMessage() + ")", e);
        } catch (MessagePackException | IOException e) {
            throw new IllegalArgumentException("not valid MessagePack: "
                    + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName()), e);
        }
    }

    /** @see #decode(ByteBuffer) */
    public static Object decode(byte[] bytes) {
        return decode(ByteBuffer.wrap(bytes));
    }

    /** The state of one decode: the unpacker, the input size, and a UTF-8 decoder made only if non-ASCII text appears. */
    private static final class Reader {
        final MessageUnpacker u;
        final long size;
        CharsetDecoder utf8;

        Reader(MessageUnpacker u, long size) {
            this.u = u;
            this.size = size;
        }

        Object value(int depth) throws IOException {
            if (depth > MAX_DEPTH) {
                throw new IllegalArgumentException("value nested deeper than " + MAX_DEPTH + " levels");
            }
            if (!u.hasNext()) {
                throw new IllegalArgumentException("truncated: the data ends inside a value");
            }
            MessageFormat format = u.getNextFormat();
            switch (format.getValueType()) {
                case NIL:
                    u.unpackNil();
                    return null;
                case BOOLEAN:
                    return u.unpackBoolean();
                case INTEGER:
                    if (format == MessageFormat.UINT64) {
                        BigInteger b = u.unpackBigInteger();
                        return b.bitLength() < 64 ? (Object) b.longValue() : b;
                    }
                    return u.unpackLong();
                case FLOAT:
                    return u.unpackDouble();
                case STRING:
                    return string();
                case BINARY: {
                    int n = u.unpackBinaryHeader();
                    requireAvailable(n, "binary");
                    return u.readPayload(n);
                }
                case ARRAY: {
                    int n = u.unpackArrayHeader();
                    requireAvailable(n, "array");
                    List<Object> list = new ArrayList<>(n);
                    for (int i = 0; i < n; i++) {
                        list.add(value(depth + 1));
                    }
                    return list;
                }
                case MAP: {
                    int n = u.unpackMapHeader();
                    requireAvailable(2L * n, "map");
                    Map<Object, Object> map = new LinkedHashMap<>(Math.max(4, n * 4 / 3 + 1));
                    for (int i = 0; i < n; i++) {
                        Object key = key(depth);
                        // Like a Python dict: a repeated key keeps its first position and takes the last value.
                        map.put(key, value(depth + 1));
                    }
                    return map;
                }
                case EXTENSION:
                    throw new IllegalArgumentException("MessagePack extension type at offset " + u.getTotalReadBytes()
                            + " is not part of a template record");
                default:
                    throw new IllegalArgumentException("invalid MessagePack byte at offset " + u.getTotalReadBytes());
            }
        }

        /**
         * A map key. The original reads records with {@code strict_map_key=False}, so a metadata map it loaded
         * from YAML may have integer, float, boolean or null keys; those read as such. Keys that Python could not
         * hash (arrays, maps) or that have no plain value (binary, extensions) are refused.
         */
        private Object key(int depth) throws IOException {
            if (!u.hasNext()) {
                throw new IllegalArgumentException("truncated: the data ends inside a map");
            }
            ValueType type = u.getNextFormat().getValueType();
            switch (type) {
                case STRING:
                case INTEGER:
                case FLOAT:
                case BOOLEAN:
                case NIL:
                    return value(depth + 1);
                default:
                    throw new IllegalArgumentException("map key of type " + type.name().toLowerCase(Locale.ROOT)
                            + " at offset " + u.getTotalReadBytes() + ": keys must be strings, numbers, booleans or nil");
            }
        }

        /** Strict UTF-8 as Python's {@code raw=False}: invalid text is an error, never replaced. */
        private String string() throws IOException {
            long offset = u.getTotalReadBytes();
            int n = u.unpackRawStringHeader();
            requireAvailable(n, "string");
            byte[] bytes = u.readPayload(n);
            boolean ascii = true;
            for (byte b : bytes) {
                if (b < 0) {
                    ascii = false;
                    break;
                }
            }
            if (ascii) {
                return new String(bytes, StandardCharsets.ISO_8859_1);
            }
            if (utf8 == null) {
                utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT);
            }
            try {
                return utf8.reset().decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new IllegalArgumentException("string at offset " + offset + " is not valid UTF-8");
            }
        }

        /** Every element takes at least one byte: a header claiming more than is left is corrupt, not a reason to allocate. */
        private void requireAvailable(long needed, String what) {
            long left = size - u.getTotalReadBytes();
            if (needed < 0 || needed > left) {
                throw new IllegalArgumentException(what + " of length " + needed + " at offset " + u.getTotalReadBytes()
                        + " is longer than the " + left + " bytes left");
            }
        }
    }

    private static String describe(Object v) {
        String s = String.valueOf(v);
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}

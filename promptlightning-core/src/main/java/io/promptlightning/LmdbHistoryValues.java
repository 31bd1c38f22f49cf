package io.promptlightning;

import io.promptlightning.internal.MsgPackCodec;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * The values of {@link LmdbRegistry}'s own databases, as MessagePack maps that any MessagePack reader can
 * inspect. A version is {@code {saved_at, author, message, encoding, record}}: {@code record} holds the template
 * record exactly as the {@code templates} database does ({@code encoding: msgpack}) or deflated
 * ({@code encoding: deflate}). A label move is {@code {label, from, to, at, author, message}}. Times are Unix
 * milliseconds.
 */
final class LmdbHistoryValues {
    static final String PLAIN = "msgpack";
    static final String DEFLATE = "deflate";

    private LmdbHistoryValues() {
    }

    /** A stored version: what was recorded and the template record's MessagePack bytes (inflated). */
    record StoredVersion(VersionInfo info, byte[] record) {
    }

    static byte[] encodeVersion(VersionInfo info, byte[] record, boolean compress) {
        return encodeVersion(info, record, compress ? deflate(record) : null);
    }

    /**
     * @param deflated {@link #deflate} of {@code record}, kept where it is smaller; null to store the record plain
     */
    static byte[] encodeVersion(VersionInfo info, byte[] record, byte[] deflated) {
        byte[] body = record;
        String encoding = PLAIN;
        if (deflated != null && deflated.length < record.length) {
            body = deflated;
            encoding = DEFLATE;
        }
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("saved_at", info.savedAt() == null ? null : info.savedAt().toEpochMilli());
        value.put("author", info.author());
        value.put("message", info.message());
        value.put("encoding", encoding);
        value.put("record", body);
        return MsgPackCodec.encode(value);
    }

    /** @throws IllegalArgumentException if the value is not a version written by {@link #encodeVersion} */
    static StoredVersion decodeVersion(String version, ByteBuffer stored, boolean withRecord) {
        Map<?, ?> map = asMap(MsgPackCodec.decode(stored), "version");
        Object body = map.get("record");
        if (!(body instanceof byte[])) {
            throw new IllegalArgumentException("the version has no record");
        }
        Object encoding = map.get("encoding");
        byte[] record;
        if (!withRecord) {
            record = null;
        } else if (encoding == null || PLAIN.equals(encoding)) {
            record = (byte[]) body;
        } else if (DEFLATE.equals(encoding)) {
            record = inflate((byte[]) body);
        } else {
            throw new IllegalArgumentException("unknown record encoding " + encoding);
        }
        Object savedAt = map.get("saved_at");
        return new StoredVersion(new VersionInfo(version, savedAt instanceof Long ? Instant.ofEpochMilli((Long) savedAt)
                : null, text(map, "author"), text(map, "message")), record);
    }

    static byte[] encodeMove(LabelMove move) {
        Map<String, Object> value = new LinkedHashMap<>();
        value.put("label", move.label());
        value.put("from", move.from());
        value.put("to", move.to());
        value.put("at", move.at().toEpochMilli());
        value.put("author", move.author());
        value.put("message", move.message());
        return MsgPackCodec.encode(value);
    }

    static LabelMove decodeMove(ByteBuffer stored) {
        Map<?, ?> map = asMap(MsgPackCodec.decode(stored), "label move");
        Object at = map.get("at");
        String label = text(map, "label");
        if (label == null || !(at instanceof Long)) {
            throw new IllegalArgumentException("a label move without label or time");
        }
        return new LabelMove(label, text(map, "from"), text(map, "to"), Instant.ofEpochMilli((Long) at),
                text(map, "author"), text(map, "message"));
    }

    private static Map<?, ?> asMap(Object decoded, String what) {
        if (!(decoded instanceof Map)) {
            throw new IllegalArgumentException("a stored " + what + " is not a map");
        }
        return (Map<?, ?>) decoded;
    }

    private static String text(Map<?, ?> map, String key) {
        Object value = map.get(key);
        return value instanceof String ? (String) value : null;
    }

    static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION);
        try {
            deflater.setInput(data);
            deflater.finish();
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length / 2 + 16);
            byte[] chunk = new byte[Math.max(64, Math.min(data.length, 8192))];
            while (!deflater.finished()) {
                out.write(chunk, 0, deflater.deflate(chunk));
            }
            return out.toByteArray();
        } finally {
            deflater.end();
        }
    }

    private static byte[] inflate(byte[] data) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(data);
            ByteArrayOutputStream out = new ByteArrayOutputStream(data.length * 3);
            byte[] chunk = new byte[8192];
            while (!inflater.finished()) {
                int n = inflater.inflate(chunk);
                if (n == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    throw new IllegalArgumentException("the compressed record is truncated");
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (DataFormatException e) {
            throw new IllegalArgumentException("the compressed record is corrupt: " + e.getMessage());
        } finally {
            inflater.end();
        }
    }
}

package io.promptlightning.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MsgPackCodecTest {
    private static final HexFormat HEX = HexFormat.of();

    // Expected bytes are what Python's msgpack 1.0.3 `msgpack.packb(value)` gives for the same value (the original
    // library's writer), so the two write identical records.

    @Test
    void encodesMapsLikePython() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("a", 1L);
        m.put("b", Arrays.asList(1.5, null, true, false));
        m.put("c", "é");
        m.put("d", -1);
        assertEquals("84a16101a16294cb3ff8000000000000c0c3c2a163a2c3a9a164ff", hex(MsgPackCodec.encode(m)));
    }

    @Test
    void encodesIntegersInTheSmallestFormatLikePython() {
        List<Object> ints = List.of(0L, 127L, 128L, 255L, 256L, 65535L, 65536L, (1L << 32) - 1, 1L << 32,
                Long.MAX_VALUE, new BigInteger("18446744073709551615"), -1L, -32L, -33L, -128L, -129L, -32768L,
                -32769L, (long) Integer.MIN_VALUE, Integer.MIN_VALUE - 1L, Long.MIN_VALUE);
        assertEquals("dc0015007fcc80ccffcd0100cdffffce00010000ceffffffffcf0000000100000000cf7fffffffffffffffcfffffffffff"
                + "ffffffffe0d0dfd080d1ff7fd18000d2ffff7fffd280000000d3ffffffff7fffffffd38000000000000000",
                hex(MsgPackCodec.encode(ints)));
    }

    @Test
    void encodesFloatsAsFloat64() {
        List<Object> floats = List.of(1.0, -0.0, 1e-300, Double.MAX_VALUE, 0.1);
        assertEquals("95cb3ff0000000000000cb8000000000000000cb01a56e1fc2f8f359cb7fefffffffffffffcb3fb999999999999a",
                hex(MsgPackCodec.encode(floats)));
    }

    @Test
    void encodesStringsWithTheSameHeadersAsPython() {
        List<Object> strs = List.of("", "x".repeat(31), "x".repeat(32), "x".repeat(255), "x".repeat(256), "日本語🚀");
        String expected = "96a0bf" + "78".repeat(31) + "d920" + "78".repeat(32) + "d9ff" + "78".repeat(255) + "da0100"
                + "78".repeat(256) + "ade697a5e69cace8aa9ef09f9a80";
        assertEquals(expected, hex(MsgPackCodec.encode(strs)));
    }

    @Test
    void encodesLargeContainersAndBinary() {
        Map<String, Object> big = new LinkedHashMap<>();
        List<Object> arr = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            big.put(String.format("k%02d", i), (long) i);
            arr.add((long) i);
        }
        assertEquals("de0010a36b303000a36b303101a36b303202a36b303303a36b303404a36b303505a36b303606a36b303707a36b3038"
                + "08a36b303909a36b31300aa36b31310ba36b31320ca36b31330da36b31340ea36b31350f",
                hex(MsgPackCodec.encode(big)));
        assertEquals("dc0010000102030405060708090a0b0c0d0e0f", hex(MsgPackCodec.encode(arr)));
        assertEquals("c40200ff", hex(MsgPackCodec.encode(new byte[] {0, (byte) 0xff})));
    }

    @Test
    void roundTripKeepsTypesAndOrder() {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("z", 1L);
        inner.put("a", 2.0);
        inner.put("", null);
        inner.put("tab\tsep", "emoji🚀");
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("zeta", inner);
        m.put("alpha", List.of(true, false, "x", Long.MIN_VALUE, new BigInteger("18446744073709551615")));
        m.put("big", Long.MAX_VALUE);
        m.put("bin", new byte[] {1, 2, 3});
        Object back = MsgPackCodec.decode(MsgPackCodec.encode(m));
        Map<?, ?> map = assertInstanceOf(Map.class, back);
        assertEquals(List.of("zeta", "alpha", "big", "bin"), new ArrayList<>(map.keySet()));
        Map<?, ?> in = (Map<?, ?>) map.get("zeta");
        assertEquals(List.of("z", "a", "", "tab\tsep"), new ArrayList<>(in.keySet()));
        assertEquals(Long.class, in.get("z").getClass());
        assertEquals(Double.class, in.get("a").getClass());
        assertEquals(Arrays.asList(true, false, "x", Long.MIN_VALUE, new BigInteger("18446744073709551615")),
                map.get("alpha"));
        assertEquals(Long.MAX_VALUE, map.get("big"));
        assertArrayEquals(new byte[] {1, 2, 3}, (byte[]) map.get("bin"));
    }

    @Test
    void decodesSmallIntsAsLongAndFloat32AsDouble() {
        assertEquals(5L, MsgPackCodec.decode(bytes("05")));
        assertEquals(Long.class, MsgPackCodec.decode(bytes("d0df")).getClass());
        assertEquals(1.5, MsgPackCodec.decode(bytes("ca3fc00000")));
        // uint64 that fits in a long is a Long, as Python has one int type
        assertEquals(Long.MAX_VALUE, MsgPackCodec.decode(bytes("cf7fffffffffffffff")));
    }

    @Test
    void decodesFromAnOffsetWithoutMovingTheBuffer() {
        ByteBuffer direct = ByteBuffer.allocateDirect(8);
        direct.put(bytes("ff81a161c3ff")).position(1).limit(5);
        assertEquals(Map.of("a", true), MsgPackCodec.decode(direct));
        assertEquals(1, direct.position());
        assertEquals(5, direct.limit());
    }

    @Test
    void aRepeatedKeyKeepsItsFirstPlaceAndLastValueLikePython() {
        Map<?, ?> m = (Map<?, ?>) MsgPackCodec.decode(bytes("83a16101a16202a16103"));
        assertEquals(List.of("a", "b"), new ArrayList<>(m.keySet()));
        assertEquals(3L, m.get("a"));
    }

    @Test
    void readsScalarMapKeysAsTheOriginalDoesWithStrictMapKeyOff() {
        Map<?, ?> m = (Map<?, ?>) MsgPackCodec.decode(bytes("84" + "0101" + "cb3ff8000000000000a178" + "c3c2" + "c0c0"));
        assertEquals(Arrays.asList(1L, 1.5, true, null), new ArrayList<>(m.keySet()));
        assertEquals(1L, m.get(1L));
        assertEquals("x", m.get(1.5));
    }

    @Test
    void rejectsMalformedInput() {
        assertRejected("a2c328", "not valid UTF-8"); // invalid UTF-8, Python raw=False refuses it too
        assertRejected("a3eda080", "not valid UTF-8"); // an encoded surrogate
        assertRejected("82a161", "longer than"); // a map of 2 entries cannot fit in 2 bytes
        assertRejected("92c0cb3ff0", "truncated"); // the float is cut short
        assertRejected("a4616263", "longer than"); // str claims 4 bytes, 3 follow
        assertRejected("0101", "extra bytes");
        assertRejected("c1", "not valid MessagePack");
        assertRejected("d7000000000000000000", "extension");
        assertRejected("81d6ff00000000c0", "keys must be");
        assertRejected("819101c0", "keys must be"); // a list key: unhashable in Python
        assertRejected("81c401ffc0", "keys must be");
        assertRejected("d6ff00000000", "extension");
        assertRejected("ddffffffff", "longer than"); // array of 4 billion elements in 5 bytes
        assertRejected("dfffffffff", "longer than");
        assertRejected("dbffffffff61", "longer than");
        assertRejected("c5ffff", "longer than");
        assertRejected("", "truncated");
    }

    @Test
    void boundsNesting() {
        byte[] deep = new byte[MsgPackCodec.MAX_DEPTH + 10];
        Arrays.fill(deep, (byte) 0x91);
        deep[deep.length - 1] = (byte) 0xc0;
        assertRejected(deep, "nested deeper");
        List<Object> nested = new ArrayList<>();
        List<Object> cur = nested;
        for (int i = 0; i < MsgPackCodec.MAX_DEPTH + 10; i++) {
            List<Object> next = new ArrayList<>();
            cur.add(next);
            cur = next;
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MsgPackCodec.encode(nested));
        assertTrue(e.getMessage().contains("nested deeper"), e.getMessage());
    }

    @Test
    void refusesWhatThePythonSideCouldNotReadBack() {
        assertEncodeRejected(Map.of(1, "x"), "not a string");
        assertEncodeRejected(List.of(new Object()), "cannot be stored");
        assertEncodeRejected("a\uD800b", "unpaired surrogate");
        assertEncodeRejected("\uDC00", "unpaired surrogate");
        assertEncodeRejected(BigInteger.ONE.shiftLeft(64), "64 bits");
        assertEncodeRejected(BigInteger.ONE.shiftLeft(63).negate().subtract(BigInteger.ONE), "64 bits");
        assertEquals("a4f09f9a80", hex(MsgPackCodec.encode("🚀"))); // a proper pair is fine
    }

    private static void assertRejected(String hexBytes, String fragment) {
        assertRejected(bytes(hexBytes), fragment);
    }

    private static void assertRejected(byte[] b, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MsgPackCodec.decode(b),
                () -> "accepted " + hex(b));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static void assertEncodeRejected(Object value, String fragment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MsgPackCodec.encode(value));
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
    }

    private static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    private static byte[] bytes(String hex) {
        return HEX.parseHex(hex);
    }
}

package dev.shout.server.transform;

import static dev.shout.server.transform.TransformTesting.run;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Utf8UpperTransformTest {

    private static String upper(String text, int... cuts) {
        return new String(run(TransformKind.UPPER, text.getBytes(UTF_8), cuts), UTF_8);
    }

    private static byte[] upper(byte[] bytes, int... cuts) {
        return run(TransformKind.UPPER, bytes, cuts);
    }

    @Test
    void uppercasesAccentedLettersAndAppliesFullCaseMappings() {
        assertEquals("HÉLLO WÖRLD STRASSE\n", upper("héllo wörld straße\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ß", "ﬃ", "ŉ", "ΐ", "ǰ", "ﬓ", "ᾳ", "ı", "ſ", "ȿ", "ǆ", "ǅ", "ω", "𐐨", "ꞵ", "a"})
    void mapsEachCodePointAsStringToUpperCaseDoes(String letter) {
        assertEquals(letter.toUpperCase(Locale.ROOT), upper(letter));
    }

    @Test
    void everySplitPointOfMultiByteTextGivesTheSameBytes() {
        String text = "aé€𐐨ß ﬃ ΐ z\u0301 ŉ ı 日本語 🎉!";
        byte[] bytes = text.getBytes(UTF_8);
        byte[] expected = text.toUpperCase(Locale.ROOT).getBytes(UTF_8);
        for (int cut = 0; cut <= bytes.length; cut++) {
            assertArrayEquals(expected, upper(bytes, cut), "cut at " + cut);
            for (int second = cut; second <= bytes.length; second++) {
                assertArrayEquals(expected, upper(bytes, cut, second), "cuts at " + cut + ", " + second);
            }
        }
    }

    @Test
    void oneByteReadsGiveTheSameBytes() {
        String text = "grüße, 𐐨 and ﬀ";
        byte[] bytes = text.getBytes(UTF_8);
        int[] everyByte = new int[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            everyByte[i] = i;
        }
        assertArrayEquals(text.toUpperCase(Locale.ROOT).getBytes(UTF_8), upper(bytes, everyByte));
    }

    @Test
    void everyCodePointMatchesTheJdksFullMapping() {
        StringBuilder all = new StringBuilder();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            if (!Character.isSurrogate((char) cp) || cp > 0xFFFF) {
                all.appendCodePoint(cp);
            }
        }
        String text = all.toString();
        assertArrayEquals(text.toUpperCase(Locale.ROOT).getBytes(UTF_8), upper(text.getBytes(UTF_8), 1000, 5001));
    }

    @Test
    void invalidBytesPassThroughUnchanged() {
        byte[][] invalid = {
            {(byte) 0x80},                                     // lone continuation byte
            {(byte) 0xC0, (byte) 0xAF},                        // overlong '/'
            {(byte) 0xE0, (byte) 0x80, (byte) 0xAF},           // overlong, 3 bytes
            {(byte) 0xED, (byte) 0xA0, (byte) 0x80},           // surrogate U+D800
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, // above U+10FFFF
            {(byte) 0xF5, (byte) 0x80},                        // never a lead byte
            {(byte) 0xFF, (byte) 0xFE},
        };
        for (byte[] bytes : invalid) {
            assertArrayEquals(bytes, upper(bytes));
        }
    }

    @Test
    void aBrokenSequenceIsKeptAndTheByteThatBrokeItIsReadAfresh() {
        // C3 starts "é" but 'a' breaks it: C3 passes through, 'a' is uppercased.
        assertArrayEquals(new byte[] {(byte) 0xC3, 'A', 'B'}, upper(new byte[] {(byte) 0xC3, 'a', 'b'}));
        // E2 82 then C3 A9: the broken pair passes through, é becomes É.
        assertArrayEquals(new byte[] {(byte) 0xE2, (byte) 0x82, (byte) 0xC3, (byte) 0x89},
                upper(new byte[] {(byte) 0xE2, (byte) 0x82, (byte) 0xC3, (byte) 0xA9}, 1, 3));
    }

    @Test
    void heldBytesAreFlushedUnchangedAtEndOfStream() {
        byte[] truncated = {'a', (byte) 0xF0, (byte) 0x9F, (byte) 0x8E};
        assertArrayEquals(new byte[] {'A', (byte) 0xF0, (byte) 0x9F, (byte) 0x8E}, upper(truncated, 2));
    }

    @Test
    void neverHoldsMoreThanThreeBytes() {
        StreamTransform transform = TransformKind.UPPER.newTransform();
        byte[] start = {(byte) 0xF0, (byte) 0x9F, (byte) 0x8E};
        io.netty.buffer.ByteBuf out = transform.apply(
                io.netty.buffer.Unpooled.wrappedBuffer(start), io.netty.buffer.ByteBufAllocator.DEFAULT);
        assertEquals(0, out.readableBytes());
        out.release();
        io.netty.buffer.ByteBuf held = transform.finish(io.netty.buffer.ByteBufAllocator.DEFAULT);
        assertEquals(3, held.readableBytes());
        held.release();
    }

    @Test
    void validUtf8OfRandomCodePointsMatchesTheJdkWhereverItIsCut() {
        Random random = new Random(42);
        for (int round = 0; round < 500; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(200);
            for (int i = 0; i < length; i++) {
                int cp;
                do {
                    cp = random.nextInt(4) == 0 ? random.nextInt(0x80) : random.nextInt(0x30000);
                } while (Character.getType(cp) == Character.SURROGATE);
                text.appendCodePoint(cp);
            }
            byte[] bytes = text.toString().getBytes(UTF_8);
            int cut = bytes.length == 0 ? 0 : random.nextInt(bytes.length);
            assertArrayEquals(text.toString().toUpperCase(Locale.ROOT).getBytes(UTF_8), upper(bytes, cut),
                    "round " + round);
        }
    }
}

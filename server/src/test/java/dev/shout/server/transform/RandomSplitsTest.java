package dev.shout.server.transform;

import static dev.shout.server.transform.TransformTesting.run;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Thousands of random inputs, each delivered in randomly cut chunks as TCP might: a transform
 * must send the same bytes however its input is cut, and {@code upper} must send what the
 * JDK's {@code toUpperCase} makes of valid text. The black-box tests check the same against
 * an independent reference over real sockets; these find a cut that breaks it in seconds.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RandomSplitsTest {

    private static final int CASES = 2_000;
    private static final int MAX_LENGTH = 2_048;

    /** Bytes drawn to make well-formed and broken UTF-8 alike: letters, lead, continuation and never-valid bytes. */
    private static final byte[][] BYTE_CLASSES = {
            "abcxyz ßQ".getBytes(UTF_8),
            range(0x80, 0xBF),
            range(0xC2, 0xF4),
            {(byte) 0xC0, (byte) 0xC1, (byte) 0xE0, (byte) 0xED, (byte) 0xF0, (byte) 0xF4, (byte) 0xF5, (byte) 0xFF},
    };

    @ParameterizedTest
    @EnumSource(TransformKind.class)
    void randomCutsOfRandomBytesNeverChangeWhatIsSent(TransformKind kind) {
        Random random = new Random(kind.ordinal());
        for (int n = 0; n < CASES; n++) {
            byte[] input = byteSoup(random, random.nextInt(MAX_LENGTH));
            int[] cuts = randomCuts(random, input.length);
            assertArrayEquals(run(kind, input), run(kind, input, cuts),
                    () -> kind + " of " + HexFormat.of().formatHex(input) + " cut at " + Arrays.toString(cuts));
        }
    }

    @Test
    void upperOfRandomTextCutAnywhereIsWhatToUpperCaseGives() {
        Random random = new Random(42);
        for (int n = 0; n < CASES; n++) {
            String text = randomText(random, random.nextInt(MAX_LENGTH / 4));
            byte[] input = text.getBytes(UTF_8);
            int[] cuts = randomCuts(random, input.length);
            assertArrayEquals(text.toUpperCase(Locale.ROOT).getBytes(UTF_8), run(TransformKind.UPPER, input, cuts),
                    () -> "upper of \"" + text + "\" cut at " + Arrays.toString(cuts));
        }
    }

    /** Up to eight ascending cut points in {@code 0..length}, repeats allowed (an empty read). */
    private static int[] randomCuts(Random random, int length) {
        return IntStream.generate(() -> random.nextInt(length + 1)).limit(random.nextInt(9)).sorted().toArray();
    }

    private static byte[] byteSoup(Random random, int length) {
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            byte[] pool = BYTE_CLASSES[random.nextInt(BYTE_CLASSES.length)];
            bytes[i] = pool[random.nextInt(pool.length)];
        }
        return bytes;
    }

    /** Any code point but surrogates, one in four ASCII, so that every UTF-8 length and most scripts occur. */
    private static String randomText(Random random, int codePoints) {
        StringBuilder text = new StringBuilder();
        for (int n = 0; n < codePoints; ) {
            int cp = random.nextInt(4) == 0 ? random.nextInt(0x80) : random.nextInt(Character.MAX_CODE_POINT + 1);
            if (Character.getType(cp) != Character.SURROGATE) {
                text.appendCodePoint(cp);
                n++;
            }
        }
        return text.toString();
    }

    private static byte[] range(int from, int to) {
        byte[] bytes = new byte[to - from + 1];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (from + i);
        }
        return bytes;
    }
}

package dev.shout.server.transform;

import static dev.shout.server.transform.TransformTesting.run;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AsciiUpperTransformTest {

    /** Python's bytes.upper(), written out byte by byte: an independent reference. */
    private static byte[] pythonUpper(byte[] bytes) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= 'a' && out[i] <= 'z') {
                out[i] -= 32;
            }
        }
        return out;
    }

    @Test
    void changesOnlyAsciiLettersLikePythonBytesUpper() {
        assertArrayEquals("HéLLO".getBytes(UTF_8), run(TransformKind.ASCII_UPPER, "héllo".getBytes(UTF_8)));
    }

    @Test
    void everyByteValueMatchesTheReference() {
        byte[] all = new byte[256 * 3];
        for (int i = 0; i < all.length; i++) {
            all[i] = (byte) i;
        }
        assertArrayEquals(pythonUpper(all), run(TransformKind.ASCII_UPPER, all, 7, 300));
    }

    @Test
    void randomBytesMatchTheReferenceWhereverTheyAreCut() {
        Random random = new Random(7);
        for (int round = 0; round < 2000; round++) {
            byte[] bytes = new byte[random.nextInt(100)];
            random.nextBytes(bytes);
            int cut = random.nextInt(bytes.length + 1);
            assertArrayEquals(pythonUpper(bytes), run(TransformKind.ASCII_UPPER, bytes, cut), "round " + round);
        }
    }
}

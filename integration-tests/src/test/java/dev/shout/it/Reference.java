package dev.shout.it;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Random;

/**
 * What the server should send back, computed independently of the server's code, and the
 * payloads to send it.
 */
public final class Reference {

    private Reference() {
    }

    /** Unicode uppercase of valid UTF-8, as the JDK does it for whole strings. */
    public static byte[] upper(byte[] validUtf8) {
        return new String(validUtf8, StandardCharsets.UTF_8).toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
    }

    /** Python's bytes.upper(). */
    static byte[] asciiUpper(byte[] bytes) {
        byte[] out = bytes.clone();
        for (int i = 0; i < out.length; i++) {
            if (out[i] >= 'a' && out[i] <= 'z') {
                out[i] -= 32;
            }
        }
        return out;
    }

    /** Random valid UTF-8 of about {@code size} bytes: mostly ASCII, with 2-, 3- and 4-byte characters. */
    public static byte[] randomText(Random random, int size) {
        StringBuilder text = new StringBuilder(size);
        int bytes = 0;
        while (bytes < size) {
            int cp = switch (random.nextInt(8)) {
                case 0 -> 0x80 + random.nextInt(0x780);
                case 1 -> 0x800 + random.nextInt(0xD000 - 0x800);
                case 2 -> 0x10000 + random.nextInt(0x20000);
                default -> 0x20 + random.nextInt(0x5F);
            };
            text.appendCodePoint(cp);
            bytes += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }
}

package dev.shout.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.Locale;

/**
 * What {@code --transform upper} must send back for any bytes, written from the specification,
 * not from the server's code: each well-formed UTF-8 sequence (Unicode table 3-7) is uppercased
 * as {@code String.toUpperCase(Locale.ROOT)} uppercases that one code point; every byte that
 * does not start a well-formed sequence is sent back unchanged.
 */
final class UpperReference {

    /**
     * Unicode table 3-7, one row per kind of sequence: the lowest and highest lead byte, then
     * the range each following byte must be in.
     */
    private static final int[][] WELL_FORMED = {
            {0x00, 0x7F},
            {0xC2, 0xDF, 0x80, 0xBF},
            {0xE0, 0xE0, 0xA0, 0xBF, 0x80, 0xBF},
            {0xE1, 0xEC, 0x80, 0xBF, 0x80, 0xBF},
            {0xED, 0xED, 0x80, 0x9F, 0x80, 0xBF},
            {0xEE, 0xEF, 0x80, 0xBF, 0x80, 0xBF},
            {0xF0, 0xF0, 0x90, 0xBF, 0x80, 0xBF, 0x80, 0xBF},
            {0xF1, 0xF3, 0x80, 0xBF, 0x80, 0xBF, 0x80, 0xBF},
            {0xF4, 0xF4, 0x80, 0x8F, 0x80, 0xBF, 0x80, 0xBF},
    };

    private UpperReference() {
    }

    static byte[] upper(byte[] bytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + 16);
        int at = 0;
        while (at < bytes.length) {
            int length = wellFormedLength(bytes, at);
            if (length == 0) {
                out.write(bytes[at]);
                at++;
            } else {
                String character = new String(bytes, at, length, UTF_8);
                out.writeBytes(character.toUpperCase(Locale.ROOT).getBytes(UTF_8));
                at += length;
            }
        }
        return out.toByteArray();
    }

    /** The length of the well-formed sequence starting at {@code at}, or 0 if none does. */
    static int wellFormedLength(byte[] bytes, int at) {
        for (int[] row : WELL_FORMED) {
            int length = row.length / 2;
            if (at + length > bytes.length) {
                continue;
            }
            boolean matches = true;
            for (int i = 0; i < length && matches; i++) {
                int b = bytes[at + i] & 0xFF;
                matches = b >= row[2 * i] && b <= row[2 * i + 1];
            }
            if (matches) {
                return length;
            }
        }
        return 0;
    }
}

package dev.shout.it;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.util.Random;

/**
 * Random payloads for the transforms: binary, and UTF-8 text with cased letters of many
 * scripts (with the code points whose uppercase is longer) and broken sequences mixed in.
 */
final class RandomInput {

    /** Code point ranges with case mappings, from Latin to Adlam; the last rows hold one-to-many mappings. */
    private static final int[][] CASED = {
            {'a', 'z'}, {0xC0, 0x24F}, {0x370, 0x3FF}, {0x400, 0x52F}, {0x531, 0x587}, {0x10A0, 0x10FF},
            {0x1E00, 0x1FFF}, {0x2160, 0x2188}, {0x24B6, 0x24E9}, {0x2C00, 0x2C7F}, {0xA640, 0xA7FF},
            {0xFF21, 0xFF5A}, {0x10400, 0x1044F}, {0x1E900, 0x1E943}, {0xDF, 0xDF}, {0xFB00, 0xFB17}, {0x149, 0x149},
    };

    /** Sequences that are not well-formed: a lone continuation, overlongs, a surrogate, beyond U+10FFFF, never-valid bytes. */
    private static final int[][] BROKEN = {
            {0x80}, {0xBF}, {0xC0, 0xAF}, {0xC1, 0xBF}, {0xE0, 0x80, 0xAF}, {0xED, 0xA0, 0x80}, {0xED, 0xBF, 0xBF},
            {0xF0, 0x80, 0x80, 0xAF}, {0xF4, 0x90, 0x80, 0x80}, {0xF5}, {0xFE}, {0xFF},
    };

    private RandomInput() {
    }

    /** Mostly small, some medium, a few large: up to 4 KiB nine times in ten, 256 KiB most others, 4 MiB one in a hundred. */
    static int size(Random random) {
        int roll = random.nextInt(100);
        if (roll == 0) {
            return random.nextInt(4 << 20);
        }
        return random.nextInt(roll < 10 ? 256 << 10 : 4 << 10);
    }

    static byte[] binary(Random random, int size) {
        byte[] bytes = new byte[size];
        random.nextBytes(bytes);
        return bytes;
    }

    /** About {@code size} bytes of text: ASCII, cased letters, any code point, broken sequences and characters cut short. */
    static byte[] brokenText(Random random, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 4);
        while (out.size() < size) {
            int roll = random.nextInt(20);
            if (roll < 8) {
                out.write(0x20 + random.nextInt(0x5F));
            } else if (roll < 15) {
                int[] range = CASED[random.nextInt(CASED.length)];
                out.writeBytes(Character.toString(range[0] + random.nextInt(range[1] - range[0] + 1)).getBytes(UTF_8));
            } else if (roll < 17) {
                out.writeBytes(Character.toString(scalarValueFrom(random, 0)).getBytes(UTF_8));
            } else if (roll < 19) {
                for (int b : BROKEN[random.nextInt(BROKEN.length)]) {
                    out.write(b);
                }
            } else {
                byte[] character = Character.toString(scalarValueFrom(random, 0x80)).getBytes(UTF_8);
                out.write(character, 0, 1 + random.nextInt(character.length - 1));
            }
        }
        return out.toByteArray();
    }

    /** A random code point from {@code lowest} up that is not a surrogate: one UTF-8 can encode. */
    private static int scalarValueFrom(Random random, int lowest) {
        int cp = lowest + random.nextInt(Character.MAX_CODE_POINT + 1 - lowest);
        return Character.getType(cp) == Character.SURROGATE ? 0xE9 : cp;
    }
}

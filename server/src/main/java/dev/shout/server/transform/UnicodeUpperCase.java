package dev.shout.server.transform;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Full Unicode uppercase mapping of one code point, as {@link String#toUpperCase(Locale)} does
 * it for {@link Locale#ROOT}. {@link Character#toUpperCase(int)} gives only the simple
 * one-to-one mapping; the hundred-odd code points whose full mapping is longer (ß → SS,
 * ﬃ → FFI, ΐ → Ϊ́) are found once, at class load, and kept as UTF-8 bytes.
 */
final class UnicodeUpperCase {

    /** Only letters and combining marks have case mappings; scanning just these keeps start-up short. */
    private static final Map<Integer, byte[]> MULTI_CHAR_MAPPINGS = findMultiCharMappings();

    private UnicodeUpperCase() {
    }

    /** The UTF-8 bytes of the full mapping when it is more than one code point, else null. */
    static byte[] multiCharMapping(int codePoint) {
        return MULTI_CHAR_MAPPINGS.get(codePoint);
    }

    /** The simple (one code point) uppercase mapping. */
    static int simpleMapping(int codePoint) {
        return Character.toUpperCase(codePoint);
    }

    private static Map<Integer, byte[]> findMultiCharMappings() {
        Map<Integer, byte[]> mappings = new HashMap<>();
        for (int cp = 0x80; cp <= Character.MAX_CODE_POINT; cp++) {
            if (!Character.isLetter(cp) && Character.getType(cp) != Character.NON_SPACING_MARK) {
                continue;
            }
            String full = new String(Character.toChars(cp)).toUpperCase(Locale.ROOT);
            if (full.codePointCount(0, full.length()) > 1) {
                mappings.put(cp, full.getBytes(StandardCharsets.UTF_8));
            }
        }
        return Map.copyOf(mappings);
    }
}

package dev.shout.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine.TypeConversionException;

@Timeout(10)
class ReplyTransformTest {

    @Test
    void upperTurnsLowerCaseLettersIntoCapitals() {
        assertEquals("HELLO, WORLD! 42 {}~", apply(ReplyTransform.UPPER, "hello, World! 42 {}~"));
    }

    @Test
    void asciiUpperTurnsLowerCaseLettersIntoCapitals() {
        assertEquals("HELLO, WORLD! 42 {}~", apply(ReplyTransform.ASCII_UPPER, "hello, World! 42 {}~"));
    }

    @Test
    void echoKeepsEveryByte() {
        assertEquals("hello, World! 42 {}~", apply(ReplyTransform.ECHO, "hello, World! 42 {}~"));
    }

    @Test
    void upperAgreesWithTheJdkOnEveryPrintableAsciiCharacter() {
        for (char c = ' '; c <= '~'; c++) {
            String one = String.valueOf(c);
            assertEquals(one.toUpperCase(Locale.ROOT), apply(ReplyTransform.UPPER, one), "for " + one);
        }
    }

    @Test
    void flagNamesAreTheServersSpelling() {
        ReplyTransform.Converter converter = new ReplyTransform.Converter();
        assertEquals(ReplyTransform.UPPER, converter.convert("upper"));
        assertEquals(ReplyTransform.ASCII_UPPER, converter.convert("ascii-upper"));
        assertEquals(ReplyTransform.ECHO, converter.convert("echo"));
        assertEquals("ascii-upper", ReplyTransform.ASCII_UPPER.toString());
    }

    @Test
    void unknownTransformNamesTheKnownOnes() {
        ReplyTransform.Converter converter = new ReplyTransform.Converter();
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> converter.convert("UPPER"));
        assertEquals("UPPER (expected: upper, ascii-upper or echo)", e.getMessage());
    }

    private static String apply(ReplyTransform transform, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = transform.reply(bytes[i]);
        }
        return new String(bytes, StandardCharsets.US_ASCII);
    }
}

package dev.shout.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import picocli.CommandLine.TypeConversionException;

@Timeout(10)
class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    /** The table the server's converter is held to as well. */
    @ParameterizedTest(name = "''{0}'': {1}")
    @CsvFileSource(resources = "/durations.csv")
    void acceptsAndRejectsWhatTheSharedTableSays(String text, String expected) {
        if (expected.equals("rejected")) {
            assertThrows(TypeConversionException.class, () -> converter.convert(text));
        } else {
            assertEquals(Duration.parse(expected), converter.convert(text));
        }
    }

    @Test
    void aMalformedDurationIsRejectedWithTheExpectedSyntax() {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> converter.convert("5x"));
        assertEquals("5x (expected: a whole number followed by ms, s, m or h, like 500ms or 5s)", e.getMessage());
    }

    @Test
    void aDurationTooLongForMillisecondsIsRejectedAsTooLong() {
        TypeConversionException e = assertThrows(TypeConversionException.class,
                () -> converter.convert("3000000000000000h"));
        assertEquals("3000000000000000h (expected: a shorter duration)", e.getMessage());
    }

    @Test
    void formatWritesWholeSecondsAsSecondsAndTheRestAsMilliseconds() {
        assertEquals("0s", DurationConverter.format(Duration.ZERO));
        assertEquals("5s", DurationConverter.format(Duration.ofSeconds(5)));
        assertEquals("60s", DurationConverter.format(Duration.ofMinutes(1)));
        assertEquals("1500ms", DurationConverter.format(Duration.ofMillis(1500)));
        assertEquals("-5s", DurationConverter.format(Duration.ofSeconds(-5)));
    }
}

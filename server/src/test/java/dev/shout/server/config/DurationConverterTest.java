package dev.shout.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvFileSource;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

@Timeout(10)
class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    /** The table the client's converter is held to as well. */
    @ParameterizedTest(name = "''{0}'': {1}")
    @CsvFileSource(resources = "/durations.csv")
    void acceptsAndRejectsWhatTheSharedTableSays(String flag, String expected) {
        if (expected.equals("rejected")) {
            assertThrows(TypeConversionException.class, () -> converter.convert(flag));
        } else {
            assertEquals(Duration.parse(expected), converter.convert(flag));
        }
    }

    @Test
    void theRejectionQuotesTheValueAndShowsTheExpectedForm() {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> converter.convert("ten"));
        assertEquals("'ten' is not a duration (expected: a number with ms, s, m or h, e.g. 10s)", e.getMessage());
    }

    @Test
    void aNumberTooLargeIsRejectedAsTooLong() {
        TypeConversionException e = assertThrows(TypeConversionException.class,
                () -> converter.convert("9999999999999999h"));
        assertEquals("'9999999999999999h' is too long a duration", e.getMessage());
    }

    @ParameterizedTest(name = "{0} is written {1}")
    @CsvSource({"PT0.25S, 250ms", "PT1.5S, 1500ms", "PT10S, 10s", "PT90S, 90s", "PT5M, 5m", "PT120M, 2h",
            "PT1H, 1h", "PT0S, 0s", "PT-5S, -5s"})
    void formatWritesTheLargestWholeUnit(Duration duration, String expected) {
        assertEquals(expected, DurationConverter.format(duration));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"250ms", "1500ms", "10s", "90s", "5m", "1h", "0s", "-5s"})
    void formatReadsBackAsWhatWasConverted(String flag) {
        Duration duration = converter.convert(flag);
        assertEquals(flag, DurationConverter.format(duration));
        assertEquals(duration, converter.convert(DurationConverter.format(duration)));
    }
}

package dev.shout.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

@Timeout(10)
class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @Test
    void everyUnitIsUnderstood() {
        assertEquals(Duration.ofMillis(500), converter.convert("500ms"));
        assertEquals(Duration.ofSeconds(5), converter.convert("5s"));
        assertEquals(Duration.ofMinutes(1), converter.convert("1m"));
        assertEquals(Duration.ofHours(2), converter.convert("2h"));
    }

    @Test
    void zeroIsLeftForTheConfigToJudge() {
        assertEquals(Duration.ZERO, converter.convert("0s"));
    }

    @Test
    void negativeDurationIsRejectedAsNegative() {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> converter.convert("-5s"));
        assertEquals("-5s (expected: a duration that is not negative)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "5", "s", "5x", "1.5s", "PT5S", " 5s", "5 s"})
    void malformedDurationIsRejectedWithTheExpectedSyntax(String text) {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> converter.convert(text));
        assertEquals(
                text + " (expected: a whole number followed by ms, s, m or h, like 500ms or 5s)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"99999999999999999999h", "3000000000000000h"})
    void durationTooLongForMillisecondsIsRejected(String text) {
        TypeConversionException e = assertThrows(TypeConversionException.class, () -> converter.convert(text));
        assertEquals(text + " (expected: a shorter duration)", e.getMessage());
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

package dev.shout.client;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations the way people type them ({@code 500ms}, {@code 5s}, {@code 1m}, {@code 1h},
 * or a bare {@code 0}) rather than ISO-8601's {@code PT5S}, and writes them back the same way so
 * that error messages quote what the user would have typed. It accepts exactly what the server's
 * converter accepts (both tests read testdata/durations.csv); a negative value is kept for the
 * configuration to reject with a message naming the flag.
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern SYNTAX = Pattern.compile("(-?\\d+)(ms|s|m|h)");
    private static final Map<String, ChronoUnit> UNITS = Map.of(
            "ms", ChronoUnit.MILLIS,
            "s", ChronoUnit.SECONDS,
            "m", ChronoUnit.MINUTES,
            "h", ChronoUnit.HOURS);

    @Override
    public Duration convert(String text) {
        String trimmed = text.trim();
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = SYNTAX.matcher(trimmed);
        if (!matcher.matches()) {
            throw new TypeConversionException(
                    text + " (expected: a whole number followed by ms, s, m or h, like 500ms or 5s)");
        }
        try {
            Duration duration = Duration.of(Long.parseLong(matcher.group(1)), UNITS.get(matcher.group(2)));
            // Callers work in milliseconds; refusing what does not fit spares each of them the check.
            duration.toMillis();
            return duration;
        } catch (ArithmeticException | NumberFormatException tooLong) {
            throw new TypeConversionException(text + " (expected: a shorter duration)");
        }
    }

    /** Whole seconds as {@code 5s}, anything finer as {@code 500ms}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + "s" : millis + "ms";
    }
}

package dev.shout.server.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads durations the way operators write them: {@code 250ms}, {@code 10s}, {@code 5m},
 * {@code 1h}, or a bare {@code 0}, spaces around them ignored (they come from environment
 * variables too). Negative values are kept so that the configuration can reject them with a
 * message naming the flag. The client's converter accepts exactly the same (both tests read
 * testdata/durations.csv).
 */
public final class DurationConverter implements ITypeConverter<Duration> {

    private static final Pattern DURATION = Pattern.compile("(-?\\d+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        String trimmed = value.trim();
        if (trimmed.equals("0")) {
            return Duration.ZERO;
        }
        Matcher matcher = DURATION.matcher(trimmed);
        if (!matcher.matches()) {
            throw new TypeConversionException(
                    "'" + value + "' is not a duration (expected: a number with ms, s, m or h, e.g. 10s)");
        }
        try {
            long amount = Long.parseLong(matcher.group(1));
            Duration duration = switch (matcher.group(2)) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                default -> Duration.ofHours(amount);
            };
            duration.toMillis(); // every duration must be countable in milliseconds
            return duration;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TypeConversionException("'" + value + "' is too long a duration");
        }
    }

    /** The inverse of {@link #convert}, for messages: the largest whole unit. Never throws. */
    public static String format(Duration duration) {
        long seconds = duration.getSeconds();
        int nanos = duration.getNano();
        if (nanos % 1_000_000 != 0) {
            return duration.toString();
        }
        if (nanos != 0) {
            try {
                return Math.addExact(Math.multiplyExact(seconds, 1000), nanos / 1_000_000) + "ms";
            } catch (ArithmeticException tooLong) {
                return duration.toString();
            }
        }
        if (seconds == 0) {
            return "0s";
        }
        if (seconds % 3600 == 0) {
            return seconds / 3600 + "h";
        }
        return seconds % 60 == 0 ? seconds / 60 + "m" : seconds + "s";
    }
}

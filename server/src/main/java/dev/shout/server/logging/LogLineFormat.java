package dev.shout.server.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.format.DateTimeFormatter;
import org.slf4j.event.Level;

/**
 * The text of one event, as slf4j-simple printed it with the server's settings:
 * {@code 2026-12-02T13:51:45.860Z [master:8563/loop-1-1] INFO Supervisor - worker-1 ready}, then
 * the stack trace of its throwable, if any. The date is made by a {@code java.time} formatter
 * built once: slf4j-simple's {@code SimpleDateFormat} (Calendar, DateFormatSymbols, the JDK's
 * locale data) was most of its start-up cost ({@link StderrServiceProvider}).
 */
final class LogLineFormat {

    private static final String DATE_TIME_PATTERN = "yyyy-MM-dd'T'HH:mm:ss.SSSXXX";

    private final Clock clock;
    private final DateTimeFormatter dateTime;

    /** Dates as {@code clock} tells them, in its zone. */
    LogLineFormat(Clock clock) {
        this.clock = clock;
        this.dateTime = DateTimeFormatter.ofPattern(DATE_TIME_PATTERN).withZone(clock.getZone());
    }

    /**
     * Dates now, in UTC ({@code Z}) whatever the host's time zone: the same on every host of a
     * fleet, and no time-zone rules to load, which the JVM's default zone costs a worker's start
     * (about 38 ms of CPU: {@code ZoneId.systemDefault} reads the JDK's whole zone database).
     */
    static LogLineFormat inUtc() {
        return new LogLineFormat(Clock.systemUTC());
    }

    /** The event's line, its line separator, and its throwable's stack trace: all it prints. */
    String format(String threadName, Level level, String shortLoggerName, String message, Throwable throwable) {
        StringBuilder text = new StringBuilder(128);
        dateTime.formatTo(clock.instant(), text);
        text.append(" [").append(threadName).append("] ").append(level.name()).append(' ')
                .append(shortLoggerName).append(" - ").append(message).append(System.lineSeparator());
        if (throwable != null) {
            StringWriter trace = new StringWriter();
            throwable.printStackTrace(new PrintWriter(trace));
            text.append(trace);
        }
        return text.toString();
    }
}

package dev.shout.server.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.event.Level;

/** An event's text is slf4j-simple's line as the server configured it, then any stack trace. */
@Timeout(10)
class LogLineFormatTest {

    private static final Instant AN_AFTERNOON = Instant.parse("2026-12-02T13:51:45.860Z");
    private static final String NL = System.lineSeparator();

    private static String format(ZoneId zone, Instant now, Level level, Throwable throwable) {
        return new LogLineFormat(Clock.fixed(now, zone))
                .format("master:8563/loop-1-1", level, "Supervisor", "worker-1 (pid 8594) ready in 567 ms", throwable);
    }

    @Test
    void aLineHasDateThreadLevelShortNameAndMessage() {
        assertEquals("2026-12-02T13:51:45.860Z [master:8563/loop-1-1] INFO Supervisor - worker-1 (pid 8594) ready in 567 ms"
                + NL, format(ZoneOffset.UTC, AN_AFTERNOON, Level.INFO, null));
    }

    @Test
    void theServersDatesAreInUtcWhateverTheHostsZone() {
        TimeZone host = TimeZone.getDefault();
        TimeZone.setDefault(TimeZone.getTimeZone("Asia/Kolkata"));
        try {
            String line = LogLineFormat.inUtc().format("main", Level.INFO, "Worker", "ready", null);
            assertTrue(line.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\[main] INFO Worker - ready\\R"),
                    line);
        } finally {
            TimeZone.setDefault(host);
        }
    }

    @Test
    void theDateIsInTheClocksZoneWithItsOffset() {
        assertEquals("2026-12-02T14:51:45.860+01:00", format(ZoneId.of("Europe/Paris"), AN_AFTERNOON, Level.INFO, null)
                .substring(0, 29));
        assertEquals("2026-12-02T08:21:45.860-05:30", format(ZoneOffset.ofHoursMinutes(-5, -30), AN_AFTERNOON,
                Level.INFO, null).substring(0, 29));
    }

    @Test
    void millisecondsKeepThreeDigitsAndFinerIsDropped() {
        assertEquals("2026-01-05T03:04:05.007Z [", format(ZoneOffset.UTC, Instant.parse("2026-01-05T03:04:05.007999Z"),
                Level.INFO, null).substring(0, 26));
    }

    @Test
    void eachLevelReadsAsSlf4jSimplesName() {
        assertEquals(" WARN Supervisor - ", levelAndName(Level.WARN));
        assertEquals(" ERROR Supervisor - ", levelAndName(Level.ERROR));
        assertEquals(" DEBUG Supervisor - ", levelAndName(Level.DEBUG));
        assertEquals(" TRACE Supervisor - ", levelAndName(Level.TRACE));
    }

    private static String levelAndName(Level level) {
        String text = format(ZoneOffset.UTC, AN_AFTERNOON, level, null);
        return text.substring(text.indexOf(']') + 1, text.indexOf(" - ") + 3);
    }

    @Test
    void aThrowablesStackTraceFollowsTheLine() {
        IllegalStateException failure = new IllegalStateException("the link broke", new RuntimeException("cause"));
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertEquals("2026-12-02T13:51:45.860Z [master:8563/loop-1-1] ERROR Supervisor - worker-1 (pid 8594) ready in 567 ms"
                + NL + trace, format(ZoneOffset.UTC, AN_AFTERNOON, Level.ERROR, failure));
    }
}

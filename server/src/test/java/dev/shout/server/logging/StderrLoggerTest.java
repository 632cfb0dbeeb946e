package dev.shout.server.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.Logger;

/** Loggers print the events their level lets through on System.err, formatted as slf4j-simple's. */
@Timeout(10)
class StderrLoggerTest {

    private static final String NL = System.lineSeparator();

    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream systemErr;
    private StderrLoggerFactory factory;

    @BeforeEach
    void captureSystemErr() {
        Properties settings = new Properties();
        settings.setProperty("org.slf4j.simpleLogger.log.dev.shout.quiet", "error");
        factory = new StderrLoggerFactory(new LogLevels(settings),
                new LogLineFormat(Clock.fixed(Instant.parse("2026-12-02T13:51:45.860Z"), ZoneOffset.UTC)));
        systemErr = System.err;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @AfterEach
    void restoreSystemErr() {
        System.setErr(systemErr);
    }

    private String printed() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static String line(String level, String shortName, String message) {
        return "2026-12-02T13:51:45.860Z [" + Thread.currentThread().getName() + "] " + level + " " + shortName + " - "
                + message + NL;
    }

    @Test
    void argumentsFillThePlaceholders() {
        factory.getLogger("dev.shout.server.process.supervision.Supervisor")
                .info("{} (pid {}) ready in {} ms", "worker-1", 8594L, 567);
        assertEquals(line("INFO", "Supervisor", "worker-1 (pid 8594) ready in 567 ms"), printed());
    }

    @Test
    void aTrailingThrowableIsPrintedAfterTheLine() {
        IllegalStateException failure = new IllegalStateException("boom");
        factory.getLogger("dev.shout.server.process.Master").warn("worker {} failed", 2, failure);
        StringWriter trace = new StringWriter();
        failure.printStackTrace(new PrintWriter(trace));
        assertEquals(line("WARN", "Master", "worker 2 failed") + trace, printed());
    }

    @Test
    void aNameWithoutDotsIsItsOwnShortName() {
        factory.getLogger("x").error("hi");
        assertEquals(line("ERROR", "x", "hi"), printed());
    }

    @Test
    void eventsBelowTheLoggersLevelAreNotPrinted() {
        Logger server = factory.getLogger("dev.shout.server.ShoutServer");
        Logger quiet = factory.getLogger("dev.shout.quiet.Thing");
        server.debug("not shown");
        server.trace("not shown");
        quiet.warn("not shown");
        quiet.error("shown");
        assertEquals(line("ERROR", "Thing", "shown"), printed());
        assertTrue(server.isInfoEnabled());
        assertFalse(server.isDebugEnabled());
        assertFalse(quiet.isWarnEnabled());
        assertTrue(quiet.isErrorEnabled());
    }

    @Test
    void aNameGetsTheSameLoggerEachTime() {
        assertSame(factory.getLogger("dev.shout.server.ShoutServer"), factory.getLogger("dev.shout.server.ShoutServer"));
    }
}

package dev.shout.server.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.event.Level;

/** Levels are set by slf4j-simple's system properties, over the server's own defaults. */
@Timeout(10)
class LogLevelsTest {

    private static final int TRACE = Level.TRACE.toInt();
    private static final int DEBUG = Level.DEBUG.toInt();
    private static final int INFO = Level.INFO.toInt();
    private static final int WARN = Level.WARN.toInt();
    private static final int ERROR = Level.ERROR.toInt();

    private static LogLevels levels(String... keysAndValues) {
        Properties settings = new Properties();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            settings.setProperty(keysAndValues[i], keysAndValues[i + 1]);
        }
        return new LogLevels(settings);
    }

    @Test
    void withoutPropertiesTheServerPrintsInfoAndNettyWarnings() {
        LogLevels levels = levels();
        assertEquals(INFO, levels.thresholdOf("dev.shout.server.process.supervision.Supervisor"));
        assertEquals(INFO, levels.thresholdOf("x"));
        assertEquals(WARN, levels.thresholdOf("io.netty.util.ResourceLeakDetector"));
        assertEquals(WARN, levels.thresholdOf("io.netty"));
        assertEquals(INFO, levels.thresholdOf("io.nettyx.Other"), "a prefix ends at a dot");
    }

    @Test
    void theDefaultLevelPropertySetsEveryOtherLogger() {
        LogLevels levels = levels(LogLevels.DEFAULT_LEVEL_PROPERTY, "debug");
        assertEquals(DEBUG, levels.thresholdOf("dev.shout.server.ShoutServer"));
        assertEquals(WARN, levels.thresholdOf("io.netty.channel.DefaultChannelPipeline"));
    }

    @Test
    void aLoggerPropertySetsThatLoggerAndThoseUnderIt() {
        LogLevels levels = levels("org.slf4j.simpleLogger.log.dev.shout.server.pipeline", "trace",
                "org.slf4j.simpleLogger.log.io.netty", "error");
        assertEquals(TRACE, levels.thresholdOf("dev.shout.server.pipeline"));
        assertEquals(TRACE, levels.thresholdOf("dev.shout.server.pipeline.ProxyHeaderHandler"));
        assertEquals(INFO, levels.thresholdOf("dev.shout.server.pipelines.Other"));
        assertEquals(INFO, levels.thresholdOf("dev.shout.server.ShoutServer"));
        assertEquals(ERROR, levels.thresholdOf("io.netty.buffer.PoolArena"), "a property overrides the built-in level");
    }

    @Test
    void theLongestMatchingPrefixWins() {
        LogLevels levels = levels("org.slf4j.simpleLogger.log.dev", "error",
                "org.slf4j.simpleLogger.log.dev.shout.server", "debug",
                "org.slf4j.simpleLogger.log.dev.shout", "warn");
        assertEquals(DEBUG, levels.thresholdOf("dev.shout.server.process.Master"));
        assertEquals(WARN, levels.thresholdOf("dev.shout.client.ShoutClient"));
        assertEquals(ERROR, levels.thresholdOf("dev.other"));
        assertEquals(TRACE, levels("org.slf4j.simpleLogger.log.io.netty.handler", "trace")
                .thresholdOf("io.netty.handler.ssl.SslHandler"), "longer than the built-in io.netty");
    }

    @Test
    void offIsAboveEveryLevelAndCaseDoesNotMatter() {
        LogLevels levels = levels(LogLevels.DEFAULT_LEVEL_PROPERTY, "OFF", "org.slf4j.simpleLogger.log.a.B", "Debug");
        assertEquals(LogLevels.OFF, levels.thresholdOf("dev.shout.server.ShoutServer"));
        assertTrue(LogLevels.OFF > ERROR);
        assertEquals(DEBUG, levels.thresholdOf("a.B.c"));
    }

    @Test
    void aBadValueReadsAsInfoAsInSlf4jSimple() {
        LogLevels levels = levels(LogLevels.DEFAULT_LEVEL_PROPERTY, "verbose", "org.slf4j.simpleLogger.log.io.netty", "loud");
        assertEquals(INFO, levels.thresholdOf("dev.shout.server.ShoutServer"));
        assertEquals(INFO, levels.thresholdOf("io.netty.channel.epoll.Epoll"));
        assertEquals(INFO, levels(LogLevels.DEFAULT_LEVEL_PROPERTY, "error", "org.slf4j.simpleLogger.log.dev", "")
                .thresholdOf("dev.shout.X"), "an empty value is a bad value");
    }
}

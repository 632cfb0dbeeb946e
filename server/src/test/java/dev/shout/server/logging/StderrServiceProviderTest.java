package dev.shout.server.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.slf4j.LoggerFactory;

/** SLF4J finds the server's provider through META-INF/services, and no other. */
@Timeout(10)
class StderrServiceProviderTest {

    @Test
    void slf4jLogsThroughTheServersLoggers() {
        assertInstanceOf(StderrLoggerFactory.class, LoggerFactory.getILoggerFactory());
        assertInstanceOf(StderrLogger.class, LoggerFactory.getLogger(StderrServiceProviderTest.class));
        assertEquals("2.0.99", new StderrServiceProvider().getRequestedApiVersion());
    }
}

package dev.shout.server.pipeline;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ConnectionErrorHandlerTest {

    @Test
    void anIoErrorClosesTheConnection() {
        assertClosedAfter(new IOException("Connection reset by peer"));
    }

    @Test
    void anUnexpectedErrorClosesTheConnectionToo() {
        assertClosedAfter(new RuntimeException("a bug in a handler"));
    }

    /** Closes the connection and stops the error: an EmbeddedChannel rethrows errors that reach its tail. */
    private static void assertClosedAfter(Throwable cause) {
        EmbeddedChannel ch = new EmbeddedChannel(ConnectionErrorHandler.INSTANCE);
        assertTrue(ch.isOpen(), "precondition: open");
        ch.pipeline().fireExceptionCaught(cause);
        assertFalse(ch.isOpen());
        assertDoesNotThrow(ch::checkException, "the error went on past the handler");
    }
}

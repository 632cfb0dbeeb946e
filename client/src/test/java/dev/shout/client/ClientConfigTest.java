package dev.shout.client;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class ClientConfigTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void zeroConnectTimeoutIsRejectedWithTheDocumentedMessage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClientConfig("127.0.0.1", 8080, Duration.ZERO, null, false, null, Optional.empty()));
        assertEquals("--connect-timeout: 0s (expected: > 0)", e.getMessage());
    }

    @Test
    void negativeConnectTimeoutIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClientConfig("127.0.0.1", 8080, Duration.ofMillis(-500), null, false, null, Optional.empty()));
        assertEquals("--connect-timeout: -500ms (expected: > 0)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 65536})
    void portOutsideTheTcpRangeIsRejected(int port) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClientConfig("127.0.0.1", port, TIMEOUT, null, false, null, Optional.empty()));
        assertEquals("--port: " + port + " (expected: 1..65535)", e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 65535})
    void portsAtTheEdgesOfTheRangeAreAccepted(int port) {
        assertDoesNotThrow(() -> new ClientConfig("127.0.0.1", port, TIMEOUT, null, false, null, Optional.empty()));
    }

    @Test
    void blankHostIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClientConfig(" ", 8080, TIMEOUT, null, false, null, Optional.empty()));
        assertEquals("--host: ' ' (expected: a host name or address)", e.getMessage());
    }

    @Test
    void messageCannotBeCombinedWithInteractive() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ClientConfig("127.0.0.1", 8080, TIMEOUT, "hello", true, null, Optional.empty()));
        assertEquals("--interactive: cannot be combined with --message", e.getMessage());
    }

    @Test
    void emptyMessageIsAMessage() {
        assertEquals("", new ClientConfig("127.0.0.1", 8080, TIMEOUT, "", false, null, Optional.empty()).message());
    }
}

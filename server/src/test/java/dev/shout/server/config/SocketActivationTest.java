package dev.shout.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(10)
class SocketActivationTest {

    private static final long PID = 4711;

    @Test
    void withoutItsVariablesThereIsNoInheritedSocket() {
        assertEquals(Optional.empty(), SocketActivation.fromEnvironment(Map.of("SHOUT_PORT", "9000"), PID));
    }

    @Test
    void oneSocketPassedToThisProcessIsDescriptorThree() {
        assertEquals(Optional.of(new SocketActivation(3)),
                SocketActivation.fromEnvironment(Map.of("LISTEN_PID", "4711", "LISTEN_FDS", "1"), PID));
    }

    @Test
    void itsNameChangesNothing() {
        assertEquals(Optional.of(new SocketActivation(3)), SocketActivation.fromEnvironment(
                Map.of("LISTEN_PID", "4711", "LISTEN_FDS", "1", "LISTEN_FDNAMES", "shout.socket"), PID));
    }

    @Test
    void aSocketPassedToAnotherProcessIsAMistakeNotIgnored() {
        assertRefused("LISTEN_PID: 4700 (expected: this process, 4711: the socket was passed to another process;"
                        + " ExecStart= must run java itself, not a shell that forks it)",
                Map.of("LISTEN_PID", "4700", "LISTEN_FDS", "1"));
    }

    @Test
    void moreThanOneSocketIsRefused() {
        assertRefused("LISTEN_FDS: 2 (expected: 1: shout serves one listening socket, so its .socket unit has one"
                + " ListenStream=)", Map.of("LISTEN_PID", "4711", "LISTEN_FDS", "2"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-1", "one", "1.0", " 1", "99999999999999999999"})
    void aCountOtherThanOneIsRefused(String count) {
        assertRefused("LISTEN_FDS: " + count + " (expected: 1: shout serves one listening socket, so its .socket unit"
                + " has one ListenStream=)", Map.of("LISTEN_PID", "4711", "LISTEN_FDS", count));
    }

    @Test
    void aPidThatIsNotANumberIsNoPid() {
        assertRefused("LISTEN_PID: self (expected: this process, 4711: the socket was passed to another process;"
                + " ExecStart= must run java itself, not a shell that forks it)",
                Map.of("LISTEN_PID", "self", "LISTEN_FDS", "1"));
    }

    @Test
    void eitherVariableWithoutTheOtherIsRefused() {
        assertRefused("LISTEN_PID: unset (expected: set with LISTEN_FDS=1)", Map.of("LISTEN_FDS", "1"));
        assertRefused("LISTEN_FDS: unset (expected: 1)", Map.of("LISTEN_PID", "4711"));
    }

    @Test
    void aDescriptorIsNeverNegative() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SocketActivation(-1));
        assertEquals("socket activation descriptor: -1 (expected: >= 0)", e.getMessage());
    }

    private static void assertRefused(String message, Map<String, String> environment) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SocketActivation.fromEnvironment(environment, PID));
        assertEquals(message, e.getMessage());
    }
}

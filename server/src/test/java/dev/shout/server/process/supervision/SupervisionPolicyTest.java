package dev.shout.server.process.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shipped timings, and the policies that make no sense refused. */
@Timeout(10)
class SupervisionPolicyTest {

    private static final Duration SECOND = Duration.ofSeconds(1);

    @Test
    void theShippedPolicyGivesDrainingWorkersTheShutdownTimeoutAndAGrace() {
        SupervisionPolicy policy = SupervisionPolicy.of(4, Duration.ofSeconds(5), Duration.ofSeconds(20));
        assertEquals(4, policy.slots());
        assertEquals(Duration.ofSeconds(5), policy.workerTimeout());
        assertEquals(Duration.ofSeconds(20).plus(SupervisionPolicy.DRAIN_GRACE), policy.drainTimeout());
        assertEquals(Duration.ofMillis(100), policy.firstBackoff());
    }

    @Test
    void noSlotsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> policy(0, 3, SECOND, SECOND));
    }

    @Test
    void givingUpBeforeTheFirstBootFailureIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> policy(1, 0, SECOND, SECOND));
    }

    @Test
    void aNegativeBackoffIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> policy(1, 3, Duration.ofMillis(-1), SECOND));
    }

    @Test
    void aMaxBackoffBelowTheFirstIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> policy(1, 3, SECOND, Duration.ofMillis(999)));
    }

    private static SupervisionPolicy policy(int slots, int maxBootFailures, Duration firstBackoff,
            Duration maxBackoff) {
        return new SupervisionPolicy(slots, SECOND, SECOND, SECOND, firstBackoff, maxBackoff, SECOND, maxBootFailures);
    }
}

package dev.shout.client.bench;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.function.Executable;

@Timeout(10)
class BenchConfigTest {

    /** A valid configuration with one value changed, built by the tests below. */
    private static final class Builder {
        Workload workload = Workload.PINGPONG;
        int connections = 4;
        Duration duration = Duration.ofSeconds(1);
        Duration warmup = Duration.ofSeconds(1);
        int size = 64;
        OptionalLong rate = OptionalLong.empty();
        int threads = 2;
        int connectsInFlight = 256;

        BenchConfig build() {
            return new BenchConfig("127.0.0.1", 8080, Duration.ofSeconds(5), workload, connections, duration,
                    warmup, size, rate, ReplyTransform.UPPER, true, false, threads, connectsInFlight,
                    Optional.empty());
        }
    }

    private final Builder config = new Builder();

    @Test
    void zeroConnectionsIsRejectedWithTheDocumentedMessage() {
        config.connections = 0;
        assertRejected("--connections: 0 (expected: >= 1)");
    }

    @Test
    void zeroDurationIsRejected() {
        config.duration = Duration.ZERO;
        assertRejected("--duration: 0s (expected: > 0)");
    }

    @Test
    void zeroWarmupIsAccepted() {
        config.warmup = Duration.ZERO;
        assertDoesNotThrow(config::build);
    }

    @Test
    void sizeMustFitTheLimit() {
        config.size = 0;
        assertRejected("--size: 0 (expected: 1..16777216)");
        config.size = BenchConfig.MAX_SIZE + 1;
        assertRejected("--size: 16777217 (expected: 1..16777216)");
    }

    @Test
    void zeroRateIsRejected() {
        config.rate = OptionalLong.of(0);
        assertRejected("--rate: 0 (expected: 1..1000000000)");
    }

    @Test
    void rateIsOnlyForPingpong() {
        config.rate = OptionalLong.of(1000);
        config.workload = Workload.STREAM;
        assertRejected("--rate: only for --pattern pingpong, not stream");
    }

    @Test
    void threadsAndConnectsInFlightMustBePositive() {
        config.threads = 0;
        assertRejected("--threads: 0 (expected: >= 1)");
        config.threads = 1;
        config.connectsInFlight = 0;
        assertRejected("--connects-in-flight: 0 (expected: >= 1)");
    }

    @Test
    void patternDefaultsToPingpong() {
        assertEquals(Workload.PINGPONG, BenchConfig.workload(null, false));
        assertEquals(Workload.STREAM, BenchConfig.workload(Workload.STREAM, false));
    }

    @Test
    void churnIsAWorkloadOfItsOwn() {
        assertEquals(Workload.CHURN, BenchConfig.workload(null, true));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BenchConfig.workload(Workload.PINGPONG, true));
        assertEquals("--churn: cannot be combined with --pattern", e.getMessage());
    }

    private void assertRejected(String message) {
        Executable build = config::build;
        assertEquals(message, assertThrows(IllegalArgumentException.class, build).getMessage());
    }
}

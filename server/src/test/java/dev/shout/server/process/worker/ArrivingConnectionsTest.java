package dev.shout.server.process.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** {@link ArrivingConnections}: a drain waits for the clients on their way, not longer than its deadline. */
class ArrivingConnectionsTest {

    private final ArrivingConnections arriving = new ArrivingConnections();

    @Test
    void noneOnTheirWayIsNoWait() {
        assertEquals(0, arriving.awaitNone(System.nanoTime()));
    }

    @Test
    void theWaitEndsWhenTheLastArrives() {
        arriving.arriving();
        arriving.arriving();
        arriving.arrived();
        CompletableFuture<Integer> waited = CompletableFuture.supplyAsync(
                () -> arriving.awaitNone(System.nanoTime() + Duration.ofSeconds(30).toNanos()));
        arriving.arrived();
        assertEquals(0, waited.join());
    }

    @Test
    void theDeadlineEndsTheWaitWithTheCountStillOnTheirWay() {
        arriving.arriving();
        assertEquals(1, arriving.awaitNone(System.nanoTime() + Duration.ofMillis(20).toNanos()));
    }
}

package dev.shout.server.process.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@link ArrivingConnections}: a drain waits for the clients on their way, not longer than its deadline. */
class ArrivingConnectionsTest {

    private final ArrivingConnections arriving = new ArrivingConnections();

    @Test
    void noneOnTheirWayIsNoWait() {
        assertEquals(0, arriving.awaitNone(System.nanoTime()));
    }

    @Test
    void theWaitEndsWhenTheLastArrives() throws Exception {
        arriving.arriving();
        arriving.arriving();
        arriving.arrived();
        FutureTask<Integer> waited = new FutureTask<>(
                () -> arriving.awaitNone(System.nanoTime() + Duration.ofMinutes(5).toNanos()));
        Thread waiter = new Thread(waited, "waiter");
        waiter.start();
        // Arrives only once the waiter waits, so that only the wake-up can end its wait in time.
        while (waiter.getState() != Thread.State.TIMED_WAITING) {
            Thread.onSpinWait();
        }
        arriving.arrived();
        assertEquals(0, waited.get(60, TimeUnit.SECONDS));
    }

    @Test
    void theDeadlineEndsTheWaitWithTheCountStillOnTheirWay() {
        arriving.arriving();
        assertEquals(1, arriving.awaitNone(System.nanoTime() + Duration.ofMillis(20).toNanos()));
    }
}

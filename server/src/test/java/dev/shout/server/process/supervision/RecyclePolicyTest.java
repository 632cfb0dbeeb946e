package dev.shout.server.process.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When a healthy worker is due to be replaced: its limits, each stretched by its own jitter. */
class RecyclePolicyTest {

    private final WorkerHandle worker = new WorkerHandle(1, new FakeChildProcess(1000, event -> { }), 0);

    @Test
    void aWorkerIsDueOnceHandedItsLimitStretchedByItsJitterAndNotBefore() {
        RecyclePolicy policy = new RecyclePolicy(100, Duration.ZERO);
        for (int i = 0; i < 99; i++) {
            worker.handedOne();
        }
        assertNull(policy.due(worker, Long.MAX_VALUE));
        for (int i = 0; i < 11; i++) {
            worker.handedOne();
        }
        assertEquals("110 connections handed to it (--worker-max-connections 100)", policy.due(worker, 0));
    }

    @Test
    void aWorkerIsDueOnceItServedItsAgeStretchedByItsJitterAndNotBefore() {
        RecyclePolicy policy = new RecyclePolicy(0, Duration.ofMinutes(10));
        assertNull(policy.due(worker, Duration.ofMinutes(10).toNanos() - 1));
        assertEquals("served 11m (--worker-max-age 10m)", policy.due(worker, Duration.ofMinutes(11).toNanos()));
    }

    @Test
    void noLimitsNeverRecycle() {
        for (int i = 0; i < 1000; i++) {
            worker.handedOne();
        }
        assertNull(RecyclePolicy.NONE.due(worker, Long.MAX_VALUE));
    }
}

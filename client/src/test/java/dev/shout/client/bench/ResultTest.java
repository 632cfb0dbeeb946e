package dev.shout.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ResultTest {

    @Test
    void ratesArePerMeasuredSecond() {
        Result result = ResultFixtures.result(Workload.PINGPONG, ResultFixtures.clean());
        assertEquals(5_000, result.messagesPerSecond(), 1e-9);
        assertEquals(0.32, result.megabytesPerSecond(), 1e-9);
        assertEquals(5_000, result.connectionsPerSecond(), 1e-9, "one latency sample per churn cycle");
    }

    @Test
    void latencyIsSummarisedInMicroseconds() {
        LatencySummary latency = ResultFixtures.result(Workload.PINGPONG, ResultFixtures.clean()).latency().get();
        assertEquals(10_000, latency.samples());
        assertEquals(0.599, latency.p50(), 1e-9);
        assertEquals(1.099, latency.max(), 1e-9);
    }

    @Test
    void cleanRunHasNoProblems() {
        assertEquals(List.of(), ResultFixtures.result(Workload.PINGPONG, ResultFixtures.clean()).problems());
    }

    @Test
    void everyKindOfFailureIsAProblemWithItsFirstInstance() {
        List<String> problems = ResultFixtures.result(Workload.PINGPONG, ResultFixtures.failing()).problems();
        assertEquals(List.of(
                "1 connect errors, the first: connection refused: /127.0.0.1:8080",
                "2 verify failures, the first on connection 4 at byte 130 (expected 'A', got 'a')",
                "1 connections lost (1 reset or failed, 0 closed early by the server), the first: connection 3:"
                        + " connection reset by peer"),
                problems);
    }

    @Test
    void abortReasonComesFirst() {
        Result result = new Result(ResultFixtures.config(Workload.PINGPONG), "epoll", Optional.empty(), ResultFixtures.failing(),
                Optional.of("out of file descriptors"));
        assertEquals("out of file descriptors", result.problems().get(0));
    }

    @Test
    void unansweredPingsAreAProblem() {
        Snapshot clean = ResultFixtures.clean();
        Snapshot idle = new Snapshot(clean.measuredNanos(), 48, 48 * 64, clean.latency(), 50, 0, null, 0, 0,
                null, 0, null);
        assertEquals(List.of("2 of 50 pings unanswered"),
                ResultFixtures.result(Workload.IDLE_THEN_PING, idle).problems());
    }

    @Test
    void aRunWithoutRepliesIsAProblem() {
        Snapshot silent = new Snapshot(1, 0, 0, new Histogram(3), 50, 0, null, 0, 0, null, 0, null);
        Result result = ResultFixtures.result(Workload.PINGPONG, silent);
        assertEquals(List.of("no replies in the measured time"), result.problems());
        assertTrue(result.latency().isEmpty());
    }
}

package dev.shout.server.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.pipeline.TimedOutConnections.Cause;
import dev.shout.server.transform.TransformKind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class TimedOutConnectionsTest {

    private final TimedOutConnections timedOut = new TimedOutConnections(EmbeddedChannels.policy(TransformKind.UPPER));

    @Test
    void totalsNameEveryCauseByItsMetricLabelFromTheStart() {
        assertEquals(List.of("idle", "half_closed", "write"), new ArrayList<>(timedOut.totals().keySet()));
        assertEquals(Map.of("idle", 0L, "half_closed", 0L, "write", 0L), timedOut.totals());
    }

    @Test
    void eachSecondReportsOnlyTheCausesThatClosedConnectionsInIt() {
        timedOut.closed(Cause.IDLE);
        timedOut.closed(Cause.IDLE);
        timedOut.closed(Cause.WRITE);
        assertEquals(Map.of(Cause.IDLE, 2L, Cause.WRITE, 1L), timedOut.takeLastSecond());
        assertEquals(Map.of(), timedOut.takeLastSecond(), "a second with no closes reports none");
        timedOut.closed(Cause.HALF_CLOSED);
        assertEquals(Map.of(Cause.HALF_CLOSED, 1L), timedOut.takeLastSecond());
    }

    @Test
    void whatWasCountedSinceTheLastLinesIsLoggedWhenAsked() {
        timedOut.closed(Cause.IDLE);
        timedOut.closed(Cause.IDLE);
        List<String> logged = linesOfTimedOutConnections(timedOut::reportRest);
        assertEquals(1, logged.size(), logged.toString());
        assertTrue(logged.get(0).contains(" closed 2 connections in the last second: idle for "), logged.get(0));
        assertEquals(List.of(), linesOfTimedOutConnections(timedOut::reportRest), "the same closes logged twice");
    }

    /**
     * The lines {@code action} has {@link TimedOutConnections} log: the server's logger writes to
     * whatever {@code System.err} is at the time; another thread's lines meanwhile are left out.
     */
    private static List<String> linesOfTimedOutConnections(Runnable action) {
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            action.run();
        } finally {
            System.setErr(err);
        }
        return captured.toString(StandardCharsets.UTF_8).lines()
                .filter(line -> line.contains(" INFO TimedOutConnections - "))
                .toList();
    }

    @Test
    void totalsKeepCountingAcrossSeconds() {
        timedOut.closed(Cause.IDLE);
        timedOut.takeLastSecond();
        timedOut.closed(Cause.IDLE);
        timedOut.closed(Cause.HALF_CLOSED);
        assertEquals(Map.of("idle", 2L, "half_closed", 1L, "write", 0L), timedOut.totals());
    }

    @Test
    void closesFromManyEventLoopsAreAllCounted() throws InterruptedException {
        List<Thread> loops = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Thread loop = new Thread(() -> {
                for (int n = 0; n < 10_000; n++) {
                    timedOut.closed(Cause.WRITE);
                }
            });
            loop.start();
            loops.add(loop);
        }
        for (Thread loop : loops) {
            loop.join();
        }
        assertEquals(Map.of(Cause.WRITE, 40_000L), timedOut.takeLastSecond());
        assertEquals(40_000L, timedOut.totals().get("write"));
    }
}

package dev.shout.server.process.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class LoopStallTest {

    private static final Duration LIMIT = Duration.ofMillis(2500);

    private final FakeClock clock = new FakeClock(-7_000);
    private final LoopStall stall = new LoopStall(clock, LIMIT);

    @Test
    void turnsAtTheTimersPaceAreNoStall() {
        for (int turn = 0; turn < 100; turn++) {
            clock.advance(Duration.ofMillis(100));
            assertEquals(Optional.empty(), stall.turned());
        }
    }

    @Test
    void aGapUpToTheLimitIsNoStall() {
        clock.advance(LIMIT);
        assertEquals(Optional.empty(), stall.turned());
    }

    @Test
    void aLongerGapIsAStallOfItsLengthAndCountsFromTheTurnBefore() {
        clock.advance(Duration.ofMillis(100));
        stall.turned();
        clock.advance(Duration.ofSeconds(6));
        assertEquals(Optional.of(Duration.ofSeconds(6)), stall.turned());
        clock.advance(Duration.ofMillis(100));
        assertEquals(Optional.empty(), stall.turned(), "the stall is told once");
    }
}

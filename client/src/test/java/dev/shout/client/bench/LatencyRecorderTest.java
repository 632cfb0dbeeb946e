package dev.shout.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LatencyRecorderTest {

    private final LatencyRecorder recorder = new LatencyRecorder();

    @Test
    void warmUpLatenciesAreLeftOutOfTheTotal() {
        recorder.record(1_000_000);
        recorder.startMeasuring();
        recorder.record(2_000);
        recorder.record(3_000);
        assertEquals(2, recorder.total().getTotalCount());
        assertEquals(3_000, recorder.total().getMaxValue(), 3_000 / 1000.0);
    }

    @Test
    void intervalsReadForProgressStillCountInTheTotal() {
        recorder.startMeasuring();
        recorder.record(2_000);
        assertEquals(1, recorder.interval().getTotalCount());
        recorder.record(4_000);
        assertEquals(1, recorder.interval().getTotalCount());
        assertEquals(2, recorder.total().getTotalCount());
    }

    @Test
    void negativeLatenciesCountAsZero() {
        recorder.startMeasuring();
        recorder.record(-5);
        assertEquals(0, recorder.total().getMaxValue());
    }
}

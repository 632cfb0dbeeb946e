package dev.shout.server.metrics;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ShoutMetricsTest {

    @Test
    void connectionsClosedByATimeoutAreCountedByReason() throws IOException {
        String scrape = scrape(new FixedSource(Map.of("idle", 3L, "half_closed", 0L, "write", 1L)));
        assertTrue(scrape.contains("shout_connections_timed_out_total{reason=\"idle\"} 3.0\n"), scrape);
        assertTrue(scrape.contains("shout_connections_timed_out_total{reason=\"half_closed\"} 0.0\n"), scrape);
        assertTrue(scrape.contains("shout_connections_timed_out_total{reason=\"write\"} 1.0\n"), scrape);
        assertTrue(scrape.contains("shout_connections_refused_total{reason=\"per_ip_limit\"} 2.0\n"), scrape);
    }

    @Test
    void aSourceThatCannotSeeTimeoutsHasNoSampleOfThem() throws IOException {
        String scrape = scrape(new FixedSource(Map.of()));
        assertFalse(scrape.contains("shout_connections_timed_out_total{"), scrape);
    }

    private static String scrape(MetricsSource source) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, new ShoutMetrics(source, false).registry().scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    /** Thread mode's figures, fixed: nothing open, two refused, {@code timedOut} as given. */
    private record FixedSource(Map<String, Long> timedOut) implements MetricsSource {

        @Override
        public List<WorkerFigures> workers() {
            return List.of(new WorkerFigures(null, true, 0, 0, 0, 0, 0, 0, Map.of()));
        }

        @Override
        public HandOffs handOffs() {
            return null;
        }

        @Override
        public long waiting() {
            return 0;
        }

        @Override
        public Map<String, Long> refused() {
            return Map.of("per_ip_limit", 2L);
        }

        @Override
        public boolean healthy() {
            return true;
        }
    }
}

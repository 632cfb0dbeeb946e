package dev.shout.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.metrics.MetricsSource.WorkerBuild;
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
        String scrape = scrape(new FixedSource(Map.of("idle", 3L, "half_closed", 0L, "write", 1L), List.of()));
        assertTrue(scrape.contains("shout_connections_timed_out_total{reason=\"idle\"} 3.0\n"), scrape);
        assertTrue(scrape.contains("shout_connections_timed_out_total{reason=\"half_closed\"} 0.0\n"), scrape);
        assertTrue(scrape.contains("shout_connections_timed_out_total{reason=\"write\"} 1.0\n"), scrape);
        assertTrue(scrape.contains("shout_connections_refused_total{reason=\"per_ip_limit\"} 2.0\n"), scrape);
    }

    @Test
    void aSourceThatCannotSeeTimeoutsHasNoSampleOfThem() throws IOException {
        String scrape = scrape(new FixedSource(Map.of(), List.of()));
        assertFalse(scrape.contains("shout_connections_timed_out_total{"), scrape);
    }

    @Test
    void eachWorkerSlotHasAnInfoSampleForEachBuildItRuns() throws IOException {
        String scrape = scrape(new FixedSource(Map.of(), List.of(new WorkerBuild("1", "1.0.0"),
                new WorkerBuild("2", "1.0.0"), new WorkerBuild("2", "1.1.0"), new WorkerBuild("2", "1.1.0"))), true);
        assertTrue(scrape.contains("shout_build_info{version=\"1.0.0\",worker=\"1\"} 1\n"), scrape);
        assertTrue(scrape.contains("shout_build_info{version=\"1.0.0\",worker=\"2\"} 1\n"), scrape);
        assertTrue(scrape.contains("shout_build_info{version=\"1.1.0\",worker=\"2\"} 1\n"), scrape);
        assertEquals(3, scrape.lines().filter(line -> line.startsWith("shout_build_info{")).count(), scrape);
    }

    @Test
    void upgradesAreCountedByResultInProcessModeOnly() throws IOException {
        FixedSource source = new FixedSource(Map.of(), List.of(), Map.of("passed", 2L, "failed", 1L, "refused", 0L));
        String scrape = scrape(source, true);
        assertTrue(scrape.contains("shout_upgrades_total{result=\"passed\"} 2.0\n"), scrape);
        assertTrue(scrape.contains("shout_upgrades_total{result=\"failed\"} 1.0\n"), scrape);
        assertTrue(scrape.contains("shout_upgrades_total{result=\"refused\"} 0.0\n"), scrape);
        assertFalse(scrape(source).contains("shout_upgrades"), "thread mode has no upgrades");
    }

    private static String scrape(MetricsSource source) throws IOException {
        return scrape(source, false);
    }

    private static String scrape(MetricsSource source, boolean perWorker) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrometheusTextFormatWriter.create().write(out, new ShoutMetrics(source, perWorker).registry().scrape());
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Figures, fixed: nothing open or handed off, two refused, {@code timedOut}, {@code builds} and
     * {@code upgrades} as given.
     */
    private record FixedSource(Map<String, Long> timedOut, List<WorkerBuild> builds, Map<String, Long> upgrades)
            implements MetricsSource {

        FixedSource(Map<String, Long> timedOut, List<WorkerBuild> builds) {
            this(timedOut, builds, Map.of());
        }

        @Override
        public List<WorkerFigures> workers() {
            return List.of(new WorkerFigures("1", true, 0, 0, 0, 0, 0, 0, Map.of()));
        }

        @Override
        public HandOffs handOffs() {
            return new HandOffs(0, 0);
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

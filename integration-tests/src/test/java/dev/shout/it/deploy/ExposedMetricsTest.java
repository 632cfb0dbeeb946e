package dev.shout.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ExposedMetricsTest {

    @Test
    void theReadmesTableAndSampleScrapeAreRead() {
        Set<String> names = ExposedMetrics.names();

        // The sample scrape shows no shout_worker_restarts_total (no restart, no sample): the table does.
        assertTrue(names.containsAll(Set.of("shout_connections_open", "shout_handoffs_total",
                "shout_worker_restarts_total", "shout_connections_timed_out_total")), names::toString);
    }

    @Test
    void aMisspeltNameIsUnknown() {
        assertEquals(Set.of("shout_conections_opened_total"), ExposedMetrics.unknownIn(
                "sum(rate(shout_conections_opened_total[5m])) / sum(shout_connections_open)"));
    }
}

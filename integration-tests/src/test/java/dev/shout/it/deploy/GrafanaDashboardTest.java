package dev.shout.it.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** deploy/grafana/shout.json: a dashboard Grafana can import, querying only metrics the server has. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class GrafanaDashboardTest {

    private static final String FILE = "deploy/grafana/shout.json";

    private static JsonNode dashboard() {
        return JsonMapper.builder().build().readTree(Repository.read(FILE));
    }

    /** Every panel, those inside collapsed rows too. */
    private static List<JsonNode> panels(JsonNode parent) {
        List<JsonNode> panels = new ArrayList<>();
        for (JsonNode panel : parent.path("panels")) {
            panels.add(panel);
            panels.addAll(panels(panel));
        }
        return panels;
    }

    private static List<String> expressions() {
        return panels(dashboard()).stream().flatMap(p -> p.path("targets").valueStream())
                .map(t -> t.path("expr").asString("")).toList();
    }

    @Test
    void everyMetricItNamesIsOneTheServerExposes() {
        assertEquals(Set.of(), ExposedMetrics.unknownIn(Repository.read(FILE)));
    }

    @Test
    void itChartsConnectionsTrafficWorkersRefusalsAndTimeouts() {
        Set<String> charted = ExposedMetrics.namedIn(String.join("\n", expressions()));

        assertTrue(charted.containsAll(Set.of("shout_connections_open", "shout_connections_opened_total",
                "shout_received_bytes_total", "shout_sent_bytes_total", "shout_clients_waiting", "shout_worker_up",
                "shout_worker_restarts_total", "shout_connections_lost_total", "shout_connections_refused_total",
                "shout_connections_timed_out_total")), charted::toString);
    }

    @Test
    void everyPanelQueriesThePrometheusChosenInItsVariable() {
        JsonNode dashboard = dashboard();
        assertTrue(dashboard.path("schemaVersion").isInt(), "schemaVersion");
        List<JsonNode> variables = dashboard.path("templating").path("list").valueStream()
                .filter(v -> v.path("type").asString("").equals("datasource")).toList();
        assertEquals(1, variables.size(), "datasource variables");
        assertEquals("prometheus", variables.get(0).path("query").asString(""));
        String chosen = "${" + variables.get(0).path("name").asString() + "}";

        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : panels(dashboard)) {
            String title = panel.path("title").asString("");
            assertTrue(ids.add(panel.path("id").asInt()), "panel id used twice: " + title);
            if (panel.has("targets")) {
                assertEquals(chosen, panel.path("datasource").path("uid").asString(""), title);
                for (JsonNode target : panel.path("targets")) {
                    assertEquals(chosen, target.path("datasource").path("uid").asString(chosen), title);
                    assertFalse(target.path("expr").asString("").isBlank(), title + ": a target without expr");
                }
            }
        }
    }
}

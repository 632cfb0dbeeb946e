package dev.shout.it.fleet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shout.it.Reference;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A real Prometheus (Debian's {@code prometheus}) scraping a fresh fleet every second: once it
 * has scraped every host after the last of the connections the test opened through HAProxy, the
 * sum of {@code shout_connections_opened_total} over the hosts is exactly that many, with no
 * counter reset meanwhile; and {@code promtool check metrics} accepts each host's /metrics.
 */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class FleetPrometheusTest {

    private static final String OPENED = "sum(shout_connections_opened_total{job=\"" + Prometheus.JOB + "\"})";
    private static final String UP = "sum(up{job=\"" + Prometheus.JOB + "\"})";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @RegisterExtension
    static final Fleet fleet = new Fleet("prometheus", List.of(Tools.FLEET, Tools.PROMETHEUS),
            Map.of(Prometheus.RELAY, Prometheus.LISTEN));

    private static Prometheus prometheus;

    @BeforeAll
    static void startPrometheus() throws IOException {
        prometheus = Prometheus.start(fleet.balancerNamespace(), fleet.metricsTargets(),
                Files.createDirectories(fleet.temp().resolve("prometheus")), fleet.relayPort(Prometheus.RELAY),
                fleet.logs().resolve("prometheus.log"));
    }

    @AfterAll
    static void stopPrometheus() {
        if (prometheus != null) {
            prometheus.close();
        }
    }

    @Test
    void theConnectionsOpenedSummedOverTheHostsAreThoseTheTestOpened() throws IOException {
        int hosts = fleet.servers().size();
        prometheus.await(UP, hosts);
        prometheus.await(OPENED, 0);

        int opened = 30;
        Random random = new Random(7);
        for (int i = 0; i < opened; i++) {
            byte[] payload = Reference.randomText(random, 1 + random.nextInt(4096));
            try (Socket socket = Clients.connect(Clients.address(7, i), fleet.port())) {
                assertArrayEquals(Reference.upper(payload), Clients.exchange(socket, payload));
            }
        }
        prometheus.await(OPENED, opened);

        // A scrape of every host that began after the count was reached: the count is final.
        double reached = System.currentTimeMillis() / 1000.0;
        prometheus.await("min(timestamp(up{job=\"" + Prometheus.JOB + "\"})) > bool " + reached, 1);
        assertEquals(opened, prometheus.query(OPENED).orElseThrow(), OPENED);
        assertEquals(hosts, prometheus.query(UP).orElseThrow(), UP);
        assertEquals(0, prometheus.query("sum(resets(shout_connections_opened_total{job=\"" + Prometheus.JOB
                + "\"}[5m]))").orElseThrow(), "counter resets: a host restarted during the count");
    }

    @Test
    void promtoolAcceptsEveryHostsMetrics() throws Exception {
        for (String server : fleet.servers()) {
            HttpResponse<byte[]> metrics = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + fleet.relayPort(Fleet.metricsRelay(server)) + "/metrics")).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, metrics.statusCode(), server + "'s /metrics");
            Command check = Command.run(metrics.body(), Tools.path("promtool"), "check", "metrics");
            assertEquals(0, check.exitCode(), () -> "promtool check metrics on " + server + "'s /metrics: "
                    + check.output());
        }
    }
}

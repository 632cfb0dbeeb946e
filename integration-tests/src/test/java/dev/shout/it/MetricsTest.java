package dev.shout.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** /metrics and /health scraped while the server does what the test tells it, in both modes. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern ENDPOINT = Pattern.compile("metrics on (http://\\S+)/metrics");
    private static final Pattern SAMPLE = Pattern.compile("^(\\w+)(\\{[^}]*})? (\\S+)$");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** The metrics endpoint of a server started with {@code --metrics-port 0}. */
    private record Endpoint(String base) {
        static Endpoint of(ServerProcess server) {
            Matcher matcher = ENDPOINT.matcher(server.awaitLog("metrics on http"));
            assertTrue(matcher.find());
            return new Endpoint(matcher.group(1));
        }

        HttpResponse<String> get(String path) {
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                        .build(), HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                throw new AssertionError("GET " + base + path + " failed", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }

        /** Every sample of the scrape, keyed {@code name{labels}}. */
        Map<String, Double> scrape() {
            HttpResponse<String> response = get("/metrics");
            assertEquals(200, response.statusCode());
            Map<String, Double> samples = new HashMap<>();
            response.body().lines().map(SAMPLE::matcher).filter(Matcher::matches).forEach(m ->
                    samples.put(m.group(1) + (m.group(2) == null ? "" : m.group(2)), Double.parseDouble(m.group(3))));
            return samples;
        }

        /** The sum of a metric over all its labels. */
        double sum(String name) {
            return scrape().entrySet().stream().filter(e -> e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
                    .mapToDouble(Map.Entry::getValue).sum();
        }

        void awaitSum(String name, double expected) {
            Await.until(name + " to reach " + expected, WAIT, () -> sum(name) == expected);
        }
    }

    /** Ten clients each send 1000 bytes and read the reply. */
    private static void tenExchanges(ServerProcess server) throws IOException {
        byte[] payload = "a".repeat(1000).getBytes(UTF_8);
        for (int i = 0; i < 10; i++) {
            assertArrayEquals(Reference.upper(payload), TcpClient.exchange(server.port(), payload, new Random(i)));
        }
    }

    @Test
    void processModeFiguresMatchWhatTheClientsDidAndSurviveAWorkerDeath() throws IOException {
        try (ServerProcess server = ServerProcess.start("--mode", "process", "--workers", "2", "--metrics-port", "0")) {
            Endpoint metrics = Endpoint.of(server);
            tenExchanges(server);
            metrics.awaitSum("shout_connections_opened_total", 10);
            metrics.awaitSum("shout_received_bytes_total", 10_000);
            metrics.awaitSum("shout_sent_bytes_total", 10_000);
            Map<String, Double> samples = metrics.scrape();
            assertEquals(10, samples.get("shout_handoffs_total{result=\"succeeded\"}"));
            assertEquals(0, samples.get("shout_handoffs_total{result=\"failed\"}"));
            assertEquals(1, samples.get("shout_worker_up{worker=\"1\"}"));
            assertEquals(1, samples.get("shout_worker_up{worker=\"2\"}"));

            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    Socket socket = TcpClient.connect(server.port());
                    socket.getOutputStream().write("x".getBytes(UTF_8));
                    assertEquals('X', socket.getInputStream().read());
                    held.add(socket);
                }
                metrics.awaitSum("shout_connections_open", 4);
                long victim = server.children().get(0).pid();
                String slot = server.awaitLog("started worker-\\d \\(pid " + victim + "\\)")
                        .replaceAll(".*started worker-(\\d) .*", "$1");
                double victimHeld = metrics.scrape().get("shout_connections_open{worker=\"" + slot + "\"}");
                Signals.send("KILL", victim);
                Await.until("worker-" + slot + "'s restart counted", WAIT, () -> Double.valueOf(1).equals(
                        metrics.scrape().get("shout_worker_restarts_total{cause=\"crash\",worker=\"" + slot + "\"}")));
                Map<String, Double> after = metrics.scrape();
                assertEquals(victimHeld, after.get("shout_connections_lost_total{worker=\"" + slot + "\"}"));
                assertEquals(14, metrics.sum("shout_connections_opened_total"), "totals kept across the restart");
            } finally {
                for (Socket socket : held) {
                    socket.close();
                }
            }
        }
    }

    @Test
    void healthTurnsUnavailableWhenEveryWorkerIsKilledAndBackWhenTheyAreReplaced() {
        try (ServerProcess server = ServerProcess.start("--mode", "process", "--workers", "2", "--metrics-port", "0")) {
            Endpoint metrics = Endpoint.of(server);
            assertEquals(200, metrics.get("/health").statusCode());
            server.children().forEach(worker -> Signals.send("KILL", worker.pid()));
            Await.until("/health to answer 503", WAIT, () -> metrics.get("/health").statusCode() == 503);
            Await.until("/health to answer 200 again", WAIT, () -> metrics.get("/health").statusCode() == 200);
        }
    }

    @Test
    void threadModeHasTheSameFiguresWithoutWorkerLabelsOrHandOffs() throws IOException {
        try (ServerProcess server = ServerProcess.start("--mode", "thread", "--metrics-port", "0")) {
            Endpoint metrics = Endpoint.of(server);
            tenExchanges(server);
            Map<String, Double> samples = metrics.scrape();
            assertEquals(10, samples.get("shout_connections_opened_total"));
            assertEquals(10_000, samples.get("shout_received_bytes_total"));
            assertEquals(10_000, samples.get("shout_sent_bytes_total"));
            assertEquals(0, samples.get("shout_connections_open"));
            assertEquals(0, samples.get("shout_connections_refused_total{reason=\"per_ip_limit\"}"));
            assertFalse(samples.keySet().stream().anyMatch(key -> key.startsWith("shout_handoffs")));
            assertEquals(200, metrics.get("/health").statusCode());
        }
    }

    @Test
    void refusalsOverThePerAddressLimitAreCounted() throws IOException {
        try (ServerProcess server = ServerProcess.start("--mode", "thread", "--metrics-port", "0",
                "--max-connections-per-ip", "1");
                Socket first = TcpClient.connect(server.port());
                Socket second = TcpClient.connect(server.port())) {
            Endpoint metrics = Endpoint.of(server);
            assertEquals(-1, second.getInputStream().read(), "the second connection is closed at once");
            first.getOutputStream().write("x".getBytes(UTF_8));
            assertEquals('X', first.getInputStream().read());
            metrics.awaitSum("shout_connections_refused_total", 1);
        }
    }

    @Test
    void statsIntervalLogsTheHeadlineFigures() throws IOException {
        try (ServerProcess server = ServerProcess.start("--mode", "thread", "--stats-interval", "250ms")) {
            tenExchanges(server);
            server.awaitLog("stats: 0 connections open, 10 opened, 10000 bytes received, 10000 sent");
        }
    }
}

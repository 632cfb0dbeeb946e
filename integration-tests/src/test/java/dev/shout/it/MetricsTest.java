package dev.shout.it;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** /metrics and /health scraped while the server does what the test tells it, in both modes. */
@Timeout(value = 180, unit = TimeUnit.SECONDS)
class MetricsTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

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
            MetricsEndpoint metrics = MetricsEndpoint.of(server::awaitLog);
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
            MetricsEndpoint metrics = MetricsEndpoint.of(server::awaitLog);
            assertEquals(200, metrics.get("/health").statusCode());
            server.children().forEach(worker -> Signals.send("KILL", worker.pid()));
            Await.until("/health to answer 503", WAIT, () -> metrics.get("/health").statusCode() == 503);
            Await.until("/health to answer 200 again", WAIT, () -> metrics.get("/health").statusCode() == 200);
        }
    }

    @Test
    void threadModeHasTheSameFiguresWithoutWorkerLabelsOrHandOffs() throws IOException {
        try (ServerProcess server = ServerProcess.start("--mode", "thread", "--metrics-port", "0")) {
            MetricsEndpoint metrics = MetricsEndpoint.of(server::awaitLog);
            tenExchanges(server);
            Map<String, Double> samples = metrics.scrape();
            assertEquals(10, samples.get("shout_connections_opened_total"));
            assertEquals(10_000, samples.get("shout_received_bytes_total"));
            assertEquals(10_000, samples.get("shout_sent_bytes_total"));
            assertEquals(0, samples.get("shout_connections_open"));
            assertEquals(0, samples.get("shout_connections_refused_total{reason=\"per_ip_limit\"}"));
            assertEquals(0, samples.get("shout_connections_timed_out_total{reason=\"idle\"}"));
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
            MetricsEndpoint metrics = MetricsEndpoint.of(server::awaitLog);
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

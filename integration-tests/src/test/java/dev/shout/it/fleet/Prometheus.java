package dev.shout.it.fleet;

import dev.shout.it.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.OptionalDouble;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A real Prometheus (Debian's) watching the fleet: started by the test in the balancer's
 * namespace, whence it scrapes each host's /metrics every second, with its own data directory.
 * The test asks it through its HTTP API, {@code /api/v1/query}, which a relay of the fleet's
 * HAProxy brings to the test's loopback.
 */
final class Prometheus implements AutoCloseable {

    /** Where it listens, in the balancer's namespace. */
    static final String LISTEN = "127.0.0.1:9090";
    /** The fleet's relay to it (see {@link Fleet#relayPort}). */
    static final String RELAY = "prometheus";
    static final String JOB = "shout";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final Daemon daemon;
    private final String api;

    private Prometheus(Daemon daemon, String api) {
        this.daemon = daemon;
        this.api = api;
    }

    /**
     * Starts Prometheus in {@code namespace} scraping {@code targets} ({@code address:port}), its
     * files under {@code directory}, and waits until its API, on loopback port {@code relayPort},
     * says it is ready.
     */
    static Prometheus start(String namespace, List<String> targets, Path directory, int relayPort, Path log) {
        Path config = writeConfig(directory.resolve("prometheus.yml"), targets);
        Prometheus prometheus = new Prometheus(Daemon.start("Prometheus", Command.inNamespace(namespace,
                List.of(Tools.path("prometheus"), "--config.file=" + config,
                        "--storage.tsdb.path=" + directory.resolve("data"), "--web.listen-address=" + LISTEN)), log),
                "http://127.0.0.1:" + relayPort);
        try {
            Await.until("Prometheus to be ready (log " + log + ")", WAIT, prometheus::ready);
            return prometheus;
        } catch (RuntimeException | AssertionError e) {
            prometheus.close();
            throw e;
        }
    }

    /** One job, every target scraped each second. */
    private static Path writeConfig(Path file, List<String> targets) {
        try {
            return Files.writeString(file, String.join("\n",
                    "global:",
                    "  scrape_interval: 1s",
                    "  scrape_timeout: 1s",
                    "scrape_configs:",
                    "  - job_name: " + JOB,
                    "    static_configs:",
                    "      - targets: [" + targets.stream().map(t -> "'" + t + "'").collect(Collectors.joining(", ")) + "]",
                    ""));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private boolean ready() {
        daemon.assertRunning();
        try {
            return get("/-/ready").statusCode() == 200;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** The value of an instant query whose result is one number; empty when it has none (no series yet). */
    OptionalDouble query(String promql) {
        JsonNode data;
        try {
            HttpResponse<String> response = get("/api/v1/query?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8));
            if (response.statusCode() != 200) {
                throw new AssertionError("query " + promql + ": " + response.statusCode() + " " + response.body());
            }
            data = JSON.readTree(response.body()).path("data");
        } catch (IOException e) {
            throw new AssertionError("query " + promql, e);
        }
        JsonNode result = data.path("result");
        JsonNode value = switch (data.path("resultType").asString()) {
            case "scalar" -> result;
            case "vector" -> switch (result.size()) {
                case 0 -> null;
                case 1 -> result.get(0).path("value");
                default -> throw new AssertionError("query " + promql + " gave " + result.size() + " series: " + result);
            };
            default -> throw new AssertionError("query " + promql + ": " + data);
        };
        return value == null ? OptionalDouble.empty() : OptionalDouble.of(Double.parseDouble(value.get(1).asString()));
    }

    /** Waits until {@code promql} gives {@code expected}. */
    void await(String promql, double expected) {
        Await.until(promql + " to be " + expected, WAIT, () -> query(promql).orElse(Double.NaN) == expected);
    }

    private HttpResponse<String> get(String path) throws IOException {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    @Override
    public void close() {
        daemon.close();
    }
}

package dev.shout.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The metrics endpoint of a server started with {@code --metrics-port 0}, scraped as Prometheus would. */
final class MetricsEndpoint {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Pattern ENDPOINT = Pattern.compile("metrics on (http://\\S+)/metrics");
    private static final Pattern SAMPLE = Pattern.compile("^(\\w+)(\\{[^}]*})? (\\S+)$");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final String base;

    private MetricsEndpoint(String base) {
        this.base = base;
    }

    /** @param awaitLog the server's wait for a log line matching a regex, which returns the line */
    static MetricsEndpoint of(UnaryOperator<String> awaitLog) {
        Matcher matcher = ENDPOINT.matcher(awaitLog.apply(ENDPOINT.pattern()));
        assertTrue(matcher.find());
        return new MetricsEndpoint(matcher.group(1));
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

    /** Waits for one sample, {@code name{labels}}, to be {@code expected}. */
    void await(String sample, double expected) {
        Await.until(sample + " to reach " + expected, WAIT, () -> Double.valueOf(expected).equals(scrape().get(sample)));
    }
}

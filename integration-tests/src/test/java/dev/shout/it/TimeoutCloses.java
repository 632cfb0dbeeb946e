package dev.shout.it;

import java.util.Map;

/**
 * What a server started with {@code --metrics-port 0} says about the connections its timeouts
 * close: a summary line a second per timeout, and {@code shout_connections_timed_out_total} by
 * reason. Taken before a close, it waits for what the server says about that close.
 */
final class TimeoutCloses {

    private final LeakCheckedServer server;
    private final MetricsEndpoint metrics;
    private final int logLinesBefore;
    private final Map<String, Double> countsBefore;

    private TimeoutCloses(LeakCheckedServer server, MetricsEndpoint metrics) {
        this.server = server;
        this.metrics = metrics;
        this.logLinesBefore = server.log().size();
        this.countsBefore = metrics.scrape();
    }

    static TimeoutCloses before(LeakCheckedServer server) {
        return new TimeoutCloses(server, MetricsEndpoint.of(server::awaitLog));
    }

    /** Waits for a summary line logged since, {@code summary} being what follows "closed N connections in the last second: ". */
    void awaitSummary(String summary) {
        server.awaitLogAfter(logLinesBefore, "closed \\d+ connections in the last second: " + summary);
    }

    /** Waits for the counter of {@code reason} to have counted one more close since. */
    void awaitCounted(String reason) {
        String sample = "shout_connections_timed_out_total{reason=\"" + reason + "\"}";
        metrics.await(sample, countsBefore.getOrDefault(sample, 0.0) + 1);
    }
}

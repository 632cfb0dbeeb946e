package dev.shout.server.config;

import java.time.Duration;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * Where the server tells operators how it is doing.
 *
 * @param host the metrics endpoint's address
 * @param port the metrics endpoint's port; empty: no endpoint; 0: a free port, logged at start
 * @param statsInterval how often a headline line is logged; zero: never
 */
public record MetricsConfig(String host, OptionalInt port, Duration statsInterval) {

    public MetricsConfig {
        Objects.requireNonNull(host, "--metrics-host");
        Objects.requireNonNull(port, "--metrics-port");
        port.ifPresent(p -> Checks.check(p >= 0 && p <= 65535, "--metrics-port", p, "0..65535"));
        Checks.positiveOrOff(statsInterval, "--stats-interval");
    }
}

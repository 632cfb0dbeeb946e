package dev.shout.client.bench;

import dev.shout.client.DurationConverter;
import dev.shout.client.tls.TlsConfig;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The bench's command line, checked once here so that nothing downstream has to wonder whether a
 * value makes sense. Error messages name the option so that they can be shown as they are.
 *
 * @param warmup           how long the load runs before the figures start counting; unused by
 *                         idle-then-ping, whose one round has nothing to warm up
 * @param rate             total messages a second over all connections (open loop), or empty for
 *                         as fast as the replies come back (closed loop)
 * @param verify           whether every reply byte is checked against the reference transform
 * @param connectsInFlight how many connects may be under way at once
 * @param tls              how every connection speaks TLS, or empty for plaintext
 */
record BenchConfig(
        String host,
        int port,
        Duration connectTimeout,
        Workload workload,
        int connections,
        Duration duration,
        Duration warmup,
        int size,
        OptionalLong rate,
        ReplyTransform transform,
        boolean verify,
        boolean json,
        int threads,
        int connectsInFlight,
        Optional<TlsConfig> tls) {

    /** Large enough for any realistic message; a payload this long is allocated once per run. */
    static final int MAX_SIZE = 16 * 1024 * 1024;
    /** One message a nanosecond is already far beyond any server. */
    static final long MAX_RATE = 1_000_000_000L;

    BenchConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(connectTimeout, "connectTimeout");
        Objects.requireNonNull(workload, "workload");
        Objects.requireNonNull(duration, "duration");
        Objects.requireNonNull(warmup, "warmup");
        Objects.requireNonNull(rate, "rate");
        Objects.requireNonNull(transform, "transform");
        Objects.requireNonNull(tls, "tls");
        if (host.isBlank()) {
            throw new IllegalArgumentException("--host: '" + host + "' (expected: a host name or address)");
        }
        check(port >= 1 && port <= 65535, "--port", port, "1..65535");
        checkPositive(connectTimeout, "--connect-timeout");
        check(connections >= 1, "--connections", connections, ">= 1");
        checkPositive(duration, "--duration");
        check(!warmup.isNegative(), "--warmup", DurationConverter.format(warmup), ">= 0s");
        check(size >= 1 && size <= MAX_SIZE, "--size", size, "1.." + MAX_SIZE);
        check(threads >= 1, "--threads", threads, ">= 1");
        check(connectsInFlight >= 1, "--connects-in-flight", connectsInFlight, ">= 1");
        if (rate.isPresent()) {
            check(rate.getAsLong() >= 1 && rate.getAsLong() <= MAX_RATE, "--rate", rate.getAsLong(), "1.." + MAX_RATE);
            if (workload != Workload.PINGPONG) {
                throw new IllegalArgumentException("--rate: only for --pattern pingpong, not " + workload);
            }
        }
    }

    /** The workload that {@code --pattern} (or {@code null} when not given) and {@code --churn} ask for. */
    static Workload workload(Workload pattern, boolean churn) {
        if (churn && pattern != null) {
            throw new IllegalArgumentException("--churn: cannot be combined with --pattern");
        }
        if (churn) {
            return Workload.CHURN;
        }
        return pattern == null ? Workload.PINGPONG : pattern;
    }

    private static void check(boolean valid, String flag, Object value, String expected) {
        if (!valid) {
            throw new IllegalArgumentException(flag + ": " + value + " (expected: " + expected + ")");
        }
    }

    private static void checkPositive(Duration duration, String flag) {
        check(!duration.isNegative() && !duration.isZero(), flag, DurationConverter.format(duration), "> 0");
    }
}

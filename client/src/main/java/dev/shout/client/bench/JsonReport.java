package dev.shout.client.bench;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The report for scripts: one flat JSON object on one line, every key always present ({@code null}
 * where a figure does not apply), so that a script can read any run the same way. Flat and small
 * enough to write by hand rather than bring in a JSON library.
 */
final class JsonReport {

    private static final int DECIMALS = 3;

    private JsonReport() {
    }

    static String format(Result result) {
        Map<String, Object> fields = fields(result);
        StringBuilder json = new StringBuilder("{");
        fields.forEach((key, value) -> {
            if (json.length() > 1) {
                json.append(',');
            }
            json.append(string(key)).append(':').append(value(value));
        });
        return json.append('}').append(System.lineSeparator()).toString();
    }

    private static Map<String, Object> fields(Result result) {
        BenchConfig config = result.config();
        Snapshot snapshot = result.snapshot();
        Optional<LatencySummary> latency = result.latency();
        boolean churn = config.workload() == Workload.CHURN;
        Optional<VerifyFailure> firstFailure = Optional.ofNullable(snapshot.firstVerifyFailure());
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("pattern", config.workload().toString());
        fields.put("connections", config.connections());
        fields.put("size", config.size());
        fields.put("rate", config.rate().isPresent() ? config.rate().getAsLong() : null);
        fields.put("transform", config.transform().toString());
        fields.put("verify", config.verify());
        fields.put("transport", result.transport());
        fields.put("tls", result.tlsProvider().orElse(null));
        fields.put("threads", config.threads());
        fields.put("warmup_s", config.warmup().toMillis() / 1000.0);
        fields.put("duration_s", config.duration().toMillis() / 1000.0);
        fields.put("measured_s", result.measuredSeconds());
        fields.put("connections_established", snapshot.established());
        fields.put("connect_errors", snapshot.connectErrors());
        fields.put("resets", snapshot.resets());
        fields.put("closed_early", snapshot.closedEarly());
        fields.put("messages", snapshot.replies());
        fields.put("messages_per_s", result.messagesPerSecond());
        fields.put("mb_per_s", result.megabytesPerSecond());
        fields.put("connections_per_s", churn ? result.connectionsPerSecond() : null);
        fields.put("latency_samples", latency.map(LatencySummary::samples).orElse(0L));
        fields.put("latency_p50_us", latency.map(LatencySummary::p50).orElse(null));
        fields.put("latency_p90_us", latency.map(LatencySummary::p90).orElse(null));
        fields.put("latency_p99_us", latency.map(LatencySummary::p99).orElse(null));
        fields.put("latency_p999_us", latency.map(LatencySummary::p999).orElse(null));
        fields.put("latency_max_us", latency.map(LatencySummary::max).orElse(null));
        fields.put("verify_failures", snapshot.verifyFailures());
        fields.put("first_failure_connection", firstFailure.map(VerifyFailure::connection).orElse(null));
        fields.put("first_failure_offset", firstFailure.map(VerifyFailure::offset).orElse(null));
        fields.put("ok", result.problems().isEmpty());
        fields.put("problem", result.problems().stream().findFirst().orElse(null));
        return fields;
    }

    private static String value(Object value) {
        if (value instanceof Double number) {
            return BigDecimal.valueOf(number).setScale(DECIMALS, RoundingMode.HALF_UP).stripTrailingZeros()
                    .toPlainString();
        }
        if (value instanceof String text) {
            return string(text);
        }
        return String.valueOf(value);
    }

    private static String string(String text) {
        StringBuilder quoted = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                default -> {
                    if (c < ' ') {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}

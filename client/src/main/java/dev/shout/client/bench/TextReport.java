package dev.shout.client.bench;

import dev.shout.client.DurationConverter;
import java.util.Locale;

/** The report for people: one labelled line per subject, numbers grouped in thousands. */
final class TextReport {

    private TextReport() {
    }

    static String format(Result result) {
        BenchConfig config = result.config();
        Snapshot snapshot = result.snapshot();
        StringBuilder report = new StringBuilder();
        line(report, "run", describeRun(result));
        line(report, "measured", describeTime(result));
        line(report, "connections", "%,d established, %,d connect errors, %,d lost",
                snapshot.established(), snapshot.connectErrors(), result.lost());
        line(report, "throughput", describeThroughput(result));
        line(report, "latency", result.latency()
                .map(TextReport::describeLatency)
                .orElse(config.workload() == Workload.STREAM ? "not measured for a stream" : "no samples"));
        line(report, "verify", describeVerify(result));
        return report.toString();
    }

    private static String describeRun(Result result) {
        BenchConfig config = result.config();
        String loops = config.workload() == Workload.CHURN ? "parallel loops" : "connections";
        String rate = config.rate().isPresent()
                ? String.format(Locale.ROOT, " at %,d messages/s (open loop)", config.rate().getAsLong())
                : "";
        String tls = result.tlsProvider().map(provider -> ", TLS by " + provider).orElse("");
        return String.format(Locale.ROOT, "%s%s, %,d %s, %,d-byte messages, transform %s (%s%s, %d threads)",
                config.workload(), rate, config.connections(), loops, config.size(), config.transform(),
                result.transport(), tls, config.threads());
    }

    private static String describeTime(Result result) {
        BenchConfig config = result.config();
        if (config.workload() == Workload.IDLE_THEN_PING) {
            return String.format(Locale.ROOT, "held idle %s, then one ping each (%.1fs in all)",
                    DurationConverter.format(config.duration()), result.measuredSeconds());
        }
        return String.format(Locale.ROOT, "%.1fs after %s warm-up",
                result.measuredSeconds(), DurationConverter.format(config.warmup()));
    }

    private static String describeThroughput(Result result) {
        return switch (result.config().workload()) {
            case CHURN -> result.tlsProvider().isPresent()
                    ? String.format(Locale.ROOT, "%,.1f handshakes/s (connect, full TLS handshake, one message, close)",
                            result.connectionsPerSecond())
                    : String.format(Locale.ROOT, "%,.1f connections/s (connect, one message, close)",
                            result.connectionsPerSecond());
            case IDLE_THEN_PING -> String.format(Locale.ROOT, "%,d of %,d pings answered",
                    result.snapshot().replies(), result.snapshot().established());
            default -> String.format(Locale.ROOT, "%,.1f messages/s, %,.2f MB/s",
                    result.messagesPerSecond(), result.megabytesPerSecond());
        };
    }

    private static String describeLatency(LatencySummary latency) {
        return String.format(Locale.ROOT, "p50 %,.1f us, p90 %,.1f us, p99 %,.1f us, p99.9 %,.1f us, max %,.1f us"
                + " (%,d samples)",
                latency.p50(), latency.p90(), latency.p99(), latency.p999(), latency.max(), latency.samples());
    }

    private static String describeVerify(Result result) {
        if (!result.config().verify()) {
            return "off";
        }
        Snapshot snapshot = result.snapshot();
        if (snapshot.verifyFailures() == 0) {
            return "no failures, every reply byte checked against " + result.config().transform();
        }
        return String.format(Locale.ROOT, "%,d failures, the first on %s",
                snapshot.verifyFailures(), snapshot.firstVerifyFailure().describe());
    }

    private static void line(StringBuilder report, String label, String format, Object... args) {
        report.append(String.format(Locale.ROOT, "%-12s %s%n", label, String.format(Locale.ROOT, format, args)));
    }
}

package dev.shout.server.metrics;

import io.netty.util.concurrent.EventExecutor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs the headline figures once per {@code --stats-interval}, for operators without Prometheus. */
public final class StatsLogger {

    private static final Logger log = LoggerFactory.getLogger(StatsLogger.class);

    private StatsLogger() {
    }

    public static void start(EventExecutor executor, Duration interval, MetricsSource source) {
        executor.scheduleAtFixedRate(() -> log(source), interval.toMillis(), interval.toMillis(),
                TimeUnit.MILLISECONDS);
    }

    private static void log(MetricsSource source) {
        List<WorkerFigures> workers = source.workers();
        long restarts = workers.stream().flatMap(w -> w.restarts().values().stream()).mapToLong(Long::longValue).sum();
        log.info("stats: {} connections open, {} opened, {} bytes received, {} sent; {}/{} workers up, {} restarts,"
                        + " {} connections lost, {} moved to new workers; {} clients waiting, {} refused",
                workers.stream().mapToInt(WorkerFigures::open).sum(),
                workers.stream().mapToLong(WorkerFigures::opened).sum(),
                workers.stream().mapToLong(WorkerFigures::received).sum(),
                workers.stream().mapToLong(WorkerFigures::sent).sum(),
                workers.stream().filter(WorkerFigures::up).count(), workers.size(), restarts,
                workers.stream().mapToLong(WorkerFigures::lost).sum(),
                source.migrations().getOrDefault("ok", 0L),
                source.waiting(),
                source.refused().values().stream().mapToLong(Long::longValue).sum());
    }
}

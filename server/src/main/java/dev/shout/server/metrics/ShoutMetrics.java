package dev.shout.server.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;

/**
 * The Prometheus metrics of a server, read from its {@link MetricsSource} at scrape time: the
 * source keeps the figures, this only names and describes them.
 */
public final class ShoutMetrics {

    private final MetricsSource source;
    private final boolean perWorker;
    private final PrometheusRegistry registry = new PrometheusRegistry();

    /** @param perWorker true in process mode: per-worker figures get a {@code worker} label */
    public ShoutMetrics(MetricsSource source, boolean perWorker) {
        this.source = source;
        this.perWorker = perWorker;
        gauge("shout_connections_open", "Client connections open.", w -> w.open());
        counter("shout_connections_opened", "Client connections opened.", w -> w.opened());
        counter("shout_received_bytes", "Bytes received from clients.", w -> w.received(), Unit.BYTES);
        counter("shout_sent_bytes", "Bytes sent to clients.", w -> w.sent(), Unit.BYTES);
        gauge("shout_heap_used_bytes", "JVM heap in use.", w -> w.heapUsed(), Unit.BYTES);
        GaugeWithCallback.builder().name("shout_clients_waiting")
                .help("Clients waiting for a slot: in the kernel's accept queue or accepted and not yet served.")
                .callback(callback -> callback.call(source.waiting()))
                .register(registry);
        byLabel("shout_connections_refused", "Connections refused before they were served, by reason.", "reason",
                source::refused);
        byLabel("shout_connections_timed_out", "Connections closed by a timeout, by reason.", "reason",
                source::timedOut);
        if (perWorker) {
            registerProcessModeMetrics();
        }
    }

    public PrometheusRegistry registry() {
        return registry;
    }

    private void registerProcessModeMetrics() {
        gauge("shout_worker_up", "1 while the worker is ready to take connections.", w -> w.up() ? 1 : 0);
        counter("shout_connections_lost", "Connections lost with a worker that died.", w -> w.lost());
        CounterWithCallback.builder().name("shout_worker_restarts")
                .help("Workers restarted, by cause.")
                .labelNames("worker", "cause")
                .callback(callback -> source.workers().forEach(w -> w.restarts()
                        .forEach((cause, count) -> callback.call(count, w.worker(), cause))))
                .register(registry);
        registry.register(this::builds);
        CounterWithCallback.builder().name("shout_handoffs")
                .help("Connections handed to a worker, by result.")
                .labelNames("result")
                .callback(callback -> {
                    MetricsSource.HandOffs handOffs = source.handOffs();
                    callback.call(handOffs.succeeded(), "succeeded");
                    callback.call(handOffs.failed(), "failed");
                })
                .register(registry);
        byLabel("shout_migrations", "Live connections moved to a new worker on a rolling restart, by result.",
                "result", source::migrations);
        byLabel("shout_upgrades", "New jars a rolling restart tried to upgrade the workers to, by result.", "result",
                source::upgrades);
    }

    /** An info metric, exposed as {@code shout_build_info}: 1 for each worker slot and build it runs. */
    private InfoSnapshot builds() {
        InfoSnapshot.Builder info = InfoSnapshot.builder().name("shout_build")
                .help("The build each worker runs, as it announced it to the master.");
        source.builds().stream().distinct().forEach(build -> info.dataPoint(InfoSnapshot.InfoDataPointSnapshot.builder()
                .labels(Labels.of("worker", build.worker(), "version", build.version())).build()));
        return info.build();
    }

    private void byLabel(String name, String help, String label, Supplier<Map<String, Long>> counts) {
        CounterWithCallback.builder().name(name).help(help)
                .labelNames(label)
                .callback(callback -> counts.get().forEach((value, count) -> callback.call(count, value)))
                .register(registry);
    }

    private void gauge(String name, String help, ToDoubleFunction<WorkerFigures> figure, Unit... unit) {
        GaugeWithCallback.Builder builder = GaugeWithCallback.builder().name(name).help(help)
                .labelNames(workerLabel())
                .callback(callback -> eachWorker(figure, callback::call));
        if (unit.length > 0) {
            builder.unit(unit[0]);
        }
        builder.register(registry);
    }

    private void counter(String name, String help, ToDoubleFunction<WorkerFigures> figure, Unit... unit) {
        CounterWithCallback.Builder builder = CounterWithCallback.builder().name(name).help(help)
                .labelNames(workerLabel())
                .callback(callback -> eachWorker(figure, callback::call));
        if (unit.length > 0) {
            builder.unit(unit[0]);
        }
        builder.register(registry);
    }

    /** Gives {@code sample} each worker's figure with its labels: the body of every per-worker callback. */
    private void eachWorker(ToDoubleFunction<WorkerFigures> figure, Sample sample) {
        for (WorkerFigures worker : source.workers()) {
            sample.call(figure.applyAsDouble(worker), perWorker ? new String[] {worker.worker()} : new String[0]);
        }
    }

    /** Both callback types of the Prometheus client take a value and label values. */
    @FunctionalInterface
    private interface Sample {
        void call(double value, String... labelValues);
    }

    private String[] workerLabel() {
        return perWorker ? new String[] {"worker"} : new String[0];
    }
}

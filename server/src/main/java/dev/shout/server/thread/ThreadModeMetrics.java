package dev.shout.server.thread;

import dev.shout.server.metrics.AcceptQueue;
import dev.shout.server.metrics.MetricsSource;
import dev.shout.server.metrics.WorkerFigures;
import dev.shout.server.admission.AdmissionLedger;
import dev.shout.server.pipeline.OpenConnections;
import dev.shout.server.pipeline.Refusals;
import dev.shout.server.pipeline.TimedOutConnections;
import dev.shout.server.pipeline.Traffic;
import io.netty.channel.Channel;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Thread mode's figures: one process, so one unlabelled set, and no hand-offs. */
final class ThreadModeMetrics implements MetricsSource {

    private final OpenConnections connections;
    private final Traffic traffic;
    private final AdmissionLedger admission;
    private final TimedOutConnections timedOut;
    private final Refusals refusals;
    private final Channel server;

    ThreadModeMetrics(OpenConnections connections, Traffic traffic, AdmissionLedger admission,
            TimedOutConnections timedOut, Refusals refusals, Channel server) {
        this.connections = connections;
        this.traffic = traffic;
        this.admission = admission;
        this.timedOut = timedOut;
        this.refusals = refusals;
        this.server = server;
    }

    @Override
    public List<WorkerFigures> workers() {
        long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        return List.of(new WorkerFigures(null, true, connections.size(), traffic.opened(), traffic.received(),
                traffic.sent(), 0, heapUsed, Map.of()));
    }

    @Override
    public HandOffs handOffs() {
        return null;
    }

    @Override
    public long waiting() {
        return AcceptQueue.length(((InetSocketAddress) server.localAddress()).getPort());
    }

    @Override
    public Map<String, Long> refused() {
        Map<String, Long> refused = new LinkedHashMap<>();
        refused.put(MetricsSource.PER_IP_LIMIT, admission.refusedTotal());
        refused.putAll(refusals.totals());
        return refused;
    }

    @Override
    public Map<String, Long> timedOut() {
        return timedOut.totals();
    }

    @Override
    public boolean healthy() {
        return server.isActive();
    }
}

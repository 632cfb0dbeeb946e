package dev.shout.server.process;

import dev.shout.server.admission.AdmissionLedger;
import dev.shout.server.metrics.AcceptQueue;
import dev.shout.server.metrics.MetricsSource;
import dev.shout.server.metrics.WorkerFigures;
import dev.shout.server.pipeline.Refusals.Reason;
import dev.shout.server.pipeline.TimedOutConnections.Cause;
import dev.shout.server.process.link.LinkMessage.Refused;
import dev.shout.server.process.link.LinkMessage.TimedOut;
import dev.shout.server.process.supervision.Supervisor;
import dev.shout.server.process.supervision.WorkerHandle;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Process mode's figures, put together by the master from its supervisor, its acceptance and
 * the workers' heartbeats. Read on the master's event loop, which owns all of them.
 */
final class MasterMetrics implements MetricsSource {

    private final Supervisor supervisor;
    private final Acceptance acceptance;
    private final Upgrades upgrades;
    private final WorkerLinks links;
    private final AdmissionLedger admission;
    private final Channel server;
    private final IntFunction<SlotTotals> totals;
    private final int slots;

    MasterMetrics(Supervisor supervisor, Acceptance acceptance, Upgrades upgrades, WorkerLinks links,
            AdmissionLedger admission, Channel server, IntFunction<SlotTotals> totals, int slots) {
        this.supervisor = supervisor;
        this.acceptance = acceptance;
        this.upgrades = upgrades;
        this.links = links;
        this.admission = admission;
        this.server = server;
        this.totals = totals;
        this.slots = slots;
    }

    @Override
    public List<WorkerFigures> workers() {
        List<WorkerFigures> figures = new ArrayList<>();
        for (int slot = 1; slot <= slots; slot++) {
            figures.add(figures(slot));
        }
        return figures;
    }

    /** A slot's figures; during a rolling restart its old and new workers are added together. */
    private WorkerFigures figures(int slot) {
        boolean up = false;
        long heapUsed = 0;
        for (WorkerHandle worker : supervisor.workers()) {
            if (worker.slot() == slot) {
                up |= worker.isReady();
                heapUsed += links.of(worker).map(link -> link.lastHeartbeat().heapUsed()).orElse(0L);
            }
        }
        SlotTotals slotTotals = totals.apply(slot);
        return new WorkerFigures(Integer.toString(slot), up, acceptance.open(slot), slotTotals.openedCount(),
                slotTotals.received(), slotTotals.sent(), slotTotals.lost(), heapUsed, supervisor.restarts(slot));
    }

    @Override
    public List<WorkerBuild> builds() {
        List<WorkerBuild> builds = new ArrayList<>();
        for (WorkerHandle worker : supervisor.workers()) {
            links.of(worker).map(MasterLink::buildVersion)
                    .ifPresent(version -> builds.add(new WorkerBuild(Integer.toString(worker.slot()), version)));
        }
        return builds;
    }

    @Override
    public HandOffs handOffs() {
        return acceptance.handOffs();
    }

    @Override
    public Map<String, Long> migrations() {
        return acceptance.migrations().byResult();
    }

    @Override
    public Map<String, Long> upgrades() {
        return upgrades.byResult();
    }

    @Override
    public long waiting() {
        return acceptance.waiting() + AcceptQueue.length(((InetSocketAddress) server.localAddress()).getPort());
    }

    @Override
    public Map<String, Long> refused() {
        Refused byWorkers = Refused.NONE;
        for (int slot = 1; slot <= slots; slot++) {
            byWorkers = byWorkers.plus(totals.apply(slot).refused());
        }
        Map<String, Long> refused = new LinkedHashMap<>();
        refused.put(PER_IP_LIMIT, admission.refusedTotal());
        for (Reason reason : Reason.values()) {
            refused.put(reason.label(), byWorkers.count(reason.ordinal()));
        }
        return refused;
    }

    @Override
    public Map<String, Long> timedOut() {
        long idle = 0;
        long halfClosed = 0;
        long write = 0;
        for (int slot = 1; slot <= slots; slot++) {
            TimedOut slotTimedOut = totals.apply(slot).timedOut();
            idle += slotTimedOut.idle();
            halfClosed += slotTimedOut.halfClosed();
            write += slotTimedOut.write();
        }
        return Map.of(Cause.IDLE.label(), idle, Cause.HALF_CLOSED.label(), halfClosed, Cause.WRITE.label(), write);
    }

    @Override
    public boolean healthy() {
        return server.isActive() && supervisor.hasReadyWorker();
    }
}

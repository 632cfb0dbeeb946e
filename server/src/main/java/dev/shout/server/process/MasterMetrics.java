package dev.shout.server.process;

import dev.shout.server.metrics.AcceptQueue;
import dev.shout.server.metrics.MetricsSource;
import dev.shout.server.metrics.WorkerFigures;
import dev.shout.server.pipeline.AddressLimiter;
import io.netty.channel.Channel;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Process mode's figures, put together by the master from its pool, its dispatcher and the
 * workers' heartbeats. Read on the master's event loop, which owns all of them.
 */
final class MasterMetrics implements MetricsSource {

    private final WorkerPool pool;
    private final Dispatcher dispatcher;
    private final AddressLimiter addressLimiter;
    private final Channel server;
    private final int slots;

    MasterMetrics(WorkerPool pool, Dispatcher dispatcher, AddressLimiter addressLimiter, Channel server, int slots) {
        this.pool = pool;
        this.dispatcher = dispatcher;
        this.addressLimiter = addressLimiter;
        this.server = server;
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
        int open = 0;
        long heapUsed = 0;
        for (WorkerProcess worker : pool.workers()) {
            if (worker.slot() == slot) {
                up |= worker.state() == WorkerProcess.State.READY;
                open += worker.open();
                heapUsed += worker.lastHeartbeat().heapUsed();
            }
        }
        SlotTotals totals = pool.totals(slot);
        return new WorkerFigures(Integer.toString(slot), up, open, totals.openedCount(), totals.received(),
                totals.sent(), totals.lost(), heapUsed, totals.restarts());
    }

    @Override
    public HandOffs handOffs() {
        return dispatcher.handOffs();
    }

    @Override
    public long waiting() {
        return dispatcher.waiting() + AcceptQueue.length(((InetSocketAddress) server.localAddress()).getPort());
    }

    @Override
    public Map<String, Long> refused() {
        return Map.of("per_ip_limit", addressLimiter.refusedTotal());
    }

    @Override
    public boolean healthy() {
        return server.isActive() && pool.hasReadyWorker();
    }
}

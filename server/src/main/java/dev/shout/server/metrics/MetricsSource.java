package dev.shout.server.metrics;

import java.util.List;
import java.util.Map;

/**
 * The figures a server exposes, read when scraped: by the master from its pool and its
 * workers' reports, or by thread mode from its own counters. Called on the thread that owns
 * those figures.
 */
public interface MetricsSource {

    /** Per worker in process mode; a single unlabelled entry in thread mode. */
    List<WorkerFigures> workers();

    /** Process mode only: descriptors handed to workers; null in thread mode. */
    HandOffs handOffs();

    /** Clients waiting for a slot: queued in the kernel's accept backlog or in the master. */
    long waiting();

    /** The refusal reason of {@code --max-connections-per-ip}, counted by the admission ledger. */
    String PER_IP_LIMIT = "per_ip_limit";

    /**
     * Connections refused, by reason: {@link #PER_IP_LIMIT}, and the PROXY protocol's
     * {@code untrusted_proxy}, {@code bad_proxy_header}, {@code proxy_header_timeout} (see
     * {@code Refusals}); in process mode, those from the workers' heartbeats.
     */
    Map<String, Long> refused();

    /**
     * Connections closed by a timeout, by cause: {@code idle}, {@code half_closed}, {@code write}
     * (see {@code TimedOutConnections}); in process mode, from the workers' heartbeats.
     */
    Map<String, Long> timedOut();

    /**
     * Process mode: live connections moved from a retiring worker to its replacement, by result:
     * {@code ok}, {@code fallback} (drained where it was instead), {@code failed} (lost on the way).
     */
    default Map<String, Long> migrations() {
        return Map.of();
    }

    /**
     * Process mode: new jars a SIGHUP found, by result: {@code passed} (their trial worker linked
     * and every worker starts from them now), {@code failed} (it did not: the old build serves on),
     * {@code refused} (not a jar that can be read: no worker tried it).
     */
    default Map<String, Long> upgrades() {
        return Map.of();
    }

    /** True while the server accepts connections and has somewhere to serve them. */
    boolean healthy();

    /**
     * Process mode: the build each linked worker announced, a worker slot once per build it runs
     * (twice while a rolling restart replaces one build by another); empty in thread mode.
     */
    default List<WorkerBuild> builds() {
        return List.of();
    }

    /** @param worker the slot, {@code 1} for worker-1 */
    record WorkerBuild(String worker, String version) {
    }

    record HandOffs(long succeeded, long failed) {
    }
}

package dev.shout.server.process;

import io.netty.channel.Channel;

/**
 * The master's view of one worker process. Touched only on the master's event loop.
 */
final class WorkerProcess {

    enum State {
        /** Spawned, link not yet connected. */
        STARTING,
        /** Linked and taking connections. */
        READY,
        /** Draining: told to stop (rolling restart, shutdown) or stopping on its own SIGTERM. */
        RETIRING
    }

    /** At most this many descriptors unacknowledged on a link, so its send buffer never fills. */
    static final int MAX_IN_FLIGHT = 64;

    private final int slot;
    private final Process process;
    private final long startedNanos = System.nanoTime();
    private State state = State.STARTING;
    private Channel link;
    private long readyNanos;
    private long lastHeardNanos = startedNanos;
    private int open;
    private int inFlight;
    private int reportedOpen;
    /** True when the master chose to retire it, so its exit needs no replacement. */
    private boolean retiredByMaster;

    WorkerProcess(int slot, Process process) {
        this.slot = slot;
        this.process = process;
    }

    int slot() {
        return slot;
    }

    long pid() {
        return process.pid();
    }

    Process process() {
        return process;
    }

    State state() {
        return state;
    }

    Channel link() {
        return link;
    }

    void linked(Channel link) {
        this.link = link;
        state = State.READY;
        readyNanos = System.nanoTime();
        heard();
    }

    void retire(boolean byMaster) {
        state = State.RETIRING;
        retiredByMaster |= byMaster;
    }

    boolean retiredByMaster() {
        return retiredByMaster;
    }

    boolean wasReady() {
        return readyNanos != 0;
    }

    long startedNanos() {
        return startedNanos;
    }

    long readyNanos() {
        return readyNanos;
    }

    void heard() {
        lastHeardNanos = System.nanoTime();
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    /** Connections handed to it and not yet reported closed: the master's count, not the worker's. */
    int open() {
        return open;
    }

    int reportedOpen() {
        return reportedOpen;
    }

    void reportedOpen(int count) {
        reportedOpen = count;
    }

    boolean canTake(int connectionsPerWorker) {
        return state == State.READY && open < connectionsPerWorker && inFlight < MAX_IN_FLIGHT;
    }

    void handedOff() {
        open++;
        inFlight++;
    }

    void handOffFailed() {
        open--;
        inFlight--;
    }

    void received(int count) {
        inFlight -= count;
    }

    void released(int count) {
        open -= count;
    }

    String name() {
        return "worker-" + slot + " (pid " + pid() + ")";
    }

    @Override
    public String toString() {
        return name();
    }
}

package dev.shout.server.process.supervision;

import java.util.concurrent.ThreadLocalRandom;

/**
 * The master's view of one worker process's life: started, ready, retiring, gone. What it
 * serves is the dispatcher's business, not this. Touched only on the master's event loop.
 */
public final class WorkerHandle {

    public enum State {
        /** Spawned, link not yet up. */
        STARTING,
        /** Linked and taking connections. */
        READY,
        /** Draining: told to stop, stopping on its own SIGTERM, or its link failed. */
        RETIRING
    }

    private final int slot;
    private final ChildProcess process;
    private final long startedNanos;
    private State state = State.STARTING;
    private long readyNanos;
    private boolean wasReady;
    private long retiredNanos;
    private long lastHeardNanos;
    private boolean killed;
    private boolean killedForSilence;
    private boolean retiredByMaster;
    /** Why the master refused its hello; null unless it did. */
    private String refusal;
    /** Its own part of {@link RecyclePolicy#JITTER}. */
    private final double jitter = ThreadLocalRandom.current().nextDouble(RecyclePolicy.JITTER);
    private long handed;

    WorkerHandle(int slot, ChildProcess process, long startedNanos) {
        this.slot = slot;
        this.process = process;
        this.startedNanos = startedNanos;
        this.lastHeardNanos = startedNanos;
    }

    public int slot() {
        return slot;
    }

    public long pid() {
        return process.pid();
    }

    public State state() {
        return state;
    }

    public boolean isReady() {
        return state == State.READY;
    }

    ChildProcess process() {
        return process;
    }

    long startedNanos() {
        return startedNanos;
    }

    long readyNanos() {
        return readyNanos;
    }

    long retiredNanos() {
        return retiredNanos;
    }

    long lastHeardNanos() {
        return lastHeardNanos;
    }

    boolean wasReady() {
        return wasReady;
    }

    boolean retiredByMaster() {
        return retiredByMaster;
    }

    boolean killed() {
        return killed;
    }

    boolean killedForSilence() {
        return killedForSilence;
    }

    String refusal() {
        return refusal;
    }

    void refuse(String why) {
        refusal = why;
    }

    double jitter() {
        return jitter;
    }

    /** Connections handed to it over its life. */
    long handed() {
        return handed;
    }

    void handedOne() {
        handed++;
    }

    void ready(long now) {
        state = State.READY;
        wasReady = true;
        readyNanos = now;
        lastHeardNanos = now;
    }

    void heard(long now) {
        lastHeardNanos = now;
    }

    /** @return true if it was not retiring before */
    boolean retire(boolean byMaster, long now) {
        retiredByMaster |= byMaster;
        if (state == State.RETIRING) {
            return false;
        }
        state = State.RETIRING;
        retiredNanos = now;
        return true;
    }

    /** SIGKILL, once: until the process is reaped, liveness checks must not repeat it. */
    void kill(boolean forSilence) {
        killed = true;
        killedForSilence |= forSilence;
        process.kill();
    }

    @Override
    public String toString() {
        return "worker-" + slot + " (pid " + pid() + ")";
    }
}

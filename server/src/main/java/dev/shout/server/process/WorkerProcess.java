package dev.shout.server.process;

import dev.shout.server.process.LinkMessage.Heartbeat;
import io.netty.channel.Channel;
import io.netty.channel.epoll.EpollSocketChannel;
import java.util.ArrayDeque;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Deque;
import java.util.List;

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

    /**
     * At most this many descriptors unacknowledged on a link. It keeps the link's send buffer
     * from filling (Netty cannot retry a sendFd that would block) and bounds the master's copies.
     */
    static final int MAX_IN_FLIGHT = 64;

    private final int slot;
    private final Process process;
    private final long startedNanos = System.nanoTime();
    private State state = State.STARTING;
    private Channel link;
    private long readyNanos;
    private long retiredNanos;
    private long lastHeardNanos = startedNanos;
    private int open;
    /**
     * Connections sent to it that it has not acknowledged, oldest first. The master keeps its
     * copy of each until the acknowledgement, so that if the worker dies first the connection,
     * still untouched, can go to another worker.
     */
    private final Deque<EpollSocketChannel> unacknowledged = new ArrayDeque<>();
    /** Connections it holds by client address, for {@code --max-connections-per-ip}. */
    private final Map<InetAddress, Integer> clients = new HashMap<>();
    private Heartbeat lastHeartbeat = new Heartbeat(0, 0, 0, 0);
    private boolean killedForSilence;
    private boolean killed;
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
        if (state != State.RETIRING) {
            state = State.RETIRING;
            retiredNanos = System.nanoTime();
        }
        retiredByMaster |= byMaster;
    }

    long retiredNanos() {
        return retiredNanos;
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

    /** The latest heartbeat; all zeros before the first. */
    Heartbeat lastHeartbeat() {
        return lastHeartbeat;
    }

    void heartbeat(Heartbeat heartbeat) {
        lastHeartbeat = heartbeat;
    }

    /** SIGKILL, once: until the process is reaped, the liveness check must not repeat it. */
    void kill() {
        killed = true;
        process.destroyForcibly();
    }

    boolean killed() {
        return killed;
    }

    void killedForSilence() {
        killedForSilence = true;
    }

    boolean wasKilledForSilence() {
        return killedForSilence;
    }

    boolean canTake(int connectionsPerWorker) {
        return state == State.READY && open < connectionsPerWorker && unacknowledged.size() < MAX_IN_FLIGHT;
    }

    void sent(EpollSocketChannel connection) {
        open++;
        clients.merge(clientOf(connection), 1, Integer::sum);
        unacknowledged.add(connection);
    }

    void sendFailed(EpollSocketChannel connection) {
        forget(connection);
        unacknowledged.remove(connection);
    }

    void released(InetAddress client) {
        open--;
        clients.computeIfPresent(client, (address, count) -> count == 1 ? null : count - 1);
    }

    /** The client address of every connection it still holds, once per connection: for when it dies. */
    List<InetAddress> clientsHeld() {
        List<InetAddress> held = new ArrayList<>();
        clients.forEach((address, count) -> held.addAll(Collections.nCopies(count, address)));
        return held;
    }

    private void forget(EpollSocketChannel connection) {
        released(clientOf(connection));
    }

    static InetAddress clientOf(EpollSocketChannel connection) {
        return connection.remoteAddress().getAddress();
    }

    /** The worker holds the oldest {@code count} connections now: the master's copies can go. */
    void acknowledged(int count) {
        for (int i = 0; i < count && !unacknowledged.isEmpty(); i++) {
            unacknowledged.poll().unsafe().closeForcibly();
        }
    }

    /** The oldest unacknowledged connection arrived already closed: its slot is free. */
    InetAddress arrivedClosed() {
        EpollSocketChannel connection = unacknowledged.poll();
        connection.unsafe().closeForcibly();
        forget(connection);
        return clientOf(connection);
    }

    /** Takes back every connection it never acknowledged; they count no more against it. */
    List<EpollSocketChannel> takeUnacknowledged() {
        List<EpollSocketChannel> taken = new ArrayList<>(unacknowledged);
        unacknowledged.clear();
        taken.forEach(this::forget);
        return taken;
    }


    String name() {
        return "worker-" + slot + " (pid " + pid() + ")";
    }

    @Override
    public String toString() {
        return name();
    }
}

package dev.shout.server.admission;

import dev.shout.server.config.ServerConfig;
import io.netty.util.concurrent.EventExecutor;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's one count of admitted connections: thread mode's, or the master's in process mode.
 *
 * <p>The two limits act differently, as users expect of them. A client address at
 * {@code --max-connections-per-ip} is refused at once (one greedy client must not take every
 * slot); refusals are counted and summarised in one log line a second. {@code --max-connections}
 * never refuses: when the ledger is {@link #full()} the acceptor stops accepting, clients wait in
 * the kernel's backlog, and it is told through {@link #onRoom} when a release makes room.
 *
 * <p>A trusted balancer's connection is admitted at accept without a per-address charge
 * ({@link #acquireAtAccept}): its client is not known until its PROXY header names it, and then
 * it is admitted again under that address ({@link #tryAcquire}), so that the limit applies to
 * clients, not to the balancer every one of them comes through.
 *
 * <p>Safe to use from any thread: thread mode releases on each connection's own event loop.
 */
public final class AdmissionLedger implements Admission {

    private static final Logger log = LoggerFactory.getLogger(AdmissionLedger.class);

    private final int maxConnections;
    private final int maxConnectionsPerIp;
    private final Predicate<InetAddress> trustedBalancer;
    private final AtomicInteger admitted = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perIp = new ConcurrentHashMap<>();
    private final AtomicLong refusedThisSecond = new AtomicLong();
    private final LongAdder refusedTotal = new LongAdder();
    private final CopyOnWriteArrayList<Runnable> roomListeners = new CopyOnWriteArrayList<>();

    /**
     * @param maxConnectionsPerIp 0 for no per-address limit
     * @param trustedBalancer true for a peer whose connections begin with a PROXY header naming their client
     */
    public AdmissionLedger(int maxConnections, int maxConnectionsPerIp, Predicate<InetAddress> trustedBalancer) {
        if (maxConnections < 1 || maxConnectionsPerIp < 0) {
            throw new IllegalArgumentException("limits " + maxConnections + ", " + maxConnectionsPerIp
                    + " (expected: >= 1, >= 0)");
        }
        this.maxConnections = maxConnections;
        this.maxConnectionsPerIp = maxConnectionsPerIp;
        this.trustedBalancer = trustedBalancer;
    }

    /** The ledger of a server run with {@code config}: thread mode's, or the master's. */
    public static AdmissionLedger of(ServerConfig config) {
        return new AdmissionLedger(config.maxConnections(), config.maxConnectionsPerIp(), config.proxy()::trusts);
    }

    /**
     * Admits a connection just accepted from {@code peer}. A trusted balancer's counts against
     * {@code --max-connections} only and is never refused: it is admitted again under its client's
     * address once its header is read. Any other is admitted as {@link #tryAcquire} admits it.
     */
    public Optional<Permit> acquireAtAccept(InetAddress peer) {
        if (trustedBalancer.test(peer)) {
            admitted.incrementAndGet();
            return Optional.of(new LedgerPermit(peer, false));
        }
        return tryAcquire(peer);
    }

    /** Admits a connection from {@code client} now, or refuses it when that address holds its limit. */
    public Optional<Permit> tryAcquire(InetAddress client) {
        if (maxConnectionsPerIp > 0 && !takePerIp(client)) {
            refusedThisSecond.incrementAndGet();
            refusedTotal.increment();
            return Optional.empty();
        }
        admitted.incrementAndGet();
        return Optional.of(new LedgerPermit(client, maxConnectionsPerIp > 0));
    }

    /** Answers at once: the ledger is here. */
    @Override
    public CompletionStage<Optional<Permit>> acquire(InetAddress client) {
        return CompletableFuture.completedFuture(tryAcquire(client));
    }

    /** True while {@code --max-connections} are admitted: acceptors should pause. */
    public boolean full() {
        return admitted.get() >= maxConnections;
    }

    public int admitted() {
        return admitted.get();
    }

    /** Runs {@code listener}, on the releasing thread, after each release that leaves room. */
    public void onRoom(Runnable listener) {
        roomListeners.add(listener);
    }

    /** Connections refused by the per-address limit since the server started. */
    public long refusedTotal() {
        return refusedTotal.sum();
    }

    /** Logs, once a second on {@code executor}, how many connections were refused in that second. */
    public void reportRefusalsEverySecond(EventExecutor executor) {
        executor.scheduleAtFixedRate(() -> {
            long refused = refusedThisSecond.getAndSet(0);
            if (refused > 0) {
                log.warn("refused {} connections in the last second: over --max-connections-per-ip {}",
                        refused, maxConnectionsPerIp);
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    private boolean takePerIp(InetAddress client) {
        boolean[] taken = new boolean[1];
        perIp.compute(client, (address, count) -> {
            int held = count == null ? 0 : count;
            taken[0] = held < maxConnectionsPerIp;
            return taken[0] ? held + 1 : count;
        });
        return taken[0];
    }

    private void release(InetAddress client, boolean perAddress) {
        if (perAddress) {
            perIp.computeIfPresent(client, (address, count) -> count == 1 ? null : count - 1);
        }
        if (admitted.decrementAndGet() < maxConnections) {
            roomListeners.forEach(Runnable::run);
        }
    }

    private final class LedgerPermit implements Permit {

        /** One field and a shared updater, not an {@code AtomicBoolean} object per connection held. */
        private static final AtomicIntegerFieldUpdater<LedgerPermit> RELEASED =
                AtomicIntegerFieldUpdater.newUpdater(LedgerPermit.class, "released");

        private final InetAddress client;
        /** True if it holds one of its address's places. */
        private final boolean perAddress;
        /** 1 once released. */
        private volatile int released;

        LedgerPermit(InetAddress client, boolean perAddress) {
            this.client = client;
            this.perAddress = perAddress;
        }

        @Override
        public InetAddress client() {
            return client;
        }

        @Override
        public void release() {
            if (RELEASED.compareAndSet(this, 0, 1)) {
                AdmissionLedger.this.release(client, perAddress);
            }
        }

        @Override
        public String toString() {
            return "permit for " + client.getHostAddress();
        }
    }
}

package dev.shout.server.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The two limits: an address at its own is refused at once; the server at its total only says it is full. */
@Timeout(10)
class AdmissionLedgerTest {

    private static final InetAddress A = address(192, 0, 2, 1);
    private static final InetAddress B = address(192, 0, 2, 2);
    private static final InetAddress BALANCER = address(10, 0, 0, 1);

    @Test
    void anAddressAtItsLimitIsRefusedAndTheRefusalCounted() {
        AdmissionLedger ledger = new AdmissionLedger(10, 2, peer -> false);
        admit(ledger, A, 2);
        assertTrue(ledger.tryAcquire(A).isEmpty());
        assertEquals(1, ledger.refusedTotal());
        assertEquals(2, ledger.admitted(), "a refusal counted as admitted");
        assertTrue(ledger.tryAcquire(B).isPresent(), "another address refused for A's limit");
    }

    @Test
    void aReleaseMakesRoomForItsAddressAgain() {
        AdmissionLedger ledger = new AdmissionLedger(10, 1, peer -> false);
        Permit permit = ledger.tryAcquire(A).orElseThrow();
        assertEquals(A, permit.client());
        permit.release();
        assertTrue(ledger.tryAcquire(A).isPresent());
    }

    @Test
    void zeroPerAddressMeansNoPerAddressLimit() {
        AdmissionLedger ledger = new AdmissionLedger(1000, 0, peer -> false);
        admit(ledger, A, 1000);
        assertEquals(0, ledger.refusedTotal());
    }

    @Test
    void atMaxConnectionsTheLedgerIsFullYetRefusesNothing() {
        AdmissionLedger ledger = new AdmissionLedger(2, 0, peer -> false);
        admit(ledger, A, 1);
        assertFalse(ledger.full());
        admit(ledger, B, 1);
        assertTrue(ledger.full());
        admit(ledger, B, 1);
        assertEquals(3, ledger.admitted(), "--max-connections refuses nobody: the acceptor pauses instead");
    }

    @Test
    void onRoomRunsAfterEachReleaseThatLeavesRoom() {
        AdmissionLedger ledger = new AdmissionLedger(2, 0, peer -> false);
        AtomicInteger calls = roomCalls(ledger);
        List<Permit> permits = admit(ledger, A, 3);
        permits.get(0).release();
        assertEquals(0, calls.get(), "called while still full");
        permits.get(1).release();
        assertEquals(1, calls.get());
        assertFalse(ledger.full());
        permits.get(2).release();
        assertEquals(2, calls.get());
    }

    @Test
    void aPermitReleasedTwiceGivesItsPlaceBackOnce() {
        AdmissionLedger ledger = new AdmissionLedger(10, 2, peer -> false);
        AtomicInteger calls = roomCalls(ledger);
        List<Permit> permits = admit(ledger, A, 2);
        permits.get(0).release();
        permits.get(0).release();
        assertEquals(1, ledger.admitted());
        assertEquals(1, calls.get());
        admit(ledger, A, 1);
        assertTrue(ledger.tryAcquire(A).isEmpty(), "the second release gave A a place it does not have");
    }

    @Test
    void acquireAnswersAtOnce() {
        AdmissionLedger ledger = new AdmissionLedger(10, 1, peer -> false);
        CompletableFuture<Optional<Permit>> admitted = ledger.acquire(A).toCompletableFuture();
        CompletableFuture<Optional<Permit>> refused = ledger.acquire(A).toCompletableFuture();
        assertTrue(admitted.isDone() && refused.isDone());
        assertTrue(admitted.join().isPresent());
        assertTrue(refused.join().isEmpty());
    }

    @Test
    void aTrustedBalancersConnectionCountsForTheServerButNotForItsAddress() {
        AdmissionLedger ledger = new AdmissionLedger(10, 1, BALANCER::equals);
        Permit first = ledger.acquireAtAccept(BALANCER).orElseThrow();
        Permit second = ledger.acquireAtAccept(BALANCER).orElseThrow();
        assertEquals(2, ledger.admitted());
        assertEquals(0, ledger.refusedTotal());
        assertTrue(ledger.tryAcquire(BALANCER).isPresent(), "the balancer's own address was charged");
        first.release();
        second.release();
        assertEquals(1, ledger.admitted());
    }

    @Test
    void anyOtherPeerIsChargedAtAcceptAsAClient() {
        AdmissionLedger ledger = new AdmissionLedger(10, 1, BALANCER::equals);
        assertTrue(ledger.acquireAtAccept(A).isPresent());
        assertTrue(ledger.acquireAtAccept(A).isEmpty());
        assertEquals(1, ledger.refusedTotal());
    }

    @Test
    void limitsOutOfRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new AdmissionLedger(0, 0, peer -> false));
        assertThrows(IllegalArgumentException.class, () -> new AdmissionLedger(1, -1, peer -> false));
    }

    /**
     * Threads admitting and releasing at once, as thread mode's event loops do: no address is
     * ever over its limit, every refusal is counted, and once all is released nothing is held.
     */
    @Test
    void concurrentAdmissionsAndReleasesLeaveNothingHeld() throws Exception {
        int threads = 4;
        int perIp = 3;
        List<InetAddress> clients = List.of(A, B, address(192, 0, 2, 3));
        AdmissionLedger ledger = new AdmissionLedger(5, perIp, peer -> false);
        ConcurrentHashMap<InetAddress, AtomicInteger> holding = new ConcurrentHashMap<>();
        AtomicInteger overLimit = new AtomicInteger();
        AtomicLong refused = new AtomicLong();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<CompletableFuture<Void>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                Random random = new Random(t);
                done.add(CompletableFuture.runAsync(() -> {
                    awaitUninterruptibly(start);
                    Deque<Permit> held = new ArrayDeque<>();
                    for (int i = 0; i < 20_000; i++) {
                        InetAddress client = clients.get(random.nextInt(clients.size()));
                        Optional<Permit> permit = ledger.tryAcquire(client);
                        if (permit.isEmpty()) {
                            refused.incrementAndGet();
                        } else if (holding.computeIfAbsent(client, c -> new AtomicInteger()).incrementAndGet()
                                > perIp) {
                            overLimit.incrementAndGet();
                        }
                        permit.ifPresent(held::add);
                        while (held.size() > random.nextInt(4)) {
                            Permit released = held.poll();
                            holding.get(released.client()).decrementAndGet();
                            released.release();
                        }
                    }
                    held.forEach(permit -> {
                        holding.get(permit.client()).decrementAndGet();
                        permit.release();
                    });
                }, pool));
            }
            start.countDown();
            CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(8, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        assertEquals(0, overLimit.get(), "an address held more than its limit");
        assertEquals(refused.get(), ledger.refusedTotal());
        assertEquals(0, ledger.admitted());
        for (InetAddress client : clients) {
            admit(ledger, client, perIp);
            assertTrue(ledger.tryAcquire(client).isEmpty(), client + " was left more than its limit");
        }
    }

    private static List<Permit> admit(AdmissionLedger ledger, InetAddress client, int count) {
        List<Permit> permits = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            permits.add(ledger.tryAcquire(client).orElseThrow(() -> new AssertionError(client + " refused")));
        }
        return permits;
    }

    /** Counts the calls of {@code ledger}'s room listeners. */
    private static AtomicInteger roomCalls(AdmissionLedger ledger) {
        AtomicInteger calls = new AtomicInteger();
        ledger.onRoom(calls::incrementAndGet);
        return calls;
    }

    private static void awaitUninterruptibly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static InetAddress address(int... bytes) {
        byte[] address = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            address[i] = (byte) bytes[i];
        }
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException impossible) {
            throw new IllegalArgumentException(impossible);
        }
    }
}

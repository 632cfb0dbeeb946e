package dev.shout.server.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.admission.AdmissionLedger;
import dev.shout.server.pipeline.ConnectionState;
import dev.shout.server.process.link.DescriptorPairing;
import dev.shout.server.process.link.LinkMessage;
import dev.shout.server.process.link.LinkMessage.AcceptUntil;
import dev.shout.server.process.link.LinkMessage.HandedOver;
import dev.shout.server.process.link.LinkMessage.LeaseAnswer;
import dev.shout.server.process.link.LinkMessage.LeaseRequest;
import dev.shout.server.process.link.LinkMessage.ListeningSocket;
import dev.shout.server.process.link.LinkMessage.MigrateConnection;
import dev.shout.server.process.link.LinkMessage.MigratedConnection;
import dev.shout.server.process.supervision.SupervisedPool;
import dev.shout.server.process.supervision.WorkerHandle;
import dev.shout.server.transport.HandOffServerChannel;
import dev.shout.server.transport.ServiceSocket;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import java.time.Duration;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link SharedAccept}, the master's side of {@code --accept workers}, against a real ledger and
 * links whose messages are read back: leases granted within the limits, requests held while the
 * server is full, workers told how many clients they may take, leases moving with live connections.
 */
@Timeout(10)
class SharedAcceptTest {

    private static final InetAddress A = address("127.0.0.2");
    private static final InetAddress B = address("127.0.0.3");

    private final AdmissionLedger ledger = new AdmissionLedger(3, 2, peer -> false);
    private final SlotTotals[] totals = {null, new SlotTotals(), new SlotTotals()};
    private final SharedAccept accept = new SharedAccept(ledger, slot -> totals[slot], 100);
    private final SupervisedPool pool = SupervisedPool.serving(2);
    private final HandOffServerChannel server = listeningSocket();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void close() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
        server.unsafe().closeForcibly();
    }

    @Test
    void aReadyWorkerIsGivenTheSocketThenAnAllowance() {
        accept.listening(server);
        EmbeddedChannel link = ready(pool.worker(1000));
        assertEquals(new ListeningSocket(0), link.readOutbound());
        assertEquals(new AcceptUntil(AcceptBalance.MIN_LEAD, false), link.readOutbound());
    }

    @Test
    void leasesAreGrantedWithinThePerAddressLimitAndCountedOpenedWhenUsed() {
        accept.listening(server);
        WorkerHandle worker = pool.worker(1000);
        EmbeddedChannel link = ready(worker);
        drain(link);
        for (long lease = 1; lease <= 3; lease++) {
            accept.leaseRequested(worker, new LeaseRequest(lease, A));
        }
        assertEquals(List.of(new LeaseAnswer(1, true), new LeaseAnswer(2, true), new LeaseAnswer(3, false)), drain(link));
        assertEquals(2, ledger.admitted());
        assertEquals(1, ledger.refusedTotal());
        accept.accepted(worker, 1);
        accept.accepted(worker, 3);
        assertEquals(1, totals[1].openedCount(), "a refused lease was counted opened");
        accept.released(worker, 1);
        assertEquals(1, ledger.admitted());
    }

    @Test
    void whileTheLedgerIsFullRequestsWaitAndEveryWorkerPausesUntilRoomIsMade() {
        accept.listening(server);
        WorkerHandle first = pool.worker(1000);
        WorkerHandle second = pool.worker(1001);
        EmbeddedChannel firstLink = ready(first);
        EmbeddedChannel secondLink = ready(second);
        drain(firstLink);
        drain(secondLink);
        accept.leaseRequested(first, new LeaseRequest(1, A));
        accept.leaseRequested(first, new LeaseRequest(2, A));
        accept.leaseRequested(second, new LeaseRequest(1, B));
        drain(firstLink);
        accept.leaseRequested(second, new LeaseRequest(2, B));
        List<LinkMessage> toSecond = drain(secondLink);
        assertEquals(new LeaseAnswer(1, true), toSecond.get(0));
        assertEquals(new AcceptUntil(2, true), toSecond.get(toSecond.size() - 1), "the second worker was not paused");
        assertEquals(List.of(new AcceptUntil(2, true)), drain(firstLink), "the first worker was not paused");

        accept.released(first, 1);
        accept.capacityChanged();
        assertEquals(List.of(new LeaseAnswer(2, true)), drain(secondLink), "full again: the pause goes on");
        assertEquals(3, ledger.admitted());

        accept.released(second, 1);
        accept.capacityChanged();
        assertEquals(new AcceptUntil(2 + AcceptBalance.MIN_LEAD, false), lastUntil(drain(secondLink)));
    }

    @Test
    void aWorkerAheadIsToldToStopAndTheOtherLetsItGoOnOnceItCatchesUp() {
        AdmissionLedger roomy = new AdmissionLedger(1000, 0, peer -> false);
        SharedAccept balanced = new SharedAccept(roomy, slot -> totals[slot], 100);
        balanced.listening(server);
        WorkerHandle first = pool.worker(1000);
        WorkerHandle second = pool.worker(1001);
        EmbeddedChannel firstLink = ready(balanced, first);
        EmbeddedChannel secondLink = ready(balanced, second);
        drain(firstLink);
        drain(secondLink);
        for (long lease = 1; lease <= AcceptBalance.MIN_LEAD; lease++) {
            balanced.leaseRequested(first, new LeaseRequest(lease, A));
        }
        assertNull(lastUntil(drain(firstLink)), "told to take more while ahead by the whole lead");
        balanced.leaseRequested(second, new LeaseRequest(1, B));
        assertEquals(new AcceptUntil(AcceptBalance.MIN_LEAD + 1, false), lastUntil(drain(firstLink)));
    }

    @Test
    void aWorkerGoneGivesItsLeasesBack() {
        accept.listening(server);
        WorkerHandle worker = pool.worker(1000);
        ready(worker);
        accept.leaseRequested(worker, new LeaseRequest(1, A));
        accept.workerGone(worker, true);
        assertEquals(0, ledger.admitted());
    }

    @Test
    void aMovedConnectionTakesItsLeaseToTheReplacementUnreleasedUnderAnIdNoWorkerUses() {
        accept.listening(server);
        WorkerHandle old = pool.worker(1000);
        WorkerHandle replacement = pool.worker(1001);
        EmbeddedChannel toOld = ready(old);
        EmbeddedChannel toNew = ready(replacement);
        accept.leaseRequested(old, new LeaseRequest(1, A));
        accept.accepted(old, 1);
        accept.moveConnections(old, replacement);
        drain(toOld);
        drain(toNew);

        ConnectionState state = new ConnectionState(new byte[] {(byte) 0xc3}, Duration.ofSeconds(2));
        EpollSocketChannel socket = new EpollSocketChannel();
        accept.moving(old, new MigrateConnection(0, 1, state), new FileDescriptor(socket.fd().intValue()));
        accept.released(old, 1); // a stray release of the old lease must not give the place back
        assertEquals(1, ledger.admitted());
        MigratedConnection sent = assertInstanceOf(MigratedConnection.class, drain(toNew).get(0));
        assertTrue(sent.connection() < 0, "sent under an id the new worker may use for its own leases");
        assertEquals(state, sent.state());

        accept.migrated(replacement, sent.connection());
        assertEquals(List.of(new HandedOver(1)), drain(toOld));
        assertEquals(1L, accept.migrations().byResult().get("ok"));
        assertEquals(1, totals[1].openedCount() + totals[2].openedCount(), "the moved client was counted opened again");
        assertEquals(1, ledger.admitted());
        accept.released(replacement, sent.connection());
        assertEquals(0, ledger.admitted());
    }

    private EmbeddedChannel ready(WorkerHandle worker) {
        return ready(accept, worker);
    }

    /** Makes {@code worker} ready with a link of two sockets; returns its framed socket. */
    private EmbeddedChannel ready(SharedAccept shared, WorkerHandle worker) {
        EmbeddedChannel messages = channel();
        MasterLink link = new MasterLink(worker, messages, new DescriptorPairing((message, descriptor) -> { }));
        link.attachDescriptors(channel());
        shared.workerReady(worker, link);
        return messages;
    }

    private EmbeddedChannel channel() {
        EmbeddedChannel channel = new EmbeddedChannel();
        channels.add(channel);
        return channel;
    }

    private static List<LinkMessage> drain(EmbeddedChannel link) {
        List<LinkMessage> messages = new ArrayList<>();
        for (Object message; (message = link.readOutbound()) != null; ) {
            messages.add(assertInstanceOf(LinkMessage.class, message));
        }
        return messages;
    }

    private static AcceptUntil lastUntil(List<LinkMessage> messages) {
        AcceptUntil last = null;
        for (LinkMessage message : messages) {
            if (message instanceof AcceptUntil until) {
                last = until;
            }
        }
        return last;
    }

    /** A listening socket whose descriptor the workers are sent, made as the master makes its own. */
    private static HandOffServerChannel listeningSocket() {
        Epoll.ensureAvailability();
        return new ServiceSocket(InetAddress.getLoopbackAddress().getHostAddress(), 0, Optional.empty()).newHandOffChannel(1);
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }
}

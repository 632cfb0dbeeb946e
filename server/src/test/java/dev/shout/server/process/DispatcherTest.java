package dev.shout.server.process;

import dev.shout.server.process.link.DescriptorPairing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.admission.AdmissionLedger;
import dev.shout.server.process.link.LinkMessage.AdmissionAnswer;
import dev.shout.server.process.link.LinkMessage.AdmissionRequest;
import dev.shout.server.process.supervision.SupervisedPool;
import dev.shout.server.process.supervision.WorkerHandle;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link Dispatcher#admit}: a worker may have a connection admitted under the client it learned
 * only if it holds that connection, so that no request can charge the ledger for nothing.
 *
 * <p>Only refusals are tested here: a connection gets held by being handed off, and a hand-off
 * takes a real socket ({@code AcceptedSocket}); the granted path (the old permit replaced, the new
 * address charged) is left to the process-mode tests over real sockets.
 */
@Timeout(10)
class DispatcherTest {

    private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();
    private static final long CONNECTION = 5;

    private final AdmissionLedger ledger = new AdmissionLedger(10, 1, peer -> false);
    private final Dispatcher dispatcher = new Dispatcher(ledger, slot -> new SlotTotals(), 100);
    private final WorkerHandle worker = SupervisedPool.serving(1).worker(1000);
    private final EmbeddedChannel link = new EmbeddedChannel();

    @AfterEach
    void closeTheLink() {
        link.finishAndReleaseAll();
    }

    @Test
    void aConnectionItsWorkerDoesNotHoldIsRefusedAndChargesNothing() {
        dispatcher.workerReady(worker, new MasterLink(worker, link, new DescriptorPairing((message, descriptor) -> { })));
        assertRefusedUncharged();
    }

    @Test
    void aWorkerTheDispatcherDoesNotKnowIsRefused() {
        assertRefusedUncharged();
    }

    @Test
    void aWorkerGoneIsRefused() {
        dispatcher.workerReady(worker, new MasterLink(worker, link, new DescriptorPairing((message, descriptor) -> { })));
        dispatcher.workerGone(worker, false);
        assertRefusedUncharged();
    }

    private void assertRefusedUncharged() {
        assertEquals(new AdmissionAnswer(CONNECTION, false),
                dispatcher.admit(worker, new AdmissionRequest(CONNECTION, CLIENT)));
        assertEquals(0, ledger.admitted());
        assertEquals(0, ledger.refusedTotal(), "counted as refused for its address");
        assertTrue(ledger.tryAcquire(CLIENT).isPresent(), "the address lost its place");
    }
}

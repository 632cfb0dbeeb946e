package dev.shout.server.process;

import dev.shout.server.process.link.DescriptorPairing;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.admission.AdmissionLedger;
import dev.shout.server.config.ConnectionPolicy;
import dev.shout.server.config.ProxyProtocol;
import dev.shout.server.config.ProxyProtocolPolicy;
import dev.shout.server.config.WorkerSettings;
import dev.shout.server.process.link.LinkCodec;
import dev.shout.server.process.link.LinkMessage;
import dev.shout.server.process.link.LinkMessage.Configure;
import dev.shout.server.process.link.LinkMessage.Draining;
import dev.shout.server.process.link.LinkMessage.Heartbeat;
import dev.shout.server.process.link.LinkMessage.Hello;
import dev.shout.server.process.link.LinkMessage.Refused;
import dev.shout.server.process.link.LinkMessage.Sender;
import dev.shout.server.process.link.LinkMessage.TimedOut;
import dev.shout.server.process.supervision.FakeLauncher;
import dev.shout.server.process.supervision.SupervisedPool;
import dev.shout.server.process.supervision.WorkerHandle;
import dev.shout.server.process.supervision.WorkerHandle.State;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import dev.shout.server.transform.TransformKind;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The master's reading of a worker's link, over its real codec: a worker's hello in this master's
 * protocol is answered with its settings, and nothing else; anything else first, or another
 * protocol version, closes the link and leaves the worker unready; the latter is killed.
 */
@Timeout(10)
class MasterLinkHandlerTest {

    private final SupervisedPool pool = SupervisedPool.started(1);
    private final WorkerHandle worker = pool.worker(FakeLauncher.FIRST_PID);
    private final SlotTotals totals = new SlotTotals();
    private final EmbeddedChannel messages = new EmbeddedChannel();
    private final EmbeddedChannel descriptors = new EmbeddedChannel();
    private final MasterLink link = new MasterLink(worker, messages, new DescriptorPairing((message, descriptor) -> { }));
    private final Configure configure = new Configure(new WorkerSettings(2,
            new ConnectionPolicy(TransformKind.ECHO, Duration.ofMinutes(5), Duration.ofSeconds(30), 65_536,
                    Duration.ofSeconds(60)),
            new ProxyProtocolPolicy(ProxyProtocol.OFF, List.of(), Duration.ofSeconds(5)), Optional.empty(), 100,
            Duration.ofSeconds(10), Duration.ofSeconds(5)));

    MasterLinkHandlerTest() {
        messages.pipeline().addLast(new LinkCodec(Sender.WORKER), new MasterLinkHandler(link, pool.supervisor(),
                new Dispatcher(new AdmissionLedger(10, 0, peer -> false), slot -> totals, 10), totals, configure));
    }

    @AfterEach
    void closeTheLink() {
        messages.finishAndReleaseAll();
        descriptors.finishAndReleaseAll();
    }

    @Test
    void aWorkerThatSaysHelloInThisProtocolIsSentItsSettingsAndNothingElse() {
        receive(new Hello(LinkMessage.PROTOCOL_VERSION, "1.2.3"));
        assertEquals(List.of(configure), sent());
        assertEquals("1.2.3", link.buildVersion(), "the build shout_build_info reports");
        assertEquals(State.STARTING, worker.state(), "ready before it set itself up and connected its descriptor socket");
        link.attachDescriptors(descriptors);
        assertTrue(link.complete());
        assertTrue(messages.isOpen());
    }

    @Test
    void aWorkerSpeakingAnotherProtocolVersionIsRefused() {
        link.attachDescriptors(descriptors);
        receive(new Hello(LinkMessage.PROTOCOL_VERSION + 1, "9.9.9"));
        assertEquals(State.RETIRING, worker.state(), "never ready, and sent nothing");
        assertFalse(messages.isOpen(), "the link of a worker it cannot understand stays open");
        assertFalse(descriptors.isOpen(), "its descriptor socket outlives the link");
        assertEquals(1, pool.process(FakeLauncher.FIRST_PID).kills(), "a worker that can serve nothing here lives on");
        assertEquals(List.of(), sent(), "settings for a worker that cannot read them");
    }

    @Test
    void anyMessageBeforeHelloClosesTheLink() {
        link.attachDescriptors(descriptors);
        receive(Heartbeat.NONE);
        assertFalse(messages.isOpen());
        assertEquals(State.RETIRING, worker.state(), "never ready, and sent nothing");
    }

    @Test
    void heartbeatsAddOnlyTheirGrowthToTheSlotsTotals() {
        link.attachDescriptors(descriptors);
        receive(new Hello(LinkMessage.PROTOCOL_VERSION, "1.2.3"));
        receive(new Heartbeat(1, 100, 90, 0, new TimedOut(1, 0, 0), new Refused(List.of(2L, 1L, 0L))));
        receive(new Heartbeat(1, 150, 140, 0, new TimedOut(3, 1, 0), new Refused(List.of(5L, 1L, 4L))));
        assertEquals(150, totals.received());
        assertEquals(140, totals.sent());
        assertEquals(new TimedOut(3, 1, 0), totals.timedOut());
        assertEquals(new Refused(List.of(5L, 1L, 4L)), totals.refused());
    }

    @Test
    void aWorkerDrainingOnItsOwnIsRetiredAndSentNothingMore() {
        link.attachDescriptors(descriptors);
        receive(new Hello(LinkMessage.PROTOCOL_VERSION, "1.2.3"));
        receive(new Draining());
        assertEquals(State.RETIRING, worker.state());
        // An embedded channel has no output of its own to shut: the link closes it instead.
        assertFalse(messages.isOpen(), "the worker is never told that nothing more comes");
    }

    /** The frames the master wrote on the link, read back as the worker's codec reads them. */
    private List<LinkMessage> sent() {
        List<LinkMessage> sent = new ArrayList<>();
        for (ByteBuf out; (out = messages.readOutbound()) != null; out.release()) {
            while (out.isReadable()) {
                sent.add(LinkCodec.readFrame(out, Sender.MASTER));
            }
        }
        return sent;
    }

    private void receive(LinkMessage message) {
        ByteBuf frame = Unpooled.buffer();
        LinkCodec.writeFrame(message, frame);
        messages.writeInbound(frame);
        messages.runPendingTasks();
    }
}

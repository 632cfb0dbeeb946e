package dev.shout.server.process.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.shout.server.process.link.LinkMessage.Accepted;
import dev.shout.server.process.link.LinkMessage.LeaseRequest;
import dev.shout.server.process.link.LinkMessage.Released;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When the worker's reports reach the master: a lease request, which a client waits for, in the
 * link loop's next turn; bookkeeping within {@link LinkReporter#BOOKKEEPING_DELAY_MICROS}, or
 * sooner with anything else that goes out. The link is an {@link EmbeddedChannel} on a clock
 * the test moves, without a codec, so what goes out is read back as the records themselves.
 */
class LinkReporterTest {

    private final EmbeddedChannel link = new EmbeddedChannel();
    private final LinkReporter reporter = new LinkReporter(link);

    @BeforeEach
    void stopTheClock() {
        link.freezeTime();
    }

    @AfterEach
    void nothingElseWasSent() {
        assertNull(link.readOutbound(), "sent more than the test looked at");
        link.finishAndReleaseAll();
    }

    @Test
    void aClosedConnectionWaitsForTheBookkeepingDelay() {
        reporter.released(7);
        link.runPendingTasks();
        assertNull(link.readOutbound(), "sent before the delay");
        link.advanceTimeBy(LinkReporter.BOOKKEEPING_DELAY_MICROS - 1, TimeUnit.MICROSECONDS);
        link.runScheduledPendingTasks();
        assertNull(link.readOutbound(), "sent before the delay");
        link.advanceTimeBy(1, TimeUnit.MICROSECONDS);
        link.runScheduledPendingTasks();
        assertEquals(new Released(7), link.readOutbound());
    }

    @Test
    void bookkeepingWithinTheDelayGoesOutTogetherInOrder() {
        reporter.reportLater(new Accepted(1));
        reporter.released(2);
        reporter.reportLater(new Accepted(3));
        link.advanceTimeBy(LinkReporter.BOOKKEEPING_DELAY_MICROS, TimeUnit.MICROSECONDS);
        link.runScheduledPendingTasks();
        assertEquals(new Accepted(1), link.readOutbound());
        assertEquals(new Released(2), link.readOutbound());
        assertEquals(new Accepted(3), link.readOutbound());
    }

    @Test
    void aLeaseRequestGoesInTheNextTurnAndTakesTheWaitingBookkeepingAlong() {
        InetAddress client = InetAddress.getLoopbackAddress();
        reporter.released(1);
        reporter.report(new LeaseRequest(2, client));
        link.runPendingTasks();
        assertEquals(new Released(1), link.readOutbound());
        assertEquals(new LeaseRequest(2, client), link.readOutbound());
        // The delayed batch that was scheduled finds nothing left to send.
        link.advanceTimeBy(LinkReporter.BOOKKEEPING_DELAY_MICROS, TimeUnit.MICROSECONDS);
        link.runScheduledPendingTasks();
    }

    @Test
    void aFlushOfTheLinkTakesTheWaitingBookkeepingAlong() {
        reporter.released(4);
        reporter.flush();
        assertEquals(new Released(4), link.readOutbound());
    }

    @Test
    void bookkeepingAfterABatchStartsADelayOfItsOwn() {
        reporter.released(1);
        link.advanceTimeBy(LinkReporter.BOOKKEEPING_DELAY_MICROS, TimeUnit.MICROSECONDS);
        link.runScheduledPendingTasks();
        assertEquals(new Released(1), link.readOutbound());
        reporter.released(2);
        link.runPendingTasks();
        assertNull(link.readOutbound(), "sent before its own delay");
        link.advanceTimeBy(LinkReporter.BOOKKEEPING_DELAY_MICROS, TimeUnit.MICROSECONDS);
        link.runScheduledPendingTasks();
        assertEquals(new Released(2), link.readOutbound());
    }
}

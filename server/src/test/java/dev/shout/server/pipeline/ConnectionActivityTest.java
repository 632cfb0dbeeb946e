package dev.shout.server.pipeline;

import static dev.shout.server.pipeline.EmbeddedChannels.PROXY_OFF;
import static dev.shout.server.pipeline.EmbeddedChannels.holdingHalfACharacter;
import static dev.shout.server.pipeline.EmbeddedChannels.policy;
import static dev.shout.server.pipeline.EmbeddedChannels.sentText;
import static dev.shout.server.pipeline.EmbeddedChannels.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shout.server.transform.TransformKind;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What {@link ConnectionActivity} counts per connection and when the process's {@link Traffic} gets it. */
@Timeout(10)
class ConnectionActivityTest {

    private final Traffic traffic = new Traffic();
    private final EmbeddedChannel ch = new EmbeddedChannel(new ShoutChannelInitializer(policy(TransformKind.UPPER),
            PROXY_OFF, new OpenConnections(), traffic, new TimedOutConnections(policy(TransformKind.UPPER)),
            new Refusals(PROXY_OFF, Optional.empty()), Optional.empty()));

    @Test
    void countsTheConnectionAsOpened() {
        assertEquals(1, traffic.opened());
        ch.finishAndReleaseAll();
    }

    @Test
    void countsEveryByteReceivedAndSentByTheEndOfTheReadBatch() {
        ch.pipeline().fireChannelRead(utf8("héllo"));
        ch.pipeline().fireChannelRead(utf8(" you"));
        assertEquals(0, traffic.received(), "added per batch, not per message");
        ch.pipeline().fireChannelReadComplete();
        assertEquals("HÉLLO YOU", sentText(ch));
        ConnectionActivity activity = ch.pipeline().get(ConnectionActivity.class);
        assertEquals(10, activity.received());
        assertEquals(10, activity.sent());
        assertEquals(10, traffic.received());
        assertEquals(10, traffic.sent());
        ch.finishAndReleaseAll();
    }

    @Test
    void countsWhatIsSentOutsideAReadBatchWhenTheConnectionCloses() {
        holdingHalfACharacter(ch);
        assertEquals(2, traffic.sent());
        ch.pipeline().fireUserEventTriggered(CloseAfterFlushEvent.INSTANCE);
        assertEquals(3, traffic.sent(), "the held byte, sent and counted at the close");
        ch.finishAndReleaseAll();
    }
}

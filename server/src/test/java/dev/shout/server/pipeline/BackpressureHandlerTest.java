package dev.shout.server.pipeline;

import static dev.shout.server.pipeline.EmbeddedChannels.sent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Writability driven by a tiny write buffer water mark on an {@link EmbeddedChannel}. */
@Timeout(10)
class BackpressureHandlerTest {

    private static final int HIGH_WATER_MARK = 8;
    private static final int OWED = 2 * HIGH_WATER_MARK;

    private EmbeddedChannel ch;

    @AfterEach
    void nothingWasLeftUnreadOrFailed() {
        assertFalse(ch.finishAndReleaseAll(), "the channel sent messages no test looked at");
    }

    @Test
    void stopsReadingWhileTheClientIsOwedMoreThanTheHighWaterMark() {
        ch = channel();
        assertTrue(ch.config().isAutoRead(), "reads before anything is owed");
        oweMoreThanTheHighWaterMark();
        assertFalse(ch.config().isAutoRead());
    }

    @Test
    void readsAgainOnceWhatIsOwedIsSent() {
        ch = channel();
        oweMoreThanTheHighWaterMark();
        assertFalse(ch.config().isAutoRead(), "precondition: reading stopped");
        ch.flush();
        assertTrue(ch.isWritable());
        assertTrue(ch.config().isAutoRead());
        assertEquals(OWED, sent(ch).length);
    }

    @Test
    void handlersAfterItStillHearOfTheChange() {
        int[] changes = {0};
        ch = channel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelWritabilityChanged(ChannelHandlerContext ctx) {
                changes[0]++;
            }
        });
        oweMoreThanTheHighWaterMark();
        ch.flush();
        assertEquals(2, changes[0], "unwritable, then writable again");
        assertEquals(OWED, sent(ch).length);
    }

    @Test
    void leavesReadingAloneOnceTheClientHalfClosed() {
        SocketLikeChannel socket = new SocketLikeChannel(BackpressureHandler.INSTANCE);
        ch = socket;
        socket.config().setWriteBufferWaterMark(new WriteBufferWaterMark(HIGH_WATER_MARK / 2, HIGH_WATER_MARK));
        socket.clientHalfClosed();
        oweMoreThanTheHighWaterMark();
        assertTrue(ch.config().isAutoRead(), "stopped reading a client with nothing left to send");
        ch.flush();
        assertTrue(ch.config().isAutoRead());
        assertEquals(OWED, sent(ch).length);
    }

    private static EmbeddedChannel channel(ChannelHandler... after) {
        EmbeddedChannel channel = new EmbeddedChannel(BackpressureHandler.INSTANCE);
        channel.pipeline().addLast(after);
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(HIGH_WATER_MARK / 2, HIGH_WATER_MARK));
        return channel;
    }

    /** Writes past the high water mark without flushing: the bytes stay owed. */
    private void oweMoreThanTheHighWaterMark() {
        ch.write(Unpooled.buffer(OWED).writeZero(OWED));
        assertFalse(ch.isWritable(), "precondition: the channel is unwritable");
    }
}

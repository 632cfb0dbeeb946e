package dev.shout.server.pipeline;

import static dev.shout.server.pipeline.EmbeddedChannels.E_ACUTE_LEAD;
import static dev.shout.server.pipeline.EmbeddedChannels.assertTimesOutAfter;
import static dev.shout.server.pipeline.EmbeddedChannels.bytes;
import static dev.shout.server.pipeline.EmbeddedChannels.connection;
import static dev.shout.server.pipeline.EmbeddedChannels.holdingHalfACharacter;
import static dev.shout.server.pipeline.EmbeddedChannels.initializer;
import static dev.shout.server.pipeline.EmbeddedChannels.sent;
import static dev.shout.server.pipeline.EmbeddedChannels.sentText;
import static dev.shout.server.pipeline.EmbeddedChannels.stall;
import static dev.shout.server.pipeline.EmbeddedChannels.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.pipeline.EmbeddedChannels.StalledPeer;
import dev.shout.server.transform.TransformKind;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.channel.socket.DuplexChannel;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The handler inside the pipeline {@link ShoutChannelInitializer} builds, on an
 * {@link EmbeddedChannel}. The initializer runs there as it is: the two socket options it
 * sets (half-closure, no delay) are unknown to an EmbeddedChannel's config and ignored.
 *
 * <p>An EmbeddedChannel is no {@link DuplexChannel}: it cannot shut its output, so on a drain
 * the handler closes it instead. {@link SocketLikeChannel} can, for the path sockets take.
 */
@Timeout(10)
class TransformHandlerTest {

    private final TimedOutConnections timedOut = new TimedOutConnections(EmbeddedChannels.policy(TransformKind.UPPER));
    private EmbeddedChannel ch;

    @AfterEach
    void nothingWasLeftUnreadOrFailed() {
        assertFalse(ch.finishAndReleaseAll(), "the channel sent or passed on messages no test looked at");
    }

    @Test
    void uppercasesWhatComesInAndSendsItBackInOrder() {
        ch = connection(TransformKind.UPPER, new OpenConnections());
        ch.writeInbound(utf8("hello, "));
        ch.writeInbound(utf8("wörld"));
        ch.writeInbound(utf8("!"));
        assertEquals("HELLO, WÖRLD!", sentText(ch));
    }

    @Test
    void aCharacterSplitAcrossTwoReadsComesOutWhole() {
        ch = connection(TransformKind.UPPER, new OpenConnections());
        ch.writeInbound(bytes((byte) 'n', (byte) 'a', E_ACUTE_LEAD));
        ch.writeInbound(bytes((byte) 0xA9, (byte) 'e'));
        assertEquals("NAÉE", sentText(ch));
    }

    @Test
    void onInputShutdownTheHeldBytesAreSentUnchangedAndTheChannelCloses() {
        ch = holdingHalfACharacter(connection(TransformKind.UPPER, new OpenConnections()));
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertArrayEquals(new byte[] {E_ACUTE_LEAD}, sent(ch));
        assertFalse(ch.isOpen());
    }

    @Test
    void halfClosedClientGetsEveryOwedByteEvenWhenItReadsSlowly() {
        SocketLikeChannel socket = socket();
        StalledPeer peer = stall(socket);
        socket.writeInbound(utf8("hello"));
        socket.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertTrue(socket.isOpen(), "closed while the client was still owed bytes");
        peer.resume();
        assertEquals("HELLO", sentText(socket));
        assertFalse(socket.isOpen());
    }

    @Test
    void halfClosedClientThatReadsNothingIsClosedAfterTheHalfClosedTimeoutAndCounted() {
        SocketLikeChannel socket = socket();
        socket.freezeTime();
        stall(socket);
        socket.writeInbound(utf8("hello"));
        socket.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertTimesOutAfter(socket, EmbeddedChannels.policy(TransformKind.UPPER).halfClosedTimeout(), timedOut,
                TimedOutConnections.Cause.HALF_CLOSED);
    }

    @Test
    void onDrainTheOwedBytesAreSentAndAChannelThatCannotShutItsOutputIsClosed() {
        ch = holdingHalfACharacter(connection(TransformKind.UPPER, new OpenConnections()));
        ch.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        assertArrayEquals(new byte[] {E_ACUTE_LEAD}, sent(ch));
        assertFalse(ch.isOpen());
    }

    @Test
    void onDrainASocketSendsWhatItOwesThenShutsItsOutputAndStaysOpenForTheClientToLeave() {
        SocketLikeChannel socket = holdingHalfACharacter(socket());
        socket.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        assertArrayEquals(new byte[] {E_ACUTE_LEAD}, sent(socket));
        assertTrue(socket.isOutputShutdown());
        assertTrue(socket.isOpen());
    }

    @Test
    void afterDrainWhatStillComesInIsReleasedAndNotSentBack() {
        SocketLikeChannel socket = socket();
        socket.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        ByteBuf late = utf8("late");
        socket.writeInbound(late);
        assertEquals(0, late.refCnt(), "a discarded read must be released");
        assertEquals("", sentText(socket));
    }

    @Test
    void afterDrainTheClientLeavingClosesTheConnection() {
        SocketLikeChannel socket = socket();
        socket.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        socket.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertFalse(socket.isOpen());
        assertEquals("", sentText(socket), "nothing was owed");
    }

    @Test
    void halfClosedClientGetsEveryOwedByteDuringADrain() {
        SocketLikeChannel socket = socket();
        StalledPeer peer = stall(socket);
        socket.writeInbound(utf8("hello"));
        socket.pipeline().fireUserEventTriggered(DrainEvent.INSTANCE);
        socket.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        peer.resume();
        assertEquals("HELLO", sentText(socket));
        assertFalse(socket.isOpen());
    }

    @Test
    void otherUserEventsArePassedOn() {
        ch = connection(TransformKind.UPPER, new OpenConnections());
        List<Object> heard = new ArrayList<>();
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                heard.add(evt);
            }
        });
        ch.pipeline().fireUserEventTriggered("an event of another handler");
        assertEquals(List.of("an event of another handler"), heard);
        assertTrue(ch.isOpen());
    }

    private SocketLikeChannel socket() {
        SocketLikeChannel socket = new SocketLikeChannel(
                initializer(EmbeddedChannels.policy(TransformKind.UPPER), new OpenConnections(), timedOut));
        ch = socket;
        return socket;
    }
}

package dev.shout.server.pipeline;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.config.ConnectionPolicy;
import dev.shout.server.config.ProxyProtocol;
import dev.shout.server.config.ProxyProtocolPolicy;
import dev.shout.server.transform.TransformKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Client connections as the server builds them, run on {@link EmbeddedChannel}s, and what
 * they send back.
 *
 * <p>{@code EmbeddedEventLoop.inEventLoop()} is true for every thread, so whatever a test
 * (or code it calls, like {@code OpenConnections.drain}) fires into the pipeline runs at once,
 * on the calling thread.
 */
final class EmbeddedChannels {

    /** {@code --proxy-protocol off}, the default. */
    static final ProxyProtocolPolicy PROXY_OFF = new ProxyProtocolPolicy(ProxyProtocol.OFF, List.of(),
            Duration.ofSeconds(5));

    /** The lead byte of "é" (C3 A9): the transform holds it until the rest of the character comes. */
    static final byte E_ACUTE_LEAD = (byte) 0xC3;

    private EmbeddedChannels() {
    }

    /** The server's default limits, with {@code transform}. */
    static ConnectionPolicy policy(TransformKind transform) {
        return new ConnectionPolicy(transform, Duration.ofMinutes(5), Duration.ofSeconds(30), 65_536,
                Duration.ofMinutes(1));
    }

    /** A connection with the pipeline {@link ShoutChannelInitializer} builds. */
    static EmbeddedChannel connection(TransformKind transform, OpenConnections connections) {
        return new EmbeddedChannel(initializer(policy(transform), connections));
    }

    static ShoutChannelInitializer initializer(ConnectionPolicy policy, OpenConnections connections) {
        return initializer(policy, connections, new TimedOutConnections(policy));
    }

    static ShoutChannelInitializer initializer(ConnectionPolicy policy, OpenConnections connections,
            TimedOutConnections timedOut) {
        return new ShoutChannelInitializer(policy, PROXY_OFF, connections, new Traffic(), timedOut,
                new Refusals(PROXY_OFF, Optional.empty()), Optional.empty());
    }

    /**
     * A connection with the pipeline {@code initializer} builds, on a clock that stops before
     * any handler reads it: only {@link #after} moves it, so timeouts fire when a test says.
     */
    static EmbeddedChannel onFrozenClock(ShoutChannelInitializer initializer) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.freezeTime();
        ch.pipeline().addLast(initializer);
        return ch;
    }

    /** Moves the channel's clock on and runs what has come due. */
    static void after(EmbeddedChannel ch, long millis) {
        ch.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        ch.runPendingTasks();
    }

    /**
     * Checks that {@code ch} is open a millisecond before {@code timeout} from now and closed at
     * it, counted in {@code timedOut} as closed by {@code cause} and by nothing else.
     */
    static void assertTimesOutAfter(EmbeddedChannel ch, Duration timeout, TimedOutConnections timedOut,
            TimedOutConnections.Cause cause) {
        after(ch, timeout.toMillis() - 1);
        assertTrue(ch.isOpen(), "closed before its timeout");
        assertEquals(0L, timedOut.totals().get(cause.label()));
        after(ch, 1);
        assertFalse(ch.isOpen(), "still open at its timeout");
        Map<String, Long> closedByCause = new HashMap<>();
        for (TimedOutConnections.Cause each : TimedOutConnections.Cause.values()) {
            closedByCause.put(each.label(), each == cause ? 1L : 0L);
        }
        assertEquals(closedByCause, timedOut.totals());
    }

    /** A copy: the transforms change ASCII in place, which must not reach the caller's array. */
    static ByteBuf bytes(byte... bytes) {
        return Unpooled.copiedBuffer(bytes);
    }

    static ByteBuf utf8(String text) {
        return Unpooled.copiedBuffer(text, UTF_8);
    }

    /** Everything the channel has sent and nobody has read yet; each buffer read is released. */
    static byte[] sent(EmbeddedChannel ch) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (ByteBuf buf; (buf = ch.readOutbound()) != null; ) {
            try {
                out.writeBytes(ByteBufUtil.getBytes(buf));
            } finally {
                buf.release();
            }
        }
        return out.toByteArray();
    }

    static String sentText(EmbeddedChannel ch) {
        return new String(sent(ch), UTF_8);
    }

    /** Puts a peer that does not read in front of the channel's wire. */
    static StalledPeer stall(EmbeddedChannel channel) {
        StalledPeer peer = new StalledPeer();
        channel.pipeline().addFirst(peer);
        return peer;
    }

    /**
     * Sends "ab" and the first byte of "é" to an uppercasing connection, checks that "AB" came
     * back, and returns the channel, which now owes the client the held byte.
     */
    static <C extends EmbeddedChannel> C holdingHalfACharacter(C ch) {
        ch.writeInbound(bytes((byte) 'a', (byte) 'b', E_ACUTE_LEAD));
        assertEquals("AB", sentText(ch), "sent before the character was cut");
        return ch;
    }

    /**
     * A client that is not reading: flushes stop short of the wire until {@link #resume()}, so
     * what the server writes stays owed in its outbound buffer, as on a socket whose peer's
     * receive window is full.
     */
    static final class StalledPeer extends ChannelOutboundHandlerAdapter {

        private ChannelHandlerContext ctx;
        private boolean stalled = true;

        @Override
        public void handlerAdded(ChannelHandlerContext ctx) {
            this.ctx = ctx;
        }

        @Override
        public void flush(ChannelHandlerContext ctx) {
            if (!stalled) {
                ctx.flush();
            }
        }

        void resume() {
            stalled = false;
            ctx.flush();
        }
    }
}

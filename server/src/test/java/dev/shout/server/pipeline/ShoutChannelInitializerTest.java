package dev.shout.server.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.config.ConnectionPolicy;
import dev.shout.server.transform.TransformKind;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ShoutChannelInitializerTest {

    private final OpenConnections connections = new OpenConnections();
    private final List<EmbeddedChannel> channels = new ArrayList<>();

    @AfterEach
    void closeEveryChannel() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void buildsActivityThenTimeoutsThenBackpressureThenTransformThenErrorHandling() {
        assertEquals(List.of(ConnectionActivity.class, StalledReaderHandler.class, BackpressureHandler.class,
                TransformHandler.class, ConnectionErrorHandler.class), handlerClasses(connection()));
    }

    @Test
    void withTheIdleTimeoutOffAQuietConnectionStaysOpen() {
        ConnectionPolicy noIdleTimeout = new ConnectionPolicy(TransformKind.UPPER, Duration.ZERO,
                Duration.ofSeconds(30), 65_536, Duration.ofMinutes(1));
        EmbeddedChannel ch = EmbeddedChannels.onFrozenClock(EmbeddedChannels.initializer(noIdleTimeout, connections));
        channels.add(ch);
        EmbeddedChannels.after(ch, Duration.ofDays(1).toMillis());
        assertTrue(ch.isOpen());
    }

    private static List<Class<?>> handlerClasses(EmbeddedChannel ch) {
        List<Class<?>> handlers = new ArrayList<>();
        for (Map.Entry<String, ChannelHandler> entry : ch.pipeline()) {
            handlers.add(entry.getValue().getClass());
        }
        return handlers;
    }

    @Test
    void everyConnectionGetsItsOwnTransformHandler() {
        assertNotSame(connection().pipeline().get(TransformHandler.class),
                connection().pipeline().get(TransformHandler.class));
    }

    @Test
    void boundsWhatIsOwedToAClientBetween32And64KiB() {
        ChannelConfig config = connection().config();
        assertEquals(32 * 1024, config.getWriteBufferLowWaterMark());
        assertEquals(64 * 1024, config.getWriteBufferHighWaterMark());
    }

    @Test
    void countsTheConnectionAsOpenUntilItCloses() {
        EmbeddedChannel ch = connection();
        assertEquals(1, connections.size());
        ch.close();
        assertEquals(0, connections.size());
    }

    /**
     * An EmbeddedChannel's config ignores these two options, so they are checked on a real,
     * unconnected socket, with both first turned off (Netty turns no-delay on by default).
     */
    @Test
    void letsAClientHalfCloseAndSendsWithoutDelayOnARealSocket() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        try {
            NioSocketChannel ch = new NioSocketChannel();
            ch.config().setAllowHalfClosure(false).setTcpNoDelay(false);
            ch.pipeline().addLast(EmbeddedChannels.initializer(EmbeddedChannels.policy(TransformKind.ECHO), connections));
            group.register(ch).syncUninterruptibly();
            try {
                assertEquals(Boolean.TRUE, ch.config().getOption(ChannelOption.ALLOW_HALF_CLOSURE));
                assertEquals(Boolean.TRUE, ch.config().getOption(ChannelOption.TCP_NODELAY));
            } finally {
                ch.close().syncUninterruptibly();
            }
        } finally {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    private EmbeddedChannel connection() {
        EmbeddedChannel ch = EmbeddedChannels.connection(TransformKind.UPPER, connections);
        channels.add(ch);
        return ch;
    }
}

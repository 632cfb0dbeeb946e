package dev.shout.server.process.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.config.ConnectionPolicy;
import dev.shout.server.config.ProxyProtocol;
import dev.shout.server.config.ProxyProtocolPolicy;
import dev.shout.server.config.WorkerSettings;
import dev.shout.server.process.link.LinkMessage;
import dev.shout.server.process.link.LinkMessage.Configure;
import dev.shout.server.process.link.LinkMessage.HandedOver;
import dev.shout.server.process.link.LinkMessage.ReloadCertificates;
import dev.shout.server.process.link.LinkProtocolException;
import dev.shout.server.transform.TransformKind;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.nio.channels.ClosedChannelException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker's link before it is set up: the settings must come first, and whatever follows them
 * before the worker's own reader takes over reaches that reader, in order.
 */
@Timeout(10)
class SettingsReaderTest {

    private static final WorkerSettings SETTINGS = new WorkerSettings(1,
            new ConnectionPolicy(TransformKind.UPPER, Duration.ofMinutes(5), Duration.ofSeconds(30), 65_536,
                    Duration.ofSeconds(60)),
            new ProxyProtocolPolicy(ProxyProtocol.OFF, List.of(), Duration.ofSeconds(5)), Optional.empty(), 100,
            Duration.ofSeconds(10), Duration.ofSeconds(5));

    private final Promise<WorkerSettings> settings = ImmediateEventExecutor.INSTANCE.newPromise();
    private final SettingsReader reader = new SettingsReader(settings);
    private final EmbeddedChannel link = new EmbeddedChannel(reader);

    @Test
    void theSettingsCompleteThePromise() {
        link.writeInbound(new Configure(SETTINGS));
        assertSame(SETTINGS, settings.getNow());
        assertTrue(link.isOpen());
    }

    @Test
    void whatFollowsTheSettingsReachesTheReaderThatTakesOverInOrder() {
        link.writeInbound(new Configure(SETTINGS), new ReloadCertificates(), new HandedOver(7));
        List<LinkMessage> read = new ArrayList<>();
        link.pipeline().replace(reader, null, new SimpleChannelInboundHandler<LinkMessage>() {
            @Override
            protected void channelRead0(ChannelHandlerContext ctx, LinkMessage message) {
                read.add(message);
            }
        });
        assertEquals(List.of(new ReloadCertificates(), new HandedOver(7)), read);
        link.writeInbound(new HandedOver(8));
        assertEquals(List.of(new ReloadCertificates(), new HandedOver(7), new HandedOver(8)), read);
    }

    @Test
    void anythingButTheSettingsFirstBreaksTheLink() {
        link.writeInbound(new ReloadCertificates());
        assertInstanceOf(LinkProtocolException.class, settings.cause());
        assertFalse(link.isOpen());
    }

    @Test
    void theLinkClosingBeforeTheSettingsFailsThePromise() {
        link.close();
        assertInstanceOf(ClosedChannelException.class, settings.cause());
    }
}

package dev.shout.server.pipeline;

import static dev.shout.server.pipeline.EmbeddedChannels.after;
import static dev.shout.server.pipeline.EmbeddedChannels.policy;
import static dev.shout.server.pipeline.EmbeddedChannels.sentText;
import static dev.shout.server.pipeline.EmbeddedChannels.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.admission.Admission;
import dev.shout.server.admission.ConnectionAdmission;
import dev.shout.server.admission.Permit;
import dev.shout.server.config.Cidr;
import dev.shout.server.config.ProxyProtocol;
import dev.shout.server.config.ProxyProtocolPolicy;
import dev.shout.server.transform.TransformKind;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyMessageDecoder;
import io.netty.handler.codec.haproxy.HAProxyMessageEncoder;
import io.netty.handler.codec.haproxy.HAProxyProtocolVersion;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol;
import io.netty.util.NetUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The PROXY protocol in the pipeline {@link ShoutChannelInitializer} builds, with
 * {@code --proxy-trusted 10.0.0.0/8 --proxy-header-timeout 1s}, on a clock the test moves, from
 * a balancer at 10.0.0.1 unless a test says otherwise.
 */
@Timeout(10)
class ProxyHeaderHandlerTest {

    private static final InetSocketAddress BALANCER = new InetSocketAddress(address("10.0.0.1"), 40_000);
    private static final String V1_HEADER = "PROXY TCP4 203.0.113.7 192.0.2.10 5000 8080\r\n";

    private final RecordingAdmission admission = new RecordingAdmission();
    private final List<EmbeddedChannel> channels = new ArrayList<>();
    private Refusals refusals;

    @AfterEach
    void closeEveryChannel() {
        channels.forEach(EmbeddedChannel::finishAndReleaseAll);
    }

    @Test
    void theHeaderIsReadFirstBeforeAnythingCountsOrAnswersTheClientsBytes() {
        EmbeddedChannel ch = connection(ProxyProtocol.ANY, BALANCER);
        List<Class<?>> first = ch.pipeline().toMap().values().stream().limit(3)
                .<Class<?>>map(Object::getClass).toList();
        assertEquals(List.of(HAProxyMessageDecoder.class, ProxyHeaderHandler.class, ConnectionActivity.class), first);
    }

    @Test
    void aV1HeaderAndDataInOneWriteGetTheDataBackUppercasedWithoutTheHeader() {
        EmbeddedChannel ch = connection(ProxyProtocol.V1, BALANCER);
        ch.writeInbound(utf8(V1_HEADER + "hello"));
        assertEquals("HELLO", sentText(ch));
        assertEquals(List.of(address("203.0.113.7")), admission.asked);
    }

    @Test
    void aV2HeaderWithAnIpv6ClientIsAdmittedUnderThatClient() {
        EmbeddedChannel ch = connection(ProxyProtocol.V2, BALANCER);
        ch.writeInbound(Unpooled.wrappedBuffer(
                v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP6, "2001:db8::7", "2001:db8::1"), utf8("hi")));
        assertEquals("HI", sentText(ch));
        assertEquals(List.of(address("2001:db8::7")), admission.asked);
    }

    @Test
    void aHeaderSplitAcrossWritesIsReadWholeAndNothingIsSentBeforeIt() {
        EmbeddedChannel ch = connection(ProxyProtocol.ANY, BALANCER);
        for (char c : V1_HEADER.toCharArray()) {
            ch.writeInbound(utf8(String.valueOf(c)));
            assertEquals("", sentText(ch));
        }
        ch.writeInbound(utf8("abc"));
        assertEquals("ABC", sentText(ch));
        assertEquals(List.of(address("203.0.113.7")), admission.asked);
    }

    @Test
    void onceServedTheConnectionHasThePlainPipeline() {
        EmbeddedChannel ch = connection(ProxyProtocol.V1, BALANCER);
        ch.writeInbound(utf8(V1_HEADER));
        assertNull(ch.pipeline().get(HAProxyMessageDecoder.class));
        assertNull(ch.pipeline().get(ProxyHeaderHandler.class));
        assertTrue(ch.config().isAutoRead());
    }

    @Test
    void aLocalHeaderIsServedAsTheBalancersOwnConnection() {
        EmbeddedChannel ch = connection(ProxyProtocol.V2, BALANCER);
        ch.writeInbound(Unpooled.wrappedBuffer(
                v2(HAProxyCommand.LOCAL, HAProxyProxiedProtocol.UNKNOWN, null, null), utf8("health")));
        assertEquals("HEALTH", sentText(ch));
        assertEquals(List.of(), admission.asked, "a health check asked to be admitted as a client");
    }

    @Test
    void aHeaderOfTheOtherVersionIsABadHeader() {
        EmbeddedChannel ch = connection(ProxyProtocol.V1, BALANCER);
        ch.writeInbound(Unpooled.wrappedBuffer(
                v2(HAProxyCommand.PROXY, HAProxyProxiedProtocol.TCP4, "203.0.113.7", "192.0.2.10"), utf8("hi")));
        assertRefused(ch, Refusals.Reason.BAD_PROXY_HEADER);
    }

    @Test
    void garbageIsABadHeaderCountedOnceAndNeverPassedOnAsAnError() {
        EmbeddedChannel ch = connection(ProxyProtocol.ANY, BALANCER);
        ch.writeInbound(utf8("GET / HTTP/1.1\r\nHost: shout\r\n\r\n"));
        assertRefused(ch, Refusals.Reason.BAD_PROXY_HEADER);
        ch.finishAndReleaseAll();
        assertEquals(1, refusals.total(Refusals.Reason.BAD_PROXY_HEADER));
    }

    @Test
    void aHeaderLongerThanAV1LineIsABadHeader() {
        EmbeddedChannel ch = connection(ProxyProtocol.ANY, BALANCER);
        ch.writeInbound(utf8("PROXY TCP4 " + "1".repeat(200)));
        assertRefused(ch, Refusals.Reason.BAD_PROXY_HEADER);
    }

    @Test
    void aConnectionWithoutAWholeHeaderWithinTheTimeoutIsClosedAndCounted() {
        EmbeddedChannel ch = connection(ProxyProtocol.V1, BALANCER);
        ch.writeInbound(utf8("PROXY TCP4 203.0."));
        after(ch, 999);
        assertTrue(ch.isOpen(), "closed before its header timeout");
        after(ch, 1);
        assertRefused(ch, Refusals.Reason.PROXY_HEADER_TIMEOUT);
    }

    @Test
    void aHeaderInTimeStopsTheHeaderTimeout() {
        EmbeddedChannel ch = connection(ProxyProtocol.V1, BALANCER);
        ch.writeInbound(utf8(V1_HEADER));
        after(ch, 5_000);
        assertTrue(ch.isOpen());
        assertTrue(refusals.totals().values().stream().allMatch(count -> count == 0), refusals.totals().toString());
    }

    @Test
    void aPeerThatIsNotATrustedBalancerIsClosedAtOnce() {
        EmbeddedChannel ch = connection(ProxyProtocol.ANY, new InetSocketAddress(address("192.0.2.99"), 40_000));
        assertRefused(ch, Refusals.Reason.UNTRUSTED_PROXY);
        assertEquals(List.of(), admission.asked);
    }

    @Test
    void aBalancerThatLeavesBeforeItsHeaderIsClosedAndNotCounted() {
        EmbeddedChannel ch = connection(ProxyProtocol.ANY, BALANCER);
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertFalse(ch.isOpen());
        assertEquals(0L, refusals.totals().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void whatComesWithTheHeaderWaitsWithReadingStoppedUntilTheClientIsAdmitted() {
        admission.answer = new CompletableFuture<>();
        EmbeddedChannel ch = connection(ProxyProtocol.V1, BALANCER);
        ch.writeInbound(utf8(V1_HEADER + "hello "));
        ch.writeInbound(utf8("world"));
        assertEquals("", sentText(ch), "served before it was admitted");
        assertFalse(ch.config().isAutoRead(), "still reading while it waits to be admitted");
        CountingPermit permit = new CountingPermit();
        admission.answer.complete(Optional.of(permit));
        assertEquals("HELLO WORLD", sentText(ch));
        assertTrue(ch.config().isAutoRead());
        ch.close();
        assertEquals(1, permit.releases);
    }

    @Test
    void aHalfCloseWhileWaitingComesAfterTheBytesBeforeIt() {
        admission.answer = new CompletableFuture<>();
        EmbeddedChannel ch = connection(ProxyProtocol.V1, BALANCER);
        ch.writeInbound(utf8(V1_HEADER + "bye"));
        ch.pipeline().fireUserEventTriggered(ChannelInputShutdownEvent.INSTANCE);
        assertTrue(ch.isOpen());
        assertEquals("", sentText(ch), "served before it was admitted");
        assertTrue(ch.config().isAutoRead(), "reading resumes: the client can send nothing more");
        admission.answer.complete(Optional.of(new CountingPermit()));
        assertEquals("BYE", sentText(ch));
        assertFalse(ch.isOpen(), "the half-close was lost");
    }

    @Test
    void aClientOverItsLimitIsClosedUnservedAndLeftToTheLedgerToCount() {
        admission.answer = CompletableFuture.completedFuture(Optional.empty());
        EmbeddedChannel ch = connection(ProxyProtocol.V1, BALANCER);
        ch.writeInbound(utf8(V1_HEADER + "hello"));
        assertEquals("", sentText(ch));
        assertFalse(ch.isOpen());
        assertEquals(0L, refusals.totals().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void aPermitGrantedAfterTheConnectionClosedIsGivenBack() {
        admission.answer = new CompletableFuture<>();
        EmbeddedChannel ch = connection(ProxyProtocol.V1, BALANCER);
        ch.writeInbound(utf8(V1_HEADER + "hello"));
        ch.close();
        CountingPermit permit = new CountingPermit();
        admission.answer.complete(Optional.of(permit));
        assertEquals(1, permit.releases);
    }

    private void assertRefused(EmbeddedChannel ch, Refusals.Reason reason) {
        assertFalse(ch.isOpen(), "still open");
        assertEquals("", sentText(ch), "a refused connection was sent something");
        for (Refusals.Reason each : Refusals.Reason.values()) {
            assertEquals(each == reason ? 1 : 0, refusals.total(each), each.label());
        }
    }

    /** A connection from {@code peer} with the pipeline built for {@code protocol}, on a frozen clock. */
    private EmbeddedChannel connection(ProxyProtocol protocol, InetSocketAddress peer) {
        ProxyProtocolPolicy proxy = new ProxyProtocolPolicy(protocol, List.of(Cidr.parse("10.0.0.0/8")),
                Duration.ofSeconds(1));
        refusals = new Refusals(proxy, Optional.empty());
        EmbeddedChannel ch = new FromPeer(peer);
        ch.freezeTime();
        ConnectionAdmission.attach(ch, admission);
        ch.pipeline().addLast(new ShoutChannelInitializer(policy(TransformKind.UPPER), proxy, new OpenConnections(),
                new Traffic(), new TimedOutConnections(policy(TransformKind.UPPER)), refusals, Optional.empty()));
        channels.add(ch);
        return ch;
    }

    /** A v2 header as a balancer sends it, from Netty's encoder. */
    private static ByteBuf v2(HAProxyCommand command, HAProxyProxiedProtocol protocol, String source,
            String destination) {
        boolean addressed = source != null;
        EmbeddedChannel encoder = new EmbeddedChannel(HAProxyMessageEncoder.INSTANCE);
        encoder.writeOutbound(new HAProxyMessage(HAProxyProtocolVersion.V2, command, protocol, source, destination,
                addressed ? 5000 : 0, addressed ? 8080 : 0));
        ByteBuf header = encoder.readOutbound();
        encoder.finishAndReleaseAll();
        return header;
    }

    private static InetAddress address(String literal) {
        return NetUtil.createInetAddressFromIpAddressString(literal);
    }

    /** An embedded connection whose peer is a socket address, as an accepted socket's is. */
    private static final class FromPeer extends EmbeddedChannel {

        private final InetSocketAddress peer;

        FromPeer(InetSocketAddress peer) {
            this.peer = peer;
        }

        @Override
        protected SocketAddress remoteAddress0() {
            return peer;
        }
    }

    /** Answers every admission with {@link #answer}, recording the clients asked for. */
    private static final class RecordingAdmission implements Admission {

        final List<InetAddress> asked = new ArrayList<>();
        CompletableFuture<Optional<Permit>> answer = CompletableFuture.completedFuture(Optional.of(new CountingPermit()));

        @Override
        public CompletionStage<Optional<Permit>> acquire(InetAddress client) {
            asked.add(client);
            return answer;
        }
    }

    private static final class CountingPermit implements Permit {

        int releases;

        @Override
        public InetAddress client() {
            return BALANCER.getAddress();
        }

        @Override
        public void release() {
            releases++;
        }
    }
}

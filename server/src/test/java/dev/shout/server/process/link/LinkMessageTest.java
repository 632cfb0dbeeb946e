package dev.shout.server.process.link;

import static dev.shout.server.process.link.LinkSamples.EVERY_MESSAGE;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.config.Cidr;
import dev.shout.server.config.ProxyProtocol;
import dev.shout.server.config.ProxyProtocolPolicy;
import dev.shout.server.config.TlsConfig;
import dev.shout.server.config.TlsProvider;
import dev.shout.server.config.WorkerSettings;
import dev.shout.server.process.link.LinkMessage.Configure;
import dev.shout.server.process.link.LinkMessage.Hello;
import dev.shout.server.process.link.LinkMessage.Sender;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Every message of the link survives its frame: written by {@link LinkCodec#writeFrame} and read
 * back by {@link LinkCodec#readFrame}, it is the same record. A new kind of message without a
 * sample in {@link LinkSamples} fails here.
 */
@Timeout(10)
class LinkMessageTest {

    @ParameterizedTest(name = "{0}")
    @FieldSource("dev.shout.server.process.link.LinkSamples#EVERY_MESSAGE")
    void everyMessageReadsBackAsTheSameRecord(LinkMessage message) {
        ByteBuf frame = Unpooled.buffer();
        try {
            LinkCodec.writeFrame(message, frame);
            assertEquals(message, LinkCodec.readFrame(frame, message.sender()));
            assertFalse(frame.isReadable(), "bytes left behind the frame");
        } finally {
            frame.release();
        }
    }

    @Test
    void everyKindOfMessageHasASample() {
        Set<Class<?>> sampled = EVERY_MESSAGE.stream().map(Object::getClass).collect(Collectors.toSet());
        assertEquals(kinds(LinkMessage.class), sampled);
    }

    @Test
    void everyKindHasATypeByteOfItsOwn() {
        Map<Byte, Class<?>> kindOfType = new HashMap<>();
        for (LinkMessage message : EVERY_MESSAGE) {
            Class<?> other = kindOfType.putIfAbsent(message.type(), message.getClass());
            if (other != null) {
                assertEquals(other, message.getClass(), "two kinds of message share type " + message.type());
            }
        }
    }

    @Test
    void samplesCarryBothFamiliesOfAddress() {
        Set<Class<?>> families = new HashSet<>();
        EVERY_MESSAGE.stream().filter(LinkMessage.AdmissionRequest.class::isInstance)
                .map(message -> ((LinkMessage.AdmissionRequest) message).client().getClass()).forEach(families::add);
        assertEquals(Set.of(Inet4Address.class, Inet6Address.class), families);
    }

    @Test
    void aBuildVersionLongerThanTheLimitIsRefusedBeforeItIsSent() {
        assertThrows(IllegalArgumentException.class, () -> new Hello(1, "v".repeat(Hello.MAX_VERSION_BYTES + 1)));
        assertThrows(IllegalArgumentException.class, () -> new Hello(1, "é".repeat(Hello.MAX_VERSION_BYTES / 2) + "v"),
                "the limit counts bytes of UTF-8, not characters");
    }

    /**
     * The most a worker can be sent: every balancer range the flags allow, in their longest
     * spelling, and three paths of {@code PATH_MAX} bytes. It still fits the master's frame.
     */
    @Test
    void theLargestSettingsFitOneFrameOfTheMaster() {
        List<Cidr> ranges = new ArrayList<>();
        for (int i = 0; i < ProxyProtocolPolicy.MAX_TRUSTED; i++) {
            ranges.add(Cidr.parse(String.format("ffff:eeee:dddd:cccc:bbbb:aaaa:9999:%x/128", 0x1000 + i)));
        }
        Path longest = Path.of("/" + "p".repeat(SettingsCodec.MAX_PATH_BYTES - 1));
        WorkerSettings base = LinkSamples.SETTINGS;
        Configure largest = new Configure(new WorkerSettings(base.threads(), base.connection(),
                new ProxyProtocolPolicy(ProxyProtocol.V2, ranges, Duration.ofSeconds(5)),
                Optional.of(new TlsConfig(longest, longest, Optional.of(longest), TlsProvider.OPENSSL,
                        Duration.ofSeconds(10))),
                base.connectionsPerWorker(), base.shutdownTimeout(), base.migrationTimeout()));
        ByteBuf frame = Unpooled.buffer();
        try {
            LinkCodec.writeFrame(largest, frame);
            assertTrue(frame.readableBytes() > 20_000, "not the largest: " + frame.readableBytes() + " bytes");
            assertEquals(largest, LinkCodec.readFrame(frame, Sender.MASTER));
        } finally {
            frame.release();
        }
    }

    @Test
    void aPathLongerThanAnyTheMasterCouldOpenIsAProtocolError() {
        WorkerSettings base = LinkSamples.SETTINGS;
        Path tooLong = Path.of("p".repeat(SettingsCodec.MAX_PATH_BYTES + 1));
        Configure configure = new Configure(new WorkerSettings(base.threads(), base.connection(), base.proxy(),
                Optional.of(new TlsConfig(tooLong, Path.of("key.pem"), Optional.empty(), TlsProvider.JDK,
                        Duration.ofSeconds(10))),
                base.connectionsPerWorker(), base.shutdownTimeout(), base.migrationTimeout()));
        ByteBuf frame = Unpooled.buffer();
        try {
            LinkCodec.writeFrame(configure, frame);
            assertThrows(LinkProtocolException.class, () -> LinkCodec.readFrame(frame, Sender.MASTER));
        } finally {
            frame.release();
        }
    }

    /** The records a sealed type permits, those of its sealed subtypes included. */
    private static Set<Class<?>> kinds(Class<?> sealed) {
        return Stream.of(sealed.getPermittedSubclasses())
                .flatMap(kind -> kind.isSealed() ? kinds(kind).stream() : Stream.of(kind))
                .collect(Collectors.toSet());
    }
}

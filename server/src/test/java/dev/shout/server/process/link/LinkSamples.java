package dev.shout.server.process.link;

import dev.shout.server.config.Cidr;
import dev.shout.server.config.ConnectionPolicy;
import dev.shout.server.config.ProxyProtocol;
import dev.shout.server.config.ProxyProtocolPolicy;
import dev.shout.server.config.TlsConfig;
import dev.shout.server.config.TlsProvider;
import dev.shout.server.config.WorkerSettings;
import dev.shout.server.process.link.LinkMessage.Accepted;
import dev.shout.server.process.link.LinkMessage.AcceptUntil;
import dev.shout.server.pipeline.ConnectionState;
import dev.shout.server.process.link.LinkMessage.AdmissionAnswer;
import dev.shout.server.process.link.LinkMessage.HandedOver;
import dev.shout.server.process.link.LinkMessage.MigrateConnection;
import dev.shout.server.process.link.LinkMessage.MigrateConnections;
import dev.shout.server.process.link.LinkMessage.MigratedConnection;
import dev.shout.server.process.link.LinkMessage.Migrated;
import dev.shout.server.process.link.LinkMessage.StayedBehind;
import dev.shout.server.process.link.LinkMessage.AdmissionRequest;
import dev.shout.server.process.link.LinkMessage.Adopted;
import dev.shout.server.process.link.LinkMessage.ArrivedClosed;
import dev.shout.server.process.link.LinkMessage.ClientConnection;
import dev.shout.server.process.link.LinkMessage.Configure;
import dev.shout.server.process.link.LinkMessage.Draining;
import dev.shout.server.process.link.LinkMessage.Heartbeat;
import dev.shout.server.process.link.LinkMessage.Hello;
import dev.shout.server.process.link.LinkMessage.LeaseAnswer;
import dev.shout.server.process.link.LinkMessage.LeaseRequest;
import dev.shout.server.process.link.LinkMessage.ListeningSocket;
import dev.shout.server.process.link.LinkMessage.Refused;
import dev.shout.server.process.link.LinkMessage.ReloadCertificates;
import dev.shout.server.process.link.LinkMessage.Released;
import dev.shout.server.process.link.LinkMessage.Sender;
import dev.shout.server.process.link.LinkMessage.TimedOut;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import dev.shout.server.transform.TransformKind;
import io.netty.buffer.Unpooled;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Messages of every kind with their edge values, and their frames as bytes, for the link's tests. */
final class LinkSamples {

    /** A worker's settings with the defaults' kind of values: no balancers, no TLS. */
    static final WorkerSettings SETTINGS = new WorkerSettings(1,
            new ConnectionPolicy(TransformKind.UPPER, Duration.ofMinutes(5), Duration.ofSeconds(30), 65_536,
                    Duration.ofSeconds(60)),
            new ProxyProtocolPolicy(ProxyProtocol.OFF, List.of(), Duration.ofSeconds(5)), Optional.empty(), 10_000,
            Duration.ofSeconds(10), Duration.ofSeconds(5));
    /** Every optional part present, odd values, both families of address range, a path not in ASCII. */
    static final WorkerSettings SETTINGS_WITH_EVERYTHING = new WorkerSettings(Integer.MAX_VALUE,
            new ConnectionPolicy(TransformKind.ASCII_UPPER, Duration.ZERO, Duration.ofNanos(1),
                    ConnectionPolicy.MAX_PENDING_BYTES, Duration.ofDays(1)),
            new ProxyProtocolPolicy(ProxyProtocol.ANY, List.of(Cidr.parse("10.0.0.0/8"), Cidr.parse("fd00::/8")),
                    Duration.ofMillis(1500)),
            Optional.of(new TlsConfig(Path.of("certs/server.pem"), Path.of("/etc/shout/clé.pem"),
                    Optional.of(Path.of("ca.pem")), TlsProvider.JDK, Duration.ofSeconds(10))),
            1, Duration.ofNanos(1), Duration.ofDays(1));

    /** Every kind of message at least once: {@code LinkMessageTest} fails if a kind is missing. */
    static final List<LinkMessage> EVERY_MESSAGE = List.of(
            new Hello(LinkMessage.PROTOCOL_VERSION, "0.1.0-SNAPSHOT"),
            new Hello(-1, ""),
            new Hello(Integer.MAX_VALUE, "v".repeat(Hello.MAX_VERSION_BYTES)),
            new Hello(Integer.MIN_VALUE, "é".repeat(Hello.MAX_VERSION_BYTES / 2)),
            Heartbeat.NONE,
            new Heartbeat(Integer.MAX_VALUE, Long.MAX_VALUE, Long.MIN_VALUE, 1L << 40,
                    new TimedOut(1, -2, Long.MAX_VALUE), new Refused(List.of(Long.MIN_VALUE, 0L, 3L))),
            new Heartbeat(0, 0, 0, 0, new TimedOut(0, 0, 0),
                    new Refused(Collections.nCopies(Refused.MAX_REASONS, Long.MAX_VALUE))),
            new Adopted(0),
            new Adopted(Long.MIN_VALUE),
            new ArrivedClosed(Long.MAX_VALUE),
            new Released(42),
            new Draining(),
            new AdmissionRequest(1, address("192.0.2.7")),
            new AdmissionRequest(Long.MAX_VALUE, address("2001:db8::1")),
            new AdmissionRequest(-1, address("::1")),
            new ClientConnection(0, 1),
            new ClientConnection(Long.MAX_VALUE, Long.MIN_VALUE),
            new AdmissionAnswer(7, true),
            new AdmissionAnswer(Long.MIN_VALUE, false),
            new ReloadCertificates(),
            new Configure(SETTINGS),
            new Configure(SETTINGS_WITH_EVERYTHING),
            new Accepted(9),
            new Accepted(Long.MIN_VALUE),
            new LeaseRequest(3, address("127.0.0.2")),
            new LeaseRequest(Long.MAX_VALUE, address("2001:db8::2")),
            new ListeningSocket(0),
            new ListeningSocket(Long.MAX_VALUE),
            new LeaseAnswer(5, true),
            new LeaseAnswer(Long.MIN_VALUE, false),
            new AcceptUntil(0, true),
            new AcceptUntil(Long.MAX_VALUE, false),
            new AcceptUntil(-1, false),
            new MigrateConnection(0, 1, new ConnectionState(new byte[0], Duration.ZERO)),
            new MigrateConnection(Long.MAX_VALUE, Long.MIN_VALUE, new ConnectionState(
                    new byte[ConnectionState.MAX_HELD_BYTES], Duration.ofNanos(Long.MAX_VALUE))),
            new Migrated(3),
            new StayedBehind(Long.MAX_VALUE),
            new MigrateConnections(),
            new MigratedConnection(5, 9, new ConnectionState(new byte[] {(byte) 0xe2, (byte) 0x82}, Duration.ofSeconds(7))),
            new HandedOver(Long.MIN_VALUE));

    private LinkSamples() {
    }

    static List<LinkMessage> sentBy(Sender sender) {
        return EVERY_MESSAGE.stream().filter(message -> message.sender() == sender).toList();
    }

    /** The side that is not {@code sender}. */
    static Sender other(Sender sender) {
        return sender == Sender.WORKER ? Sender.MASTER : Sender.WORKER;
    }

    /** {@code message}'s whole frame, as {@link LinkCodec#writeFrame} writes it. */
    static byte[] frame(LinkMessage message) {
        ByteBuf out = Unpooled.buffer();
        try {
            LinkCodec.writeFrame(message, out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    /** A frame of {@code type} whose fields {@code fields} writes, its length field made to fit. */
    static byte[] frame(int type, Consumer<ByteBuf> fields) {
        ByteBuf body = Unpooled.buffer();
        try {
            body.writeByte(type);
            fields.accept(body);
            return withLength(ByteBufUtil.getBytes(body));
        } finally {
            body.release();
        }
    }

    /** {@code body} (a type byte and fields) behind a length field that says its length. */
    static byte[] withLength(byte[] body) {
        byte[] frame = new byte[2 + body.length];
        frame[0] = (byte) (body.length >>> 8);
        frame[1] = (byte) body.length;
        System.arraycopy(body, 0, frame, 2, body.length);
        return frame;
    }

    /** A frame that says it is {@code length} bytes long, followed by nothing. */
    static byte[] lengthField(int length) {
        return new byte[] {(byte) (length >>> 8), (byte) length};
    }

    /** Reads one frame of {@code bytes} from {@code peer}; the buffer is released. */
    static LinkMessage readFrame(byte[] bytes, Sender peer) {
        ByteBuf in = Unpooled.wrappedBuffer(bytes);
        try {
            return LinkCodec.readFrame(in, peer);
        } finally {
            in.release();
        }
    }

    private static InetAddress address(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException notALiteral) {
            throw new IllegalArgumentException(literal, notALiteral);
        }
    }
}

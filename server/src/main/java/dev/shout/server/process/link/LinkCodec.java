package dev.shout.server.process.link;

import dev.shout.server.process.link.LinkMessage.Accepted;
import dev.shout.server.process.link.LinkMessage.AcceptUntil;
import dev.shout.server.process.link.LinkMessage.AdmissionAnswer;
import dev.shout.server.process.link.LinkMessage.AdmissionRequest;
import dev.shout.server.process.link.LinkMessage.Adopted;
import dev.shout.server.process.link.LinkMessage.ArrivedClosed;
import dev.shout.server.process.link.LinkMessage.ClientConnection;
import dev.shout.server.process.link.LinkMessage.Configure;
import dev.shout.server.process.link.LinkMessage.Draining;
import dev.shout.server.process.link.LinkMessage.HandedOver;
import dev.shout.server.process.link.LinkMessage.Heartbeat;
import dev.shout.server.process.link.LinkMessage.Hello;
import dev.shout.server.process.link.LinkMessage.LeaseAnswer;
import dev.shout.server.process.link.LinkMessage.LeaseRequest;
import dev.shout.server.process.link.LinkMessage.ListeningSocket;
import dev.shout.server.process.link.LinkMessage.MigrateConnection;
import dev.shout.server.process.link.LinkMessage.MigrateConnections;
import dev.shout.server.process.link.LinkMessage.MigratedConnection;
import dev.shout.server.process.link.LinkMessage.Migrated;
import dev.shout.server.process.link.LinkMessage.StayedBehind;
import dev.shout.server.process.link.LinkMessage.ReloadCertificates;
import dev.shout.server.process.link.LinkMessage.Released;
import dev.shout.server.process.link.LinkMessage.Sender;
import dev.shout.server.pipeline.ConnectionState;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageCodec;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The framing of the link: a frame is a two-byte length, then the type byte, then the
 * message's fields, nothing more. Reading is strict: a length out of bounds, a type unknown or
 * sent by the wrong side, fields too short, too long or out of range all throw
 * {@link LinkProtocolException}, and after one the rest of the stream is dropped unread. No
 * frame longer than its sender's {@link #maxFrameLength} is ever buffered.
 */
public final class LinkCodec extends ByteToMessageCodec<LinkMessage> {

    /** The longest frame a worker sends, its length field excluded. */
    public static final int MAX_WORKER_FRAME_LENGTH = 512;
    /**
     * The longest frame the master sends: its {@link LinkMessage.Configure} carries paths and the
     * balancers' address ranges, at most about 24 KiB of them.
     */
    public static final int MAX_MASTER_FRAME_LENGTH = 32 * 1024;

    private static final Kind[] BY_TYPE = new Kind[256];
    private static final Map<Class<?>, Kind> BY_CLASS = new HashMap<>();

    static {
        for (Kind kind : Kind.values()) {
            BY_TYPE[kind.type & 0xff] = kind;
            BY_CLASS.put(kind.messageClass, kind);
        }
    }

    private final Sender peer;
    private boolean corrupted;

    /** @param peer the side at the other end: only its messages are read */
    public LinkCodec(Sender peer) {
        super(LinkMessage.class);
        this.peer = peer;
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, LinkMessage message, ByteBuf out) {
        writeFrame(message, out);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (corrupted) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            LinkMessage message = readFrame(in, peer);
            if (message != null) {
                out.add(message);
            }
        } catch (LinkProtocolException e) {
            corrupted = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    /** The longest frame {@code sender} sends, its length field excluded. */
    public static int maxFrameLength(Sender sender) {
        return sender == Sender.MASTER ? MAX_MASTER_FRAME_LENGTH : MAX_WORKER_FRAME_LENGTH;
    }

    /** Writes {@code message} as one whole frame. */
    public static void writeFrame(LinkMessage message, ByteBuf out) {
        int lengthAt = out.writerIndex();
        out.writeShort(0).writeByte(message.type());
        message.writeFields(out);
        int length = out.writerIndex() - lengthAt - 2;
        if (length > maxFrameLength(message.sender())) {
            throw new IllegalStateException(message + " needs a frame of " + length + " bytes");
        }
        out.setShort(lengthAt, length);
    }

    /**
     * Reads one frame from {@code in} if it holds a whole one, else returns null and reads
     * nothing; a frame that is not a message {@code peer} may send throws.
     */
    public static LinkMessage readFrame(ByteBuf in, Sender peer) {
        if (in.readableBytes() < 2) {
            return null;
        }
        int length = in.getUnsignedShort(in.readerIndex());
        if (length < 1 || length > maxFrameLength(peer)) {
            throw new LinkProtocolException("a frame of " + length + " bytes (expected: 1.." + maxFrameLength(peer) + ")");
        }
        if (in.readableBytes() < 2 + length) {
            return null;
        }
        in.skipBytes(2);
        ByteBuf frame = in.readSlice(length);
        byte type = frame.readByte();
        Kind kind = BY_TYPE[type & 0xff];
        if (kind == null) {
            throw new LinkProtocolException(String.format("unknown message type 0x%02x", type));
        }
        LinkMessage message;
        try {
            message = kind.read(frame);
        } catch (IndexOutOfBoundsException e) {
            throw new LinkProtocolException(String.format("message type 0x%02x cut short (%d bytes)", type, length));
        } catch (IllegalArgumentException e) {
            throw new LinkProtocolException(String.format("message type 0x%02x: %s", type, e.getMessage()));
        }
        if (frame.isReadable()) {
            throw new LinkProtocolException(String.format("%d bytes too many in a %s",
                    frame.readableBytes(), message.getClass().getSimpleName()));
        }
        if (message.sender() != peer) {
            throw new LinkProtocolException(message.getClass().getSimpleName() + " sent by the "
                    + peer.name().toLowerCase(Locale.ROOT) + ", which never sends it");
        }
        return message;
    }

    /** The row of {@code message}'s class; every message has one. */
    static Kind kindOf(LinkMessage message) {
        Kind kind = BY_CLASS.get(message.getClass());
        if (kind == null) {
            throw new IllegalStateException(message.getClass().getSimpleName() + " is not in LinkCodec's table");
        }
        return kind;
    }

    /**
     * Every message of the protocol, as nginx lists its channel's commands: its type byte, its
     * sender, its class and how its fields are read. Plain code, no lambdas: a worker's first
     * frames are written and read while both JVMs are still starting, and bootstrapping a dozen
     * lambdas there cost a few hundred milliseconds of a worker's start-up.
     */
    enum Kind {
        HELLO(Hello.TYPE, Sender.WORKER, Hello.class),
        CONFIGURE(Configure.TYPE, Sender.MASTER, Configure.class),
        HEARTBEAT(Heartbeat.TYPE, Sender.WORKER, Heartbeat.class),
        ADOPTED(Adopted.TYPE, Sender.WORKER, Adopted.class),
        ARRIVED_CLOSED(ArrivedClosed.TYPE, Sender.WORKER, ArrivedClosed.class),
        RELEASED(Released.TYPE, Sender.WORKER, Released.class),
        DRAINING(Draining.TYPE, Sender.WORKER, Draining.class),
        ADMISSION_REQUEST(AdmissionRequest.TYPE, Sender.WORKER, AdmissionRequest.class),
        ACCEPTED(Accepted.TYPE, Sender.WORKER, Accepted.class),
        LEASE_REQUEST(LeaseRequest.TYPE, Sender.WORKER, LeaseRequest.class),
        CLIENT_CONNECTION(ClientConnection.TYPE, Sender.MASTER, ClientConnection.class),
        ADMISSION_ANSWER(AdmissionAnswer.TYPE, Sender.MASTER, AdmissionAnswer.class),
        RELOAD_CERTIFICATES(ReloadCertificates.TYPE, Sender.MASTER, ReloadCertificates.class),
        LISTENING_SOCKET(ListeningSocket.TYPE, Sender.MASTER, ListeningSocket.class),
        LEASE_ANSWER(LeaseAnswer.TYPE, Sender.MASTER, LeaseAnswer.class),
        ACCEPT_UNTIL(AcceptUntil.TYPE, Sender.MASTER, AcceptUntil.class),
        MIGRATE_CONNECTION(MigrateConnection.TYPE, Sender.WORKER, MigrateConnection.class),
        MIGRATED(Migrated.TYPE, Sender.WORKER, Migrated.class),
        STAYED_BEHIND(StayedBehind.TYPE, Sender.WORKER, StayedBehind.class),
        MIGRATE_CONNECTIONS(MigrateConnections.TYPE, Sender.MASTER, MigrateConnections.class),
        MIGRATED_CONNECTION(MigratedConnection.TYPE, Sender.MASTER, MigratedConnection.class),
        HANDED_OVER(HandedOver.TYPE, Sender.MASTER, HandedOver.class);

        private final byte type;
        private final Sender sender;
        private final Class<? extends LinkMessage> messageClass;

        Kind(byte type, Sender sender, Class<? extends LinkMessage> messageClass) {
            this.type = type;
            this.sender = sender;
            this.messageClass = messageClass;
        }

        byte type() {
            return type;
        }

        Sender sender() {
            return sender;
        }

        LinkMessage read(ByteBuf in) {
            return switch (this) {
                case HELLO -> Hello.read(in);
                case CONFIGURE -> Configure.read(in);
                case HEARTBEAT -> Heartbeat.read(in);
                case ADOPTED -> Adopted.read(in);
                case ARRIVED_CLOSED -> ArrivedClosed.read(in);
                case RELEASED -> Released.read(in);
                case DRAINING -> Draining.read(in);
                case ADMISSION_REQUEST -> AdmissionRequest.read(in);
                case ACCEPTED -> Accepted.read(in);
                case LEASE_REQUEST -> LeaseRequest.read(in);
                case CLIENT_CONNECTION -> ClientConnection.read(in);
                case ADMISSION_ANSWER -> AdmissionAnswer.read(in);
                case RELOAD_CERTIFICATES -> ReloadCertificates.read(in);
                case LISTENING_SOCKET -> ListeningSocket.read(in);
                case LEASE_ANSWER -> LeaseAnswer.read(in);
                case ACCEPT_UNTIL -> AcceptUntil.read(in);
                case MIGRATE_CONNECTION -> MigrateConnection.read(in);
                case MIGRATED -> Migrated.read(in);
                case STAYED_BEHIND -> StayedBehind.read(in);
                case MIGRATE_CONNECTIONS -> MigrateConnections.read(in);
                case MIGRATED_CONNECTION -> MigratedConnection.read(in);
                case HANDED_OVER -> HandedOver.read(in);
            };
        }
    }

    static void writeString(ByteBuf out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.writeByte(bytes.length).writeBytes(bytes);
    }

    static String readString(ByteBuf in, int maxBytes) {
        return readUtf8(in, in.readUnsignedByte(), maxBytes);
    }

    /** A string of up to 65,535 bytes: a two-byte length, then UTF-8. */
    static void writeLongString(ByteBuf out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0xffff) {
            throw new IllegalArgumentException("a string of " + bytes.length + " bytes (expected: <= 65535)");
        }
        out.writeShort(bytes.length).writeBytes(bytes);
    }

    static String readLongString(ByteBuf in, int maxBytes) {
        return readUtf8(in, in.readUnsignedShort(), maxBytes);
    }

    private static String readUtf8(ByteBuf in, int length, int maxBytes) {
        if (length > maxBytes) {
            throw new LinkProtocolException("a string of " + length + " bytes (expected: <= " + maxBytes + ")");
        }
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new LinkProtocolException("a string that is not UTF-8");
        }
    }

    static void writeAddress(ByteBuf out, InetAddress address) {
        byte[] bytes = address.getAddress();
        out.writeByte(bytes.length).writeBytes(bytes);
    }

    static InetAddress readAddress(ByteBuf in) {
        int length = in.readUnsignedByte();
        if (length != 4 && length != 16) {
            throw new LinkProtocolException("an address of " + length + " bytes (expected: 4 or 16)");
        }
        byte[] bytes = new byte[length];
        in.readBytes(bytes);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException("4 or 16 bytes are always an address", impossible);
        }
    }

    static boolean readBoolean(ByteBuf in) {
        byte value = in.readByte();
        if (value != 0 && value != 1) {
            throw new LinkProtocolException("a boolean of " + value + " (expected: 0 or 1)");
        }
        return value == 1;
    }

    static void writeState(ByteBuf out, ConnectionState state) {
        byte[] held = state.heldBytes();
        out.writeByte(held.length).writeBytes(held);
        out.writeLong(state.idle().toNanos());
    }

    static ConnectionState readState(ByteBuf in) {
        int length = in.readUnsignedByte();
        if (length > ConnectionState.MAX_HELD_BYTES) {
            throw new LinkProtocolException(length + " held bytes (expected: <= " + ConnectionState.MAX_HELD_BYTES + ")");
        }
        byte[] held = new byte[length];
        in.readBytes(held);
        return new ConnectionState(held, Duration.ofNanos(in.readLong()));
    }
}

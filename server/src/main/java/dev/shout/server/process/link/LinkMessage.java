package dev.shout.server.process.link;

import dev.shout.server.config.WorkerSettings;
import dev.shout.server.pipeline.ConnectionState;
import io.netty.buffer.ByteBuf;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongBinaryOperator;

/**
 * Every message of the link between the master and one worker, each a record with its type byte
 * and its sender beside it; each writes its own fields and {@link LinkCodec} reads them back. A
 * message that carries a client connection ({@link CarriesDescriptor}) travels on the framed
 * socket while its descriptor travels on the worker's second socket, matched by sequence number.
 */
public sealed interface LinkMessage {

    /**
     * The link protocol this build speaks; a worker says its own in {@link Hello}. 2: heartbeats
     * count PROXY refusals; 3: they count refusals as a list by reason, TLS's among them, and the
     * master reloads certificates; 4: workers may accept from a listening socket the master
     * shares ({@code --accept workers}), admitting clients under leases of the master's ledger;
     * 5: live connections move from worker to worker (issue #11); 6: a worker says hello first and
     * is sent its settings ({@link Configure}) instead of parsing the master's command line.
     */
    int PROTOCOL_VERSION = 6;

    /** Who may send a message: a message read from the other side is a protocol error. */
    enum Sender { WORKER, MASTER }

    /** The type byte, from {@link LinkCodec}'s table of every message. */
    default byte type() {
        return LinkCodec.kindOf(this).type();
    }

    /** The only side that may send this message. */
    default Sender sender() {
        return LinkCodec.kindOf(this).sender();
    }

    /** Writes the fields, not the type or the frame's length. */
    void writeFields(ByteBuf out);

    /** A message whose meaning is the descriptor of the same sequence number on the descriptor socket. */
    sealed interface CarriesDescriptor extends LinkMessage
            permits ClientConnection, ListeningSocket, MigrateConnection, MigratedConnection {
        /** 0 for the first descriptor a link carries, then 1, 2, ... */
        long sequence();
    }

    /** A report about one client connection, whose id is its one field. */
    sealed interface AboutConnection extends LinkMessage
            permits Adopted, ArrivedClosed, Released, Accepted, Migrated, StayedBehind, HandedOver {
        long connection();

        @Override
        default void writeFields(ByteBuf out) {
            out.writeLong(connection());
        }
    }

    // --- worker to master ---------------------------------------------------------------------

    /** The worker's first frame: the link protocol it speaks and the build it runs. */
    record Hello(int protocolVersion, String buildVersion) implements LinkMessage {
        public static final byte TYPE = 0x01;
        /** Longest build version in bytes of UTF-8. */
        public static final int MAX_VERSION_BYTES = 64;

        public Hello {
            if (buildVersion.getBytes(StandardCharsets.UTF_8).length > MAX_VERSION_BYTES) {
                throw new IllegalArgumentException("build version longer than " + MAX_VERSION_BYTES + " bytes");
            }
        }

        static Hello read(ByteBuf in) {
            return new Hello(in.readInt(), LinkCodec.readString(in, MAX_VERSION_BYTES));
        }

        @Override
        public void writeFields(ByteBuf out) {
            out.writeInt(protocolVersion);
            LinkCodec.writeString(out, buildVersion);
        }
    }

    /**
     * Still alive, with this worker's figures since it started; twice a second. The master adds
     * the growth of the counters to its totals, so they survive the worker.
     */
    record Heartbeat(int open, long received, long sent, long heapUsed, TimedOut timedOut,
            Refused refused) implements LinkMessage {
        public static final byte TYPE = 0x02;
        public static final Heartbeat NONE = new Heartbeat(0, 0, 0, 0, new TimedOut(0, 0, 0), Refused.NONE);

        static Heartbeat read(ByteBuf in) {
            return new Heartbeat(in.readInt(), in.readLong(), in.readLong(), in.readLong(),
                    new TimedOut(in.readLong(), in.readLong(), in.readLong()),
                    Refused.read(in));
        }

        @Override
        public void writeFields(ByteBuf out) {
            out.writeInt(open).writeLong(received).writeLong(sent).writeLong(heapUsed);
            out.writeLong(timedOut.idle()).writeLong(timedOut.halfClosed()).writeLong(timedOut.write());
            refused.write(out);
        }
    }

    /** Connections a worker closed for each timeout, since it started. */
    record TimedOut(long idle, long halfClosed, long write) {
    }

    /**
     * Connections a worker refused since it started, a count for each reason in the order of
     * {@code Refusals.Reason}: the link protocol's version pins that order.
     */
    record Refused(List<Long> byReason) {
        /** The most reasons a heartbeat carries. */
        public static final int MAX_REASONS = 16;
        public static final Refused NONE = new Refused(List.of());

        public Refused {
            byReason = List.copyOf(byReason);
            if (byReason.size() > MAX_REASONS) {
                throw new IllegalArgumentException(byReason.size() + " refusal reasons (expected: <= " + MAX_REASONS + ")");
            }
        }

        /** The count for the reason of ordinal {@code reason}; 0 for one this worker does not know. */
        public long count(int reason) {
            return reason < byReason.size() ? byReason.get(reason) : 0;
        }

        public Refused plus(Refused other) {
            return combine(other, Long::sum);
        }

        public Refused minus(Refused other) {
            return combine(other, (a, b) -> a - b);
        }

        private Refused combine(Refused other, LongBinaryOperator operator) {
            int reasons = Math.max(byReason.size(), other.byReason.size());
            List<Long> combined = new ArrayList<>(reasons);
            for (int reason = 0; reason < reasons; reason++) {
                combined.add(operator.applyAsLong(count(reason), other.count(reason)));
            }
            return new Refused(combined);
        }

        static Refused read(ByteBuf in) {
            int reasons = in.readUnsignedByte();
            if (reasons > MAX_REASONS) {
                throw new LinkProtocolException(reasons + " refusal reasons (expected: <= " + MAX_REASONS + ")");
            }
            List<Long> byReason = new ArrayList<>(reasons);
            for (int reason = 0; reason < reasons; reason++) {
                byReason.add(in.readLong());
            }
            return new Refused(byReason);
        }

        void write(ByteBuf out) {
            out.writeByte(byReason.size());
            byReason.forEach(out::writeLong);
        }
    }

    /**
     * The worker holds client connection {@code connection} and has not read from it yet: the
     * master closes its copy, and will no longer give the connection to another worker.
     */
    record Adopted(long connection) implements AboutConnection {
        public static final byte TYPE = 0x03;

        static Adopted read(ByteBuf in) {
            return new Adopted(in.readLong());
        }
    }

    /** Connection {@code connection} arrived already reset by its client: its place is free at once. */
    record ArrivedClosed(long connection) implements AboutConnection {
        public static final byte TYPE = 0x04;

        static ArrivedClosed read(ByteBuf in) {
            return new ArrivedClosed(in.readLong());
        }
    }

    /**
     * With {@code --accept workers}: the worker accepted a client and serves it under the lease
     * {@code connection}, granted before; the master counts it opened.
     */
    record Accepted(long connection) implements AboutConnection {
        public static final byte TYPE = 0x08;

        static Accepted read(ByteBuf in) {
            return new Accepted(in.readLong());
        }
    }

    /**
     * With {@code --accept workers}: grant lease {@code lease}, a place in the master's ledger, for
     * a client the worker accepted from {@code client}; answered with {@link LeaseAnswer}.
     */
    record LeaseRequest(long lease, InetAddress client) implements LinkMessage {
        public static final byte TYPE = 0x09;

        static LeaseRequest read(ByteBuf in) {
            return new LeaseRequest(in.readLong(), LinkCodec.readAddress(in));
        }

        @Override
        public void writeFields(ByteBuf out) {
            out.writeLong(lease);
            LinkCodec.writeAddress(out, client);
        }
    }

    /** Connection (or lease) {@code connection} ended: its permit goes back. */
    record Released(long connection) implements AboutConnection {
        public static final byte TYPE = 0x05;

        static Released read(ByteBuf in) {
            return new Released(in.readLong());
        }
    }

    /** The worker got SIGTERM and is draining: send it nothing more. */
    record Draining() implements LinkMessage {
        public static final byte TYPE = 0x06;

        static Draining read(ByteBuf in) {
            return new Draining();
        }

        @Override
        public void writeFields(ByteBuf out) {
        }
    }

    /**
     * Admit {@code connection} as coming from {@code client}, an address the worker learned
     * itself: the master's ledger, the only one, answers with {@link AdmissionAnswer}.
     */
    record AdmissionRequest(long connection, InetAddress client) implements LinkMessage {
        public static final byte TYPE = 0x07;

        static AdmissionRequest read(ByteBuf in) {
            return new AdmissionRequest(in.readLong(), LinkCodec.readAddress(in));
        }

        @Override
        public void writeFields(ByteBuf out) {
            out.writeLong(connection);
            LinkCodec.writeAddress(out, client);
        }
    }

    // --- master to worker ---------------------------------------------------------------------

    /**
     * The master's answer to a hello in its protocol, and the first frame it sends: the settings
     * the worker serves by. The worker sets itself up from them, then connects its descriptor
     * socket, which makes it ready; until then the master sends nothing but, perhaps, a
     * certificate reload, which the worker keeps for the reader it sets up.
     */
    record Configure(WorkerSettings settings) implements LinkMessage {
        public static final byte TYPE = 0x49;

        static Configure read(ByteBuf in) {
            return new Configure(SettingsCodec.read(in));
        }

        @Override
        public void writeFields(ByteBuf out) {
            SettingsCodec.write(out, settings);
        }
    }

    /** Descriptor {@code sequence} is client connection {@code connection}: serve it. */
    record ClientConnection(long sequence, long connection) implements CarriesDescriptor {
        public static final byte TYPE = 0x40;

        static ClientConnection read(ByteBuf in) {
            return new ClientConnection(in.readLong(), in.readLong());
        }

        @Override
        public void writeFields(ByteBuf out) {
            out.writeLong(sequence).writeLong(connection);
        }
    }

    /** The certificate files changed, or the master got SIGUSR1: read them again for new connections. */
    record ReloadCertificates() implements LinkMessage {
        public static final byte TYPE = 0x42;

        static ReloadCertificates read(ByteBuf in) {
            return new ReloadCertificates();
        }

        @Override
        public void writeFields(ByteBuf out) {
        }
    }

    /**
     * With {@code --accept workers}: descriptor {@code sequence} is the server's listening socket;
     * accept from it. Sent once to each worker as it becomes ready.
     */
    record ListeningSocket(long sequence) implements CarriesDescriptor {
        public static final byte TYPE = 0x43;

        static ListeningSocket read(ByteBuf in) {
            return new ListeningSocket(in.readLong());
        }

        @Override
        public void writeFields(ByteBuf out) {
            out.writeLong(sequence);
        }
    }

    /** The answer to a {@link LeaseRequest}: refused (the address holds its limit) means the worker closes the client. */
    record LeaseAnswer(long lease, boolean granted) implements LinkMessage {
        public static final byte TYPE = 0x44;

        static LeaseAnswer read(ByteBuf in) {
            return new LeaseAnswer(in.readLong(), LinkCodec.readBoolean(in));
        }

        @Override
        public void writeFields(ByteBuf out) {
            out.writeLong(lease).writeByte(granted ? 1 : 0);
        }
    }

    /**
     * With {@code --accept workers}: accept while the clients taken from the backlog since the
     * worker started are fewer than {@code taken}, then pause until told more; an absolute
     * count, so that a worker never runs ahead of what the master allowed, however late it hears.
     * {@code serverFull}: the ledger is full, so the worker gives back the leases it holds unused,
     * for another worker's clients.
     */
    record AcceptUntil(long taken, boolean serverFull) implements LinkMessage {
        public static final byte TYPE = 0x45;

        static AcceptUntil read(ByteBuf in) {
            return new AcceptUntil(in.readLong(), LinkCodec.readBoolean(in));
        }

        @Override
        public void writeFields(ByteBuf out) {
            out.writeLong(taken).writeByte(serverFull ? 1 : 0);
        }
    }

    /** The answer to an {@link AdmissionRequest}: refused means the worker closes the connection. */
    record AdmissionAnswer(long connection, boolean admitted) implements LinkMessage {
        public static final byte TYPE = 0x41;

        static AdmissionAnswer read(ByteBuf in) {
            return new AdmissionAnswer(in.readLong(), LinkCodec.readBoolean(in));
        }

        @Override
        public void writeFields(ByteBuf out) {
            out.writeLong(connection).writeByte(admitted ? 1 : 0);
        }
    }

    // --- moving live connections (issue #11): old worker -> master -> new worker ------------------

    /**
     * Worker to master: descriptor {@code sequence} of this worker's descriptor socket is client
     * connection {@code connection}, readied to move with {@code state}; nothing is owed it and
     * nothing more is read from it here.
     */
    record MigrateConnection(long sequence, long connection, ConnectionState state) implements CarriesDescriptor {
        public static final byte TYPE = 0x0A;

        static MigrateConnection read(ByteBuf in) {
            return new MigrateConnection(in.readLong(), in.readLong(), LinkCodec.readState(in));
        }

        @Override
        public void writeFields(ByteBuf out) {
            out.writeLong(sequence).writeLong(connection);
            LinkCodec.writeState(out, state);
        }
    }

    /**
     * The new worker holds moved connection {@code connection} and has not read from it yet: as
     * {@link Adopted}, but the client is not counted as opened again.
     */
    record Migrated(long connection) implements AboutConnection {
        public static final byte TYPE = 0x0B;

        static Migrated read(ByteBuf in) {
            return new Migrated(in.readLong());
        }
    }

    /** Connection {@code connection} could not move (see ConnectionMigration) and is drained where it is. */
    record StayedBehind(long connection) implements AboutConnection {
        public static final byte TYPE = 0x0C;

        static StayedBehind read(ByteBuf in) {
            return new StayedBehind(in.readLong());
        }
    }

    /** Master to worker: your replacement is ready; move every connection you can to it, then drain. */
    record MigrateConnections() implements LinkMessage {
        public static final byte TYPE = 0x46;

        static MigrateConnections read(ByteBuf in) {
            return new MigrateConnections();
        }

        @Override
        public void writeFields(ByteBuf out) {
        }
    }

    /** Master to worker: descriptor {@code sequence} is connection {@code connection}, moved here: serve it on from {@code state}. */
    record MigratedConnection(long sequence, long connection, ConnectionState state) implements CarriesDescriptor {
        public static final byte TYPE = 0x47;

        static MigratedConnection read(ByteBuf in) {
            return new MigratedConnection(in.readLong(), in.readLong(), LinkCodec.readState(in));
        }

        @Override
        public void writeFields(ByteBuf out) {
            out.writeLong(sequence).writeLong(connection);
            LinkCodec.writeState(out, state);
        }
    }

    /** Master to the old worker: the new worker adopted {@code connection}; close your copy. */
    record HandedOver(long connection) implements AboutConnection {
        public static final byte TYPE = 0x48;

        static HandedOver read(ByteBuf in) {
            return new HandedOver(in.readLong());
        }
    }
}

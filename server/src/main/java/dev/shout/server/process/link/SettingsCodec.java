package dev.shout.server.process.link;

import dev.shout.server.config.Cidr;
import dev.shout.server.config.ConnectionPolicy;
import dev.shout.server.config.ProxyProtocol;
import dev.shout.server.config.ProxyProtocolPolicy;
import dev.shout.server.config.TlsConfig;
import dev.shout.server.config.TlsProvider;
import dev.shout.server.config.WorkerSettings;
import dev.shout.server.transform.TransformKind;
import io.netty.buffer.ByteBuf;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The fields of {@link LinkMessage.Configure}: a worker's settings, field by field, durations in
 * nanoseconds, names as the flags spell them, paths as the master was given them (a worker
 * resolves a relative one against the master's directory, its {@code user.dir}). What is read
 * is checked again by the records it builds, as a command line would be.
 */
final class SettingsCodec {

    /** Longest path in bytes of UTF-8: Linux's {@code PATH_MAX}, which no file the master opened exceeds. */
    static final int MAX_PATH_BYTES = 4096;
    /** Longest flag value or address range in bytes of UTF-8. */
    private static final int MAX_NAME_BYTES = 64;

    private SettingsCodec() {
    }

    static void write(ByteBuf out, WorkerSettings settings) {
        out.writeInt(settings.threads()).writeInt(settings.connectionsPerWorker());
        writeDuration(out, settings.shutdownTimeout());
        writeDuration(out, settings.migrationTimeout());
        ConnectionPolicy connection = settings.connection();
        LinkCodec.writeString(out, connection.transform().flagValue());
        writeDuration(out, connection.idleTimeout());
        writeDuration(out, connection.halfClosedTimeout());
        out.writeInt(connection.maxPendingBytes());
        writeDuration(out, connection.writeTimeout());
        ProxyProtocolPolicy proxy = settings.proxy();
        LinkCodec.writeString(out, proxy.protocol().name());
        out.writeShort(proxy.trusted().size());
        proxy.trusted().forEach(range -> LinkCodec.writeString(out, range.toString()));
        writeDuration(out, proxy.headerTimeout());
        out.writeBoolean(settings.tls().isPresent());
        settings.tls().ifPresent(tls -> {
            writePath(out, tls.certificate());
            writePath(out, tls.key());
            out.writeBoolean(tls.clientCa().isPresent());
            tls.clientCa().ifPresent(authorities -> writePath(out, authorities));
            LinkCodec.writeString(out, tls.provider().name());
            writeDuration(out, tls.handshakeTimeout());
        });
    }

    static WorkerSettings read(ByteBuf in) {
        int threads = in.readInt();
        int connectionsPerWorker = in.readInt();
        Duration shutdownTimeout = readDuration(in);
        Duration migrationTimeout = readDuration(in);
        ConnectionPolicy connection = new ConnectionPolicy(TransformKind.fromFlag(readName(in)), readDuration(in),
                readDuration(in), in.readInt(), readDuration(in));
        ProxyProtocol protocol = ProxyProtocol.valueOf(readName(in));
        int ranges = in.readUnsignedShort();
        if (ranges > ProxyProtocolPolicy.MAX_TRUSTED) {
            throw new LinkProtocolException(ranges + " trusted ranges (expected: <= " + ProxyProtocolPolicy.MAX_TRUSTED + ")");
        }
        List<Cidr> trusted = new ArrayList<>(ranges);
        for (int i = 0; i < ranges; i++) {
            trusted.add(Cidr.parse(readName(in)));
        }
        ProxyProtocolPolicy proxy = new ProxyProtocolPolicy(protocol, trusted, readDuration(in));
        Optional<TlsConfig> tls = LinkCodec.readBoolean(in) ? Optional.of(readTls(in)) : Optional.empty();
        return new WorkerSettings(threads, connection, proxy, tls, connectionsPerWorker, shutdownTimeout,
                migrationTimeout);
    }

    private static TlsConfig readTls(ByteBuf in) {
        Path certificate = readPath(in);
        Path key = readPath(in);
        Optional<Path> clientCa = LinkCodec.readBoolean(in) ? Optional.of(readPath(in)) : Optional.empty();
        return new TlsConfig(certificate, key, clientCa, TlsProvider.valueOf(readName(in)), readDuration(in));
    }

    private static String readName(ByteBuf in) {
        return LinkCodec.readString(in, MAX_NAME_BYTES);
    }

    private static void writeDuration(ByteBuf out, Duration duration) {
        out.writeLong(duration.toNanos());
    }

    private static Duration readDuration(ByteBuf in) {
        return Duration.ofNanos(in.readLong());
    }

    private static void writePath(ByteBuf out, Path path) {
        LinkCodec.writeLongString(out, path.toString());
    }

    private static Path readPath(ByteBuf in) {
        return Path.of(LinkCodec.readLongString(in, MAX_PATH_BYTES));
    }
}

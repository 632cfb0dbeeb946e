package dev.shout.server.process.worker;

import dev.shout.server.admission.ConnectionAdmission;
import dev.shout.server.pipeline.ConnectionMigration;
import dev.shout.server.pipeline.ConnectionState;
import dev.shout.server.process.link.LinkMessage.CarriesDescriptor;
import dev.shout.server.process.link.LinkMessage.ClientConnection;
import dev.shout.server.process.link.LinkMessage.MigratedConnection;
import dev.shout.server.process.link.LinkProtocolException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adopts each client connection the master sends, new or moved from a retiring worker with the
 * state its pipeline goes on from: says so, then wraps it in a channel with the
 * common pipeline on one of this worker's event loops, and reports it when it closes.
 *
 * <p>The adoption is said before the connection is registered, so before a byte of it is read:
 * until then the master may still give it to another worker, and after it the master will not.
 * If that message cannot be sent, this worker lets the connection go.
 *
 * <p>Each connection carries its admission by the master under its id, for its pipeline to ask
 * when it learns the real client from a PROXY header.
 */
final class ConnectionAdopter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionAdopter.class);

    private final EventLoopGroup loops;
    private final ChannelHandler pipelineInitializer;
    private final LinkReporter reporter;
    private final RemoteAdmission admission;
    private final ArrivingConnections arriving;

    ConnectionAdopter(EventLoopGroup loops, ChannelHandler pipelineInitializer, LinkReporter reporter,
            RemoteAdmission admission, ArrivingConnections arriving) {
        this.loops = loops;
        this.pipelineInitializer = pipelineInitializer;
        this.reporter = reporter;
        this.admission = admission;
        this.arriving = arriving;
    }

    /** A message and its descriptor, paired: the descriptor is this worker's to serve or close. */
    void paired(CarriesDescriptor message, FileDescriptor descriptor) {
        long id;
        Optional<ConnectionState> moved;
        if (message instanceof ClientConnection client) {
            id = client.connection();
            moved = Optional.empty();
        } else if (message instanceof MigratedConnection migrated) {
            id = migrated.connection();
            moved = Optional.of(migrated.state());
        } else {
            throw new LinkProtocolException(message + " is not a connection to serve");
        }
        EpollSocketChannel connection = new EpollSocketChannel(descriptor.intValue());
        if (!connection.isActive()) {
            // Reset while it waited for a worker: Netty would register it inactive, so nothing
            // would ever read the reset and close it.
            connection.unsafe().closeForcibly();
            reporter.arrivedClosed(id);
            return;
        }
        arriving.arriving();
        (moved.isPresent() ? reporter.migrated(id) : reporter.adopted(id)).addListener((ChannelFuture said) -> {
            if (said.isSuccess()) {
                moved.ifPresent(state -> ConnectionMigration.resume(connection, state));
                register(connection, id);
            } else {
                connection.unsafe().closeForcibly();
                arriving.arrived();
            }
        });
    }

    private void register(EpollSocketChannel connection, long id) {
        ConnectionAdmission.attach(connection, admission.forConnection(id));
        ConnectionMigrator.identify(connection, id);
        connection.pipeline().addLast(pipelineInitializer);
        loops.next().register(connection).addListener(registered -> {
            arriving.arrived();
            if (registered.isSuccess()) {
                connection.closeFuture().addListener(closed -> {
                    // A connection moved to another worker lives on there, its permit with it.
                    if (!ConnectionMigration.movedAway(connection)) {
                        reporter.released(id);
                    }
                });
            } else {
                log.warn("could not serve a connection handed over by the master", registered.cause());
                connection.unsafe().closeForcibly();
                reporter.released(id);
            }
        });
    }
}

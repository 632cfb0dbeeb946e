package dev.shout.server.process.worker;

import dev.shout.server.admission.ConnectionAdmission;
import dev.shout.server.process.link.LinkMessage.CarriesDescriptor;
import dev.shout.server.process.link.LinkMessage.ClientConnection;
import dev.shout.server.process.link.LinkProtocolException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adopts each client connection the master sends: says so, then wraps it in a channel with the
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

    ConnectionAdopter(EventLoopGroup loops, ChannelHandler pipelineInitializer, LinkReporter reporter,
            RemoteAdmission admission) {
        this.loops = loops;
        this.pipelineInitializer = pipelineInitializer;
        this.reporter = reporter;
        this.admission = admission;
    }

    /** A message and its descriptor, paired: the descriptor is this worker's to serve or close. */
    void paired(CarriesDescriptor message, FileDescriptor descriptor) {
        if (!(message instanceof ClientConnection client)) {
            throw new LinkProtocolException(message + " is not a connection to serve");
        }
        long id = client.connection();
        EpollSocketChannel connection = new EpollSocketChannel(descriptor.intValue());
        if (!connection.isActive()) {
            // Reset while it waited for a worker: Netty would register it inactive, so nothing
            // would ever read the reset and close it.
            connection.unsafe().closeForcibly();
            reporter.arrivedClosed(id);
            return;
        }
        reporter.adopted(id).addListener((ChannelFuture said) -> {
            if (said.isSuccess()) {
                register(connection, id);
            } else {
                connection.unsafe().closeForcibly();
            }
        });
    }

    private void register(EpollSocketChannel connection, long id) {
        ConnectionAdmission.attach(connection, admission.forConnection(id));
        connection.pipeline().addLast(pipelineInitializer);
        loops.next().register(connection).addListener(registered -> {
            if (registered.isSuccess()) {
                connection.closeFuture().addListener(closed -> reporter.released(id));
            } else {
                log.warn("could not serve a connection handed over by the master", registered.cause());
                connection.unsafe().closeForcibly();
                reporter.released(id);
            }
        });
    }
}

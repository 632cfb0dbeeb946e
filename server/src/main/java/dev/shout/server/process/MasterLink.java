package dev.shout.server.process;

import dev.shout.server.pipeline.ConnectionState;
import dev.shout.server.process.link.DescriptorPairing;
import dev.shout.server.process.link.LinkMessage;
import dev.shout.server.process.link.LinkMessage.CarriesDescriptor;
import dev.shout.server.process.link.LinkMessage.ClientConnection;
import dev.shout.server.process.link.LinkMessage.MigratedConnection;
import dev.shout.server.process.link.LinkMessage.Heartbeat;
import dev.shout.server.process.link.LinkMessage.ListeningSocket;
import dev.shout.server.process.supervision.WorkerHandle;
import dev.shout.server.transport.AcceptedSocket;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.DomainSocketReadMode;
import io.netty.channel.unix.FileDescriptor;
import java.util.Optional;

/**
 * The master's end of one worker's link: the framed socket for messages and a second socket
 * for descriptors only, since Netty sends a descriptor with one dummy byte and a socket read for
 * descriptors loses any other data. The two live and die together. Touched only on the master's
 * event loop. Descriptors also come back from the worker on the second socket: connections it
 * moves to its replacement (issue #11), paired with their messages as the worker pairs its own.
 */
final class MasterLink {

    private final WorkerHandle worker;
    private final Channel messages;
    private Channel descriptors;
    private boolean greeted;
    private String buildVersion;
    private long nextSequence;
    private Heartbeat lastHeartbeat = Heartbeat.NONE;
    private final DescriptorPairing moving;

    /** @param moving pairs the connections the worker sends back with their descriptors */
    MasterLink(WorkerHandle worker, Channel messages, DescriptorPairing moving) {
        this.worker = worker;
        this.messages = messages;
        this.moving = moving;
    }

    /** Where the worker's messages about connections it moves go, to meet their descriptors. */
    DescriptorPairing moving() {
        return moving;
    }

    WorkerHandle worker() {
        return worker;
    }

    /** The worker's second connection: its descriptor socket. False if it has one already. */
    boolean attachDescriptors(Channel channel) {
        if (descriptors != null) {
            return false;
        }
        descriptors = channel;
        if (channel instanceof EpollDomainSocketChannel domain) { // always, but for tests' embedded channels
            domain.config().setReadMode(DomainSocketReadMode.FILE_DESCRIPTORS);
        }
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object descriptor) {
                moving.descriptor((FileDescriptor) descriptor);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                messages.close();
            }
        });
        channel.closeFuture().addListener(closed -> moving.close());
        channel.closeFuture().addListener(closed -> messages.close());
        messages.closeFuture().addListener(closed -> channel.close());
        return true;
    }

    /** The worker said hello in this master's protocol, running {@code buildVersion}. */
    void greet(String buildVersion) {
        this.buildVersion = buildVersion;
        greeted = true;
    }

    /** The build the worker announced; null before its hello. */
    String buildVersion() {
        return buildVersion;
    }

    boolean greeted() {
        return greeted;
    }

    /** Both sockets are up and the worker spoke: it may be sent connections. */
    boolean complete() {
        return greeted && descriptors != null;
    }

    /**
     * Writes client {@code connection} with its id: the descriptor on its socket and, on the
     * framed one, the message that says what it is: a new client, or one {@code moved} from
     * another worker with its state. Completes with the descriptor's write.
     */
    ChannelFuture sendConnection(AcceptedSocket connection, long id, Optional<ConnectionState> moved) {
        long sequence = nextSequence++;
        CarriesDescriptor message = moved.<CarriesDescriptor>map(state -> new MigratedConnection(sequence, id, state))
                .orElseGet(() -> new ClientConnection(sequence, id));
        messages.write(message, messages.voidPromise());
        return descriptors.write(new FileDescriptor(connection.fd().intValue()));
    }

    /** Gives the worker the server's listening socket, {@code listening}, to accept from. */
    void sendListeningSocket(int listening) {
        messages.write(new ListeningSocket(nextSequence++), messages.voidPromise());
        descriptors.write(new FileDescriptor(listening), descriptors.voidPromise());
        flush();
    }

    void send(LinkMessage message) {
        messages.writeAndFlush(message, messages.voidPromise());
    }

    void flush() {
        messages.flush();
        descriptors.flush();
    }

    /**
     * Once everything written is out, shuts the master's side of both sockets: the worker's end
     * of file then tells it that no connection is still on the way.
     */
    void finishSending() {
        for (Channel channel : new Channel[] {messages, descriptors}) {
            if (channel != null) {
                channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(flushed -> {
                    if (channel instanceof DuplexChannel duplex) {
                        duplex.shutdownOutput();
                    } else {
                        channel.close();
                    }
                });
            }
        }
    }

    void close() {
        messages.close();
    }

    /** Keeps the worker's latest heartbeat and returns the one before it. */
    Heartbeat heartbeat(Heartbeat latest) {
        Heartbeat previous = lastHeartbeat;
        lastHeartbeat = latest;
        return previous;
    }

    Heartbeat lastHeartbeat() {
        return lastHeartbeat;
    }

    @Override
    public String toString() {
        return "link to " + worker;
    }
}

package dev.shout.server.process;

import dev.shout.server.process.link.LinkMessage;
import dev.shout.server.process.link.LinkMessage.ClientConnection;
import dev.shout.server.process.link.LinkMessage.Heartbeat;
import dev.shout.server.process.link.LinkMessage.ListeningSocket;
import dev.shout.server.process.supervision.WorkerHandle;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.unix.FileDescriptor;

/**
 * The master's end of one worker's link: the framed socket for messages and a second socket
 * for descriptors only, since Netty sends a descriptor with one dummy byte and a socket read for
 * descriptors loses any other data. The two live and die together. Touched only on the master's
 * event loop.
 */
final class MasterLink {

    private final WorkerHandle worker;
    private final Channel messages;
    private Channel descriptors;
    private boolean greeted;
    private String buildVersion;
    private long nextSequence;
    private Heartbeat lastHeartbeat = Heartbeat.NONE;

    MasterLink(WorkerHandle worker, Channel messages) {
        this.worker = worker;
        this.messages = messages;
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
     * framed one, the message that says what it is. Completes with the descriptor's write.
     */
    ChannelFuture sendConnection(EpollSocketChannel connection, long id) {
        messages.write(new ClientConnection(nextSequence++, id), messages.voidPromise());
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

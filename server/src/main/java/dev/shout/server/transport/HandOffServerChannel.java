package dev.shout.server.transport;

import io.netty.channel.Channel;
import io.netty.channel.epoll.AbstractEpollServerChannel;
import io.netty.channel.epoll.EpollChannelConfig;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.NativeInetAddress;
import io.netty.channel.unix.Socket;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * The master's listening socket. With {@code --accept master} it accepts each client as an
 * {@link AcceptedSocket}, the bare descriptor and the client's address, because the master only
 * passes it on to a worker, which sets its own options when it adopts it; with
 * {@code --accept workers} the master accepts nothing and only shares it. Netty's
 * {@code EpollServerSocketChannel} would make a full socket channel of each, at four system calls
 * the master does not need (two getsockname(2), a getsockopt(2) and a setsockopt(2)).
 *
 * <p>It is made from a socket that listens already, inherited or bound by {@link ServiceSocket},
 * so that it never binds itself: Netty's server channel is final and its bind cannot be reused.
 */
public final class HandOffServerChannel extends AbstractEpollServerChannel {

    private final EpollChannelConfig config = new EpollChannelConfig(this) { };

    /** @param listening a listening TCP socket, which the channel then owns */
    public HandOffServerChannel(int listening) {
        super(listening);
        // Netty's constructor from a descriptor takes it for one not listening yet.
        active = true;
    }

    @Override
    public EpollChannelConfig config() {
        return config;
    }

    @Override
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) super.localAddress();
    }

    /** Asked of the kernel once: the channel keeps the answer. */
    @Override
    protected SocketAddress localAddress0() {
        return ((Socket) fd()).localAddress();
    }

    @Override
    protected Channel newChildChannel(int descriptor, byte[] address, int offset, int length) {
        return new AcceptedSocket(this, new FileDescriptor(descriptor), NativeInetAddress.address(address, offset, length));
    }

    @Override
    protected void doBind(SocketAddress local) {
        throw new UnsupportedOperationException("a hand-off server channel is made from a listening socket: it does not bind");
    }
}

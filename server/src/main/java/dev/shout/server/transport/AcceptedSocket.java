package dev.shout.server.transport;

import io.netty.channel.AbstractChannel;
import io.netty.channel.Channel;
import io.netty.channel.ChannelConfig;
import io.netty.channel.ChannelMetadata;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.ChannelPromise;
import io.netty.channel.EventLoop;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * A client's socket that the master holds only to pass it on to a worker: its descriptor and the
 * client's address, nothing asked of the kernel. It is a {@link Channel} because a server channel
 * delivers what it accepts as one, but it is never registered, read or written: those throw.
 * {@code unsafe().closeForcibly()} closes the descriptor, once however often it is called.
 */
public final class AcceptedSocket extends AbstractChannel implements UnixChannel {

    private static final ChannelMetadata METADATA = new ChannelMetadata(false);

    private final FileDescriptor descriptor;
    private final InetSocketAddress client;

    /** A client {@code parent} accepted as {@code descriptor}, which it then owns. */
    AcceptedSocket(Channel parent, FileDescriptor descriptor, InetSocketAddress client) {
        super(parent);
        this.descriptor = descriptor;
        this.client = client;
    }

    /**
     * A connection a worker sent back to move, received as {@code descriptor}, which it then owns:
     * its client's address is asked of the kernel once (that is rare), and is null if the client
     * is gone already.
     */
    public static AcceptedSocket moved(FileDescriptor descriptor) {
        // A second wrapper of the same descriptor, to ask getpeername(2); never closed.
        InetSocketAddress client = new Socket(descriptor.intValue()).remoteAddress();
        return new AcceptedSocket(null, descriptor, client);
    }

    @Override
    public FileDescriptor fd() {
        return descriptor;
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return client;
    }

    @Override
    public boolean isOpen() {
        return descriptor.isOpen();
    }

    @Override
    public boolean isActive() {
        return isOpen();
    }

    @Override
    public ChannelMetadata metadata() {
        return METADATA;
    }

    @Override
    public ChannelConfig config() {
        throw unsupported("has no options");
    }

    @Override
    public String toString() {
        return "accepted socket " + descriptor.intValue() + " from " + client;
    }

    @Override
    protected void doClose() throws IOException {
        descriptor.close();
    }

    @Override
    protected boolean isCompatible(EventLoop loop) {
        return false;
    }

    /** Not asked of the kernel: the master has no use for it. */
    @Override
    protected SocketAddress localAddress0() {
        return null;
    }

    @Override
    protected SocketAddress remoteAddress0() {
        return client;
    }

    @Override
    protected AbstractUnsafe newUnsafe() {
        return new AbstractUnsafe() {
            @Override
            public void connect(SocketAddress remote, SocketAddress local, ChannelPromise promise) {
                promise.setFailure(unsupported("is connected already"));
            }
        };
    }

    @Override
    protected void doBind(SocketAddress local) {
        throw unsupported("is connected already");
    }

    @Override
    protected void doDisconnect() {
        throw unsupported("is only closed");
    }

    @Override
    protected void doBeginRead() {
        throw unsupported("is never read here");
    }

    @Override
    protected void doWrite(ChannelOutboundBuffer in) {
        throw unsupported("is never written here");
    }

    private static UnsupportedOperationException unsupported(String why) {
        return new UnsupportedOperationException("an accepted socket held for a worker " + why);
    }
}

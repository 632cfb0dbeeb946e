package dev.shout.server.transport;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.function.Supplier;

/** The Netty transport: native epoll where it loads, the JDK's NIO elsewhere. */
public enum Transport {
    EPOLL("epoll", EpollServerSocketChannel.class, EpollIoHandler::newFactory),
    NIO("nio", NioServerSocketChannel.class, NioIoHandler::newFactory);

    private final String displayName;
    private final Class<? extends ServerSocketChannel> serverChannelClass;
    private final Supplier<IoHandlerFactory> ioHandlerFactory;

    Transport(String displayName, Class<? extends ServerSocketChannel> serverChannelClass,
            Supplier<IoHandlerFactory> ioHandlerFactory) {
        this.displayName = displayName;
        this.serverChannelClass = serverChannelClass;
        this.ioHandlerFactory = ioHandlerFactory;
    }

    /** True when the native epoll library loaded: process mode needs it to pass descriptors. */
    public static boolean nativeAvailable() {
        return Epoll.isAvailable();
    }

    public static Transport best() {
        return nativeAvailable() ? EPOLL : NIO;
    }

    /** An event loop group whose threads are named after this process and the pool's role. */
    public EventLoopGroup newGroup(int threads, String role) {
        return new MultiThreadIoEventLoopGroup(
                threads, new DefaultThreadFactory(ProcessIdentity.threadPrefix(role)), ioHandlerFactory.get());
    }

    public Class<? extends ServerSocketChannel> serverChannelClass() {
        return serverChannelClass;
    }

    @Override
    public String toString() {
        return displayName;
    }
}

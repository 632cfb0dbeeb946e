package dev.shout.server.transport;

import dev.shout.server.Addresses;
import dev.shout.server.ServerStartException;
import dev.shout.server.config.SocketActivation;
import io.netty.channel.Channel;
import io.netty.channel.ChannelException;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ReflectiveChannelFactory;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.unix.Socket;
import io.netty.channel.unix.UnixChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where the service listens: on the socket passed by socket activation if there is one, else on
 * a socket of its own bound to {@code --host} and {@code --port}. Thread mode and the master both
 * open theirs here, so both take an inherited socket alike and name the address they really
 * listen on. The metrics endpoint is not this socket: it is bound as usual.
 */
public final class ServiceSocket {

    private static final Logger log = LoggerFactory.getLogger(ServiceSocket.class);

    // getsockopt(2) names and values of Linux (asm-generic, which x86-64, arm64, ppc64le and
    // s390x share); the native transport only loads on Linux. sd_is_socket_inet(3) checks the same.
    private static final int SOL_SOCKET = 1;
    private static final int SO_TYPE = 3;
    private static final int SO_ACCEPTCONN = 30;
    private static final int SO_PROTOCOL = 38;
    private static final int SO_DOMAIN = 39;
    private static final int AF_INET = 2;
    private static final int AF_INET6 = 10;
    private static final int SOCK_STREAM = 1;
    private static final int IPPROTO_TCP = 6;

    private final String host;
    private final int port;
    private final Optional<SocketActivation> activation;

    /**
     * @param host the address to bind without socket activation; also how the start line names it
     * @param port the port to bind without socket activation; 0 picks a free one
     * @param activation the socket passed by socket activation, if one was
     */
    public ServiceSocket(String host, int port, Optional<SocketActivation> activation) {
        this.host = host;
        this.port = port;
        this.activation = activation;
    }

    /**
     * Thread mode's server channel, of {@code transport}: the inherited socket, checked to be a
     * listening TCP socket, or a new one to bind with {@link #listen}.
     *
     * @throws ServerStartException with the line to show, if the inherited socket cannot be served
     */
    public ServerSocketChannel newChannel(Transport transport) {
        if (activation.isEmpty()) {
            return new ReflectiveChannelFactory<>(transport.serverChannelClass()).newChannel();
        }
        if (transport != Transport.EPOLL) {
            throw new ServerStartException("cannot listen on the socket passed by socket activation: taking over a"
                    + " descriptor needs Netty's native epoll transport, which is not available here");
        }
        return new EpollServerSocketChannel(inherited());
    }

    /**
     * The master's server channel, whose clients are only handed on ({@link HandOffServerChannel}):
     * the inherited socket, checked as {@link #newChannel} does, or a new one bound here and
     * listening with {@code backlog}. It listens already: {@link #listen} is not for it.
     *
     * @throws ServerStartException with the line to show, if it cannot listen
     */
    public HandOffServerChannel newHandOffChannel(int backlog) {
        if (activation.isPresent()) {
            HandOffServerChannel inherited = new HandOffServerChannel(inherited());
            logInherited(inherited);
            return inherited;
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (address.isUnresolved()) {
            throw new ServerStartException(address, new UnresolvedAddressException());
        }
        Socket socket = Socket.newSocketStream();
        try {
            socket.setReuseAddress(true);
            socket.bind(address);
            socket.listen(backlog);
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException alsoFailed) {
                e.addSuppressed(alsoFailed);
            }
            throw new ServerStartException(address, e);
        }
        return new HandOffServerChannel(socket.intValue());
    }

    /**
     * Makes a registered channel from {@link #newChannel} listen: binds a new one; an inherited
     * one listens already, and {@code --host}, {@code --port} and {@code --backlog} do not apply.
     */
    public void listen(Channel registered) {
        if (activation.isPresent()) {
            logInherited(registered);
            return;
        }
        InetSocketAddress address = new InetSocketAddress(host, port);
        try {
            registered.bind(address).sync();
        } catch (Exception e) {
            registered.close();
            throw new ServerStartException(address, e);
        }
    }

    /**
     * Stops listening: new clients are refused, for every process that shares the socket (the
     * workers with {@code --accept workers}) — shutdown(2) of its receiving side turns a listening
     * socket back to closed, as a close does that nobody shares — then closes this process's copy.
     * An inherited socket is only closed: socket activation keeps it listening for the next start.
     */
    public ChannelFuture close(Channel listening) {
        if (activation.isEmpty() && listening instanceof UnixChannel unix && unix.isOpen()) {
            try {
                ((Socket) unix.fd()).shutdown(true, false);
            } catch (IOException e) {
                log.warn("cannot shut the listening socket down: {}", e.toString());
            }
        }
        return listening.close();
    }

    private void logInherited(Channel listening) {
        log.info("socket activation: listening on the inherited socket {} (descriptor {});"
                + " --host, --port and --backlog are ignored", address(listening), activation.get().descriptor());
    }

    /** The address the start line gives: an inherited socket's own, or the host as configured with the port bound. */
    public String address(Channel listening) {
        return activation.isPresent() ? Addresses.format((InetSocketAddress) listening.localAddress())
                : ServerStartException.listening(host, listening.localAddress());
    }

    /** The inherited socket, checked to be an accepting TCP socket. */
    private int inherited() {
        int descriptor = activation.get().descriptor();
        checkListeningTcp(descriptor);
        return descriptor;
    }

    /** An accepting TCP socket, or a start failure saying what the descriptor is instead. */
    private static void checkListeningTcp(int descriptor) {
        String problem;
        try {
            // A wrapper to ask the kernel about the descriptor (making it asks getsockname(2)); closing
            // it would close the socket.
            Socket socket = new Socket(descriptor);
            int domain = socket.getIntOpt(SOL_SOCKET, SO_DOMAIN);
            boolean tcp = (domain == AF_INET || domain == AF_INET6) && socket.getIntOpt(SOL_SOCKET, SO_TYPE) == SOCK_STREAM
                    && socket.getIntOpt(SOL_SOCKET, SO_PROTOCOL) == IPPROTO_TCP;
            if (!tcp) {
                problem = "is not a TCP socket";
            } else if (socket.getIntOpt(SOL_SOCKET, SO_ACCEPTCONN) == 0) {
                problem = "is a TCP socket that is not listening";
            } else {
                return;
            }
        } catch (IOException | ChannelException notASocket) {
            problem = "is not a socket";
        }
        throw new ServerStartException("cannot listen on the socket passed by socket activation: descriptor "
                + descriptor + " (" + whatIs(descriptor) + ") " + problem);
    }

    /** What the descriptor refers to, as /proc shows it: {@code /dev/null}, {@code socket:[4711]}. */
    private static String whatIs(int descriptor) {
        try {
            return Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(descriptor))).toString();
        } catch (IOException e) {
            return "not open";
        }
    }
}

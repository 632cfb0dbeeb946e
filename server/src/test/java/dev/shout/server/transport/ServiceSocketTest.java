package dev.shout.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.Addresses;
import dev.shout.server.ServerStartException;
import dev.shout.server.config.SocketActivation;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import io.netty.channel.unix.Socket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Descriptors made here stand in for the one a service manager passes; the checks are the kernel's. */
@Timeout(10)
class ServiceSocketTest {

    private static final String PREFIX = "cannot listen on the socket passed by socket activation: descriptor ";

    private static EventLoopGroup loop;

    @BeforeAll
    static void startLoop() {
        Epoll.ensureAvailability();
        loop = Transport.EPOLL.newGroup(1, "test");
    }

    @AfterAll
    static void stopLoop() {
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void takesOverAListeningTcpSocketAndNamesItsOwnAddress() throws Exception {
        Socket inherited = listeningOnLoopback();
        ServiceSocket socket = new ServiceSocket("192.0.2.1", 1, Optional.of(new SocketActivation(inherited.intValue())));
        ServerSocketChannel channel = socket.newChannel(Transport.EPOLL);
        CountDownLatch accepted = new CountDownLatch(1);
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object connection) {
                ((Channel) connection).unsafe().closeForcibly();
                accepted.countDown();
            }
        });
        try {
            loop.register(channel).sync();
            socket.listen(channel);
            assertEquals(Addresses.format(inherited.localAddress()), socket.address(channel));
            try (java.net.Socket client = new java.net.Socket()) {
                client.connect(inherited.localAddress(), 5_000);
                assertTrue(accepted.await(5, TimeUnit.SECONDS), "the inherited socket's connection was not accepted");
            }
        } finally {
            // The channel owns the descriptor now: closing it closes the inherited socket.
            channel.close().sync();
        }
    }

    @Test
    void refusesADescriptorThatIsNotASocket() throws IOException {
        FileDescriptor devNull = FileDescriptor.from("/dev/null");
        try {
            assertRefused(PREFIX + devNull.intValue() + " (/dev/null) is not a socket", devNull.intValue());
        } finally {
            devNull.close();
        }
    }

    @Test
    void refusesSocketsThatAreNotTcp() throws IOException {
        for (Socket other : new Socket[] {Socket.newSocketDgram(), Socket.newSocketDomain()}) {
            try {
                assertRefused(PREFIX + other.intValue() + " (" + inode(other) + ") is not a TCP socket", other.intValue());
            } finally {
                other.close();
            }
        }
    }

    @Test
    void refusesATcpSocketThatIsNotListening() throws IOException {
        Socket unbound = Socket.newSocketStream();
        try {
            assertRefused(PREFIX + unbound.intValue() + " (" + inode(unbound) + ") is a TCP socket that is not listening",
                    unbound.intValue());
        } finally {
            unbound.close();
        }
    }

    @Test
    void withoutTheNativeTransportNoDescriptorCanBeTakenOver() {
        ServiceSocket socket = new ServiceSocket("127.0.0.1", 0, Optional.of(new SocketActivation(3)));
        ServerStartException e = assertThrows(ServerStartException.class, () -> socket.newChannel(Transport.NIO));
        assertEquals("cannot listen on the socket passed by socket activation: taking over a descriptor needs"
                + " Netty's native epoll transport, which is not available here", e.getMessage());
    }

    @Test
    void withoutSocketActivationBindsTheHostAndPortAndNamesTheHostAsGiven() throws Exception {
        for (Transport transport : Transport.values()) {
            ServiceSocket socket = new ServiceSocket("127.0.0.1", 0, Optional.empty());
            EventLoopGroup group = transport.newGroup(1, "test-" + transport);
            ServerSocketChannel channel = socket.newChannel(transport);
            try {
                group.register(channel).sync();
                socket.listen(channel);
                assertEquals("127.0.0.1:" + channel.localAddress().getPort(), socket.address(channel));
                ServiceSocket taken = new ServiceSocket("127.0.0.1", channel.localAddress().getPort(), Optional.empty());
                ServerSocketChannel second = taken.newChannel(transport);
                group.register(second).sync();
                ServerStartException e = assertThrows(ServerStartException.class, () -> taken.listen(second));
                assertEquals("cannot listen on 127.0.0.1:" + channel.localAddress().getPort() + ": address already in use",
                        e.getMessage());
            } finally {
                channel.close().sync();
                group.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
    }

    @Test
    void theMastersChannelTakesOverTheInheritedSocketAndHandsOnItsClients() throws Exception {
        Socket inherited = listeningOnLoopback();
        ServiceSocket socket = new ServiceSocket("192.0.2.1", 1, Optional.of(new SocketActivation(inherited.intValue())));
        HandOffServerChannel channel = socket.newHandOffChannel(8);
        BlockingQueue<Object> accepted = new LinkedBlockingQueue<>();
        channel.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object connection) {
                accepted.add(connection);
            }
        });
        try {
            assertEquals(inherited.intValue(), channel.fd().intValue());
            loop.register(channel).sync();
            assertEquals(Addresses.format(inherited.localAddress()), socket.address(channel));
            try (java.net.Socket client = new java.net.Socket()) {
                client.connect(inherited.localAddress(), 5_000);
                AcceptedSocket connection = assertInstanceOf(AcceptedSocket.class, accepted.poll(5, TimeUnit.SECONDS));
                assertEquals(client.getLocalSocketAddress(), connection.remoteAddress());
                connection.unsafe().closeForcibly();
            }
        } finally {
            channel.close().sync();
        }
    }

    @Test
    void theMastersChannelListensOnTheHostAndPortOrSaysWhyNot() {
        HandOffServerChannel channel = new ServiceSocket("127.0.0.1", 0, Optional.empty()).newHandOffChannel(8);
        try {
            int port = channel.localAddress().getPort();
            ServiceSocket socket = new ServiceSocket("127.0.0.1", port, Optional.empty());
            assertEquals("127.0.0.1:" + port, socket.address(channel));
            ServerStartException e = assertThrows(ServerStartException.class, () -> socket.newHandOffChannel(8));
            assertEquals("cannot listen on 127.0.0.1:" + port + ": address already in use", e.getMessage());
        } finally {
            channel.unsafe().closeForcibly();
        }
    }

    /** What a service manager would pass: a TCP socket listening on a free port of loopback. */
    private static Socket listeningOnLoopback() throws IOException {
        Socket socket = Socket.newSocketStream();
        socket.bind(new InetSocketAddress("127.0.0.1", 0));
        socket.listen(8);
        return socket;
    }

    /** Refused alike by thread mode's channel and the master's. */
    private static void assertRefused(String message, int descriptor) {
        ServiceSocket socket = new ServiceSocket("127.0.0.1", 0, Optional.of(new SocketActivation(descriptor)));
        ServerStartException e = assertThrows(ServerStartException.class, () -> socket.newChannel(Transport.EPOLL));
        assertEquals(message, e.getMessage());
        e = assertThrows(ServerStartException.class, () -> socket.newHandOffChannel(8));
        assertEquals(message, e.getMessage());
    }

    private static String inode(FileDescriptor descriptor) throws IOException {
        return Files.readSymbolicLink(Path.of("/proc/self/fd", Integer.toString(descriptor.intValue()))).toString();
    }
}

package dev.shout.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.Epoll;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@link HandOffServerChannel} over real loopback sockets: each client arrives as an
 * {@link AcceptedSocket} holding the connection's own descriptor and the client's address, and
 * closing it, once or twice, ends the client's connection.
 */
@Timeout(10)
class HandOffServerChannelTest {

    private final BlockingQueue<Object> accepted = new LinkedBlockingQueue<>();
    private EventLoopGroup loop;
    private HandOffServerChannel server;

    @BeforeEach
    void listen() {
        Epoll.ensureAvailability();
        loop = Transport.EPOLL.newGroup(1, "test");
        server = new ServiceSocket("127.0.0.1", 0, Optional.empty()).newHandOffChannel(8);
        server.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object connection) {
                accepted.add(connection);
            }
        });
        loop.register(server).syncUninterruptibly();
    }

    @AfterEach
    void close() {
        server.close().syncUninterruptibly();
        loop.shutdownGracefully(0, 0, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Test
    void listensWhenMadeOnTheHostAndAFreePort() {
        assertTrue(server.isActive());
        assertEquals("127.0.0.1", server.localAddress().getAddress().getHostAddress());
        assertTrue(server.localAddress().getPort() > 0);
    }

    @Test
    void aClientArrivesAsItsOwnDescriptorWithItsAddress() throws Exception {
        try (Socket client = connect()) {
            AcceptedSocket socket = next();
            assertEquals(client.getLocalSocketAddress(), socket.remoteAddress());
            assertSame(server, socket.parent());
            assertTrue(socket.isOpen());
            ByteBuffer hello = ByteBuffer.allocateDirect(3).put("hi\n".getBytes(StandardCharsets.US_ASCII)).flip();
            assertEquals(3, socket.fd().write(hello, 0, 3));
            client.setSoTimeout(5_000);
            assertEquals("hi", new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine(), "the descriptor is not the client's connection");
            socket.unsafe().closeForcibly();
        }
    }

    @Test
    void closingItEndsTheClientsConnectionOnce() throws Exception {
        try (Socket client = connect()) {
            AcceptedSocket socket = next();
            socket.unsafe().closeForcibly();
            socket.unsafe().closeForcibly();
            assertFalse(socket.isOpen());
            client.setSoTimeout(5_000);
            InputStream in = client.getInputStream();
            assertEquals(-1, in.read(), "the client saw no end of its connection");
        }
    }

    @Test
    void aSocketMovedBackLearnsItsClientAndIsNeverServedHere() throws Exception {
        try (Socket client = connect()) {
            AcceptedSocket accepted = next();
            AcceptedSocket moved = AcceptedSocket.moved(accepted.fd());
            assertEquals(client.getLocalSocketAddress(), moved.remoteAddress());
            assertFalse(loop.register(moved).awaitUninterruptibly().isSuccess(), "an accepted socket was registered");
            assertThrows(UnsupportedOperationException.class, moved::config);
            moved.unsafe().closeForcibly();
            assertFalse(accepted.isOpen(), "they share the descriptor");
        }
    }

    private Socket connect() throws IOException {
        Socket client = new Socket();
        client.connect(server.localAddress(), 5_000);
        return client;
    }

    private AcceptedSocket next() throws InterruptedException {
        Object connection = accepted.poll(5, TimeUnit.SECONDS);
        assertNotNull(connection, "no client accepted");
        return assertInstanceOf(AcceptedSocket.class, connection);
    }
}

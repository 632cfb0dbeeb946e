package dev.shout.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class AcceptQueueTest {

    @Test
    void countsTheConnectionsNobodyAcceptedYet() throws IOException {
        try (ServerSocket listener = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
                Socket first = new Socket(listener.getInetAddress(), listener.getLocalPort());
                Socket second = new Socket(listener.getInetAddress(), listener.getLocalPort())) {
            assertEquals(2, AcceptQueue.length(listener.getLocalPort()));
            try (Socket accepted = listener.accept()) {
                assertEquals(1, AcceptQueue.length(listener.getLocalPort()));
            }
        }
    }

    @Test
    void aPortNobodyListensOnHasNobodyWaiting() throws IOException {
        int port;
        try (ServerSocket released = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = released.getLocalPort();
        }
        assertEquals(0, AcceptQueue.length(port));
    }
}

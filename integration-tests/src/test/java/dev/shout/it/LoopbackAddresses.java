package dev.shout.it;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;

/**
 * Clients from other loopback addresses than 127.0.0.1: all of 127.0.0.0/8 reaches the server
 * on 127.0.0.1, and the server sees each address as another client machine.
 */
final class LoopbackAddresses {

    private LoopbackAddresses() {
    }

    /** The {@code n}-th address of 127.0.1.0/24, from 127.0.1.1 on: none of them 127.0.0.1. */
    static String other(int n) {
        return "127.0.1." + (1 + n % 254);
    }

    /** A connection to the server on 127.0.0.1 from {@code address}. */
    static Socket connectFrom(String address, int port) throws IOException {
        Socket socket = new Socket();
        try {
            socket.bind(new InetSocketAddress(address, 0));
            socket.connect(new InetSocketAddress("127.0.0.1", port), TcpClient.CONNECT_TIMEOUT_MILLIS);
            socket.setSoTimeout(TcpClient.READ_TIMEOUT_MILLIS);
            return socket;
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }
}

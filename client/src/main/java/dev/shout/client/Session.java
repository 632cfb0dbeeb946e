package dev.shout.client;

import java.io.IOException;
import java.net.Socket;

/**
 * One way of talking to the server. Sessions only converse: the {@link Connector} opens and closes
 * the socket, so that a failure at any point is reported the same way.
 */
interface Session {

    void run(Socket socket) throws IOException;
}

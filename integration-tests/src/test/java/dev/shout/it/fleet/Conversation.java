package dev.shout.it.fleet;

import dev.shout.it.Await;
import dev.shout.it.Reference;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One long-lived connection through the fleet, talking on a thread of its own: a random line of
 * text, its whole uppercased reply checked byte for byte, over and over until closed or until
 * something goes wrong, which it keeps.
 */
final class Conversation implements AutoCloseable {

    private static final int MAX_LINE = 2048;

    private final Socket socket;
    private final AtomicInteger rounds = new AtomicInteger();
    private final Thread thread;
    private volatile String failure;
    private volatile boolean closing;

    private Conversation(Socket socket) {
        this.socket = socket;
        this.thread = new Thread(this::talk, "conversation-" + Clients.client(socket));
        thread.setDaemon(true);
    }

    /** Connects from {@code source} to the fleet on {@code port}, and sets it talking. */
    static Conversation start(String source, int port) throws IOException {
        Conversation conversation = new Conversation(Clients.connect(source, port));
        conversation.thread.start();
        return conversation;
    }

    private void talk() {
        Random random = new Random(Clients.client(socket).getPort());
        try {
            while (!closing) {
                byte[] line = Reference.randomText(random, 1 + random.nextInt(MAX_LINE));
                byte[] expected = Reference.upper(line);
                socket.getOutputStream().write(line);
                byte[] reply = socket.getInputStream().readNBytes(expected.length);
                if (!Arrays.equals(expected, reply)) {
                    failure = "a wrong reply in round " + (rounds.get() + 1) + " (" + reply.length + " of "
                            + expected.length + " bytes)";
                    return;
                }
                rounds.incrementAndGet();
            }
        } catch (IOException e) {
            if (!closing) {
                failure = "after " + rounds.get() + " rounds: " + e;
            }
        }
    }

    InetSocketAddress client() {
        return Clients.client(socket);
    }

    int rounds() {
        return rounds.get();
    }

    Optional<String> failure() {
        return Optional.ofNullable(failure);
    }

    /** Waits for {@code more} rounds from now, each byte-exact; fails at once if one goes wrong. */
    void awaitRounds(int more, Duration timeout) {
        int target = rounds.get() + more;
        Await.until(client() + " to talk " + more + " more rounds", timeout, () -> {
            if (failure != null) {
                throw new AssertionError(client() + " failed: " + failure);
            }
            return rounds.get() >= target;
        });
    }

    @Override
    public void close() throws IOException {
        closing = true;
        socket.close();
    }
}

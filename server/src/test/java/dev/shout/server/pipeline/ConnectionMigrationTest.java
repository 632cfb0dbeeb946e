package dev.shout.server.pipeline;

import static dev.shout.server.pipeline.EmbeddedChannels.E_ACUTE_LEAD;
import static dev.shout.server.pipeline.EmbeddedChannels.after;
import static dev.shout.server.pipeline.EmbeddedChannels.bytes;
import static dev.shout.server.pipeline.EmbeddedChannels.holdingHalfACharacter;
import static dev.shout.server.pipeline.EmbeddedChannels.initializer;
import static dev.shout.server.pipeline.EmbeddedChannels.sentText;
import static dev.shout.server.pipeline.EmbeddedChannels.stall;
import static dev.shout.server.pipeline.EmbeddedChannels.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.config.ConnectionPolicy;
import dev.shout.server.transform.TransformKind;
import io.netty.channel.embedded.EmbeddedChannel;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Readying a connection to move to another process, and building it there on from its state (issue #11). */
@Timeout(10)
class ConnectionMigrationTest {

    private static final ConnectionPolicy POLICY = new ConnectionPolicy(TransformKind.UPPER, Duration.ofSeconds(1),
            Duration.ofSeconds(30), 65_536, Duration.ofMinutes(1));
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    @Test
    void aConnectionMovesWithTheHalfCharacterItHoldsAndHowLongItHasBeenIdle() {
        SocketLikeChannel old = holdingHalfACharacter(served(new SocketLikeChannel()));
        after(old, 300);
        CompletableFuture<Optional<ConnectionState>> ready = ConnectionMigration.prepare(old, TIMEOUT);
        old.runPendingTasks();

        ConnectionState state = ready.join().orElseThrow();
        assertArrayEquals(new byte[] {E_ACUTE_LEAD}, state.heldBytes());
        assertEquals(Duration.ofMillis(300), state.idle());
        assertFalse(old.isRegistered(), "still served here");
        assertFalse(old.config().isAutoRead());
        assertTrue(old.isOpen(), "closed before the new process adopted it");

        EmbeddedChannel resumed = new EmbeddedChannel();
        resumed.freezeTime();
        ConnectionMigration.resume(resumed, state);
        resumed.pipeline().addLast(initializer(POLICY, new OpenConnections()));
        resumed.writeInbound(bytes((byte) 0xA9, (byte) '!'));
        assertEquals("É!", sentText(resumed), "the character came out whole");
        after(resumed, 999);
        assertTrue(resumed.isOpen());
        resumed.writeInbound(utf8("x"));
        assertEquals("X", sentText(resumed));
        after(resumed, 999);
        assertTrue(resumed.isOpen(), "what it sent after the move starts the idle timeout again");
        resumed.finishAndReleaseAll();
    }

    @Test
    void anIdleConnectionIsClosedWhenItsIdleTimeRunsOutWhereverItMoved() {
        EmbeddedChannel resumed = new EmbeddedChannel();
        resumed.freezeTime();
        ConnectionMigration.resume(resumed, new ConnectionState(new byte[0], Duration.ofMillis(800)));
        resumed.pipeline().addLast(initializer(POLICY, new OpenConnections()));
        after(resumed, 199);
        assertTrue(resumed.isOpen());
        after(resumed, 1);
        assertFalse(resumed.isOpen(), "the move made an idle client immortal");
    }

    @Test
    void aHalfClosedConnectionStaysToBeDrained() {
        SocketLikeChannel old = served(new SocketLikeChannel());
        old.clientHalfClosed();
        CompletableFuture<Optional<ConnectionState>> ready = ConnectionMigration.prepare(old, TIMEOUT);
        old.runPendingTasks();
        assertEquals(Optional.empty(), ready.join());
        assertTrue(old.isRegistered());
        old.finishAndReleaseAll();
    }

    @Test
    void aConnectionWhoseOwedBytesStayUnwrittenStaysAfterTheTimeoutAndReadsAgain() {
        SocketLikeChannel old = served(new SocketLikeChannel());
        EmbeddedChannels.StalledPeer peer = stall(old);
        old.writeInbound(utf8("owed"));
        CompletableFuture<Optional<ConnectionState>> ready = ConnectionMigration.prepare(old, TIMEOUT);
        old.runPendingTasks();
        assertFalse(ready.isDone());
        assertFalse(old.config().isAutoRead(), "read on while readied to move");
        after(old, TIMEOUT.toMillis());
        assertEquals(Optional.empty(), ready.join());
        assertTrue(old.isRegistered());
        assertTrue(old.config().isAutoRead(), "reading did not resume");
        peer.resume();
        assertEquals("OWED", sentText(old));
        old.finishAndReleaseAll();
    }

    private static <C extends EmbeddedChannel> C served(C ch) {
        ch.freezeTime();
        ch.pipeline().addLast(initializer(POLICY, new OpenConnections()));
        return ch;
    }
}

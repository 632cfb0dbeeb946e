package dev.shout.server.process.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.shout.server.admission.Permit;
import dev.shout.server.process.link.LinkMessage.AdmissionAnswer;
import dev.shout.server.process.link.LinkMessage.AdmissionRequest;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A worker's admission by the master: each ask is one request on the link, answered by the
 * master's message; the link is an {@link EmbeddedChannel} without a codec, so what the worker
 * sends is read back as the records themselves, and a test that does not read it fails.
 */
@Timeout(10)
class RemoteAdmissionTest {

    private static final InetAddress CLIENT = InetAddress.getLoopbackAddress();

    private final EmbeddedChannel link = new EmbeddedChannel();
    private final RemoteAdmission admission = new RemoteAdmission(new LinkReporter(link));

    @AfterEach
    void nothingElseWasSent() {
        assertNull(link.readOutbound(), "sent more than the test looked at");
        link.finishAndReleaseAll();
    }

    @Test
    void askingSendsOneRequestAndWaitsForTheMaster() {
        assertFalse(ask(1).isDone());
    }

    @Test
    void anAdmittedAnswerGivesAPermitForTheClientThatReleasesNothingHere() {
        CompletableFuture<Optional<Permit>> answer = ask(1);
        admission.answered(new AdmissionAnswer(1, true));
        Permit permit = answer.join().orElseThrow();
        assertEquals(CLIENT, permit.client());
        permit.release();
        permit.release();
    }

    @Test
    void aRefusedAnswerGivesNoPermit() {
        CompletableFuture<Optional<Permit>> answer = ask(1);
        admission.answered(new AdmissionAnswer(1, false));
        assertEquals(Optional.empty(), answer.join());
    }

    @Test
    void eachAnswerGoesToItsOwnConnection() {
        CompletableFuture<Optional<Permit>> first = ask(1);
        CompletableFuture<Optional<Permit>> second = ask(2);
        admission.answered(new AdmissionAnswer(2, true));
        assertFalse(first.isDone());
        assertTrue(second.join().isPresent());
        admission.answered(new AdmissionAnswer(1, false));
        assertTrue(first.join().isEmpty());
    }

    @Test
    void askingAgainForAConnectionStillWaitingFailsAndSendsNothing() {
        ask(1);
        CompletableFuture<Optional<Permit>> again = askUnsent(1);
        assertTrue(again.isCompletedExceptionally());
        assertThrows(CompletionException.class, again::join);
    }

    @Test
    void aConnectionAnsweredMayAskAgain() {
        ask(1);
        admission.answered(new AdmissionAnswer(1, false));
        assertFalse(ask(1).isDone());
    }

    @Test
    void anAnswerNobodyAskedForIsIgnored() {
        admission.answered(new AdmissionAnswer(9, true));
        CompletableFuture<Optional<Permit>> answer = ask(9);
        assertFalse(answer.isDone(), "an answer given before the ask was kept for it");
    }

    @Test
    void aClosedLinkRefusesEveryAskStillWaiting() {
        CompletableFuture<Optional<Permit>> first = ask(1);
        CompletableFuture<Optional<Permit>> second = ask(2);
        admission.linkClosed();
        assertEquals(Optional.empty(), first.join());
        assertEquals(Optional.empty(), second.join());
        admission.answered(new AdmissionAnswer(1, true));
    }

    @Test
    void anAskAfterTheLinkClosedIsRefusedAtOnce() {
        admission.linkClosed();
        assertEquals(Optional.empty(), ask(3).join());
    }

    /** Asks for {@code connection}'s admission, and checks that it sent its one request. */
    private CompletableFuture<Optional<Permit>> ask(long connection) {
        CompletableFuture<Optional<Permit>> answer = askUnsent(connection);
        assertEquals(new AdmissionRequest(connection, CLIENT), link.readOutbound());
        return answer;
    }

    private CompletableFuture<Optional<Permit>> askUnsent(long connection) {
        return admission.forConnection(connection).acquire(CLIENT).toCompletableFuture();
    }
}

package dev.shout.server.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.shout.server.config.ProxyProtocol;
import dev.shout.server.config.ProxyProtocolPolicy;
import dev.shout.server.pipeline.Refusals.Reason;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

class TlsHandshakeWatchTest {

    private final Refusals refusals = new Refusals(
            new ProxyProtocolPolicy(ProxyProtocol.OFF, List.of(), Duration.ofSeconds(5)), Optional.empty());

    @Test
    void eachFailureIsCountedUnderItsReason() {
        fail(new NotSslRecordException("plaintext"));
        fail(new SslHandshakeTimeoutException("too slow"));
        fail(new SSLHandshakeException("certificate required"));
        assertEquals(1, refusals.total(Reason.NOT_TLS));
        assertEquals(1, refusals.total(Reason.TLS_HANDSHAKE_TIMEOUT));
        assertEquals(1, refusals.total(Reason.TLS_HANDSHAKE_FAILED));
    }

    @Test
    void aClientGoneDuringItsHandshakeIsNotRefused() {
        EmbeddedChannel ch = new EmbeddedChannel(new TlsHandshakeWatch(refusals));
        ch.close();
        ch.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(new SSLHandshakeException("closed")));
        assertEquals(0, refusals.totalsInOrder().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void aCompletedHandshakeTakesTheWatchOutOfThePipeline() {
        EmbeddedChannel ch = new EmbeddedChannel(new TlsHandshakeWatch(refusals));
        ch.pipeline().fireUserEventTriggered(SslHandshakeCompletionEvent.SUCCESS);
        assertEquals(null, ch.pipeline().get(TlsHandshakeWatch.class));
    }

    private void fail(Exception cause) {
        EmbeddedChannel ch = new EmbeddedChannel(new TlsHandshakeWatch(refusals));
        ch.pipeline().fireUserEventTriggered(new SslHandshakeCompletionEvent(cause));
    }
}

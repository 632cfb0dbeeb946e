package dev.shout.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.ConnectException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ReasonsTest {

    @Test
    void jdkMessagesAreLowerCased() {
        assertEquals("connection refused", Reasons.describe(new ConnectException("Connection refused")));
    }

    @Test
    void nativeTransportCallNamesAreDropped() {
        assertEquals("connection refused: /127.0.0.1:1", Reasons.describe(new IOException(
                "finishConnect(..) failed with error(-111): Connection refused: /127.0.0.1:1")));
        assertEquals("too many open files",
                Reasons.describe(new IOException("newSocketStream(..) failed: Too many open files")));
    }

    @Test
    void exceptionsWithoutMessageAreNamedByClass() {
        assertEquals("IOException", Reasons.describe(new IOException()));
    }

    @Test
    void tlsFailuresAreSaidInTheirOwnWords() {
        assertEquals("server did not answer TLS (is it started with --tls-cert?)", Reasons.describe(
                new SSLHandshakeException("error:100000f7:SSL routines:OPENSSL_internal:WRONG_VERSION_NUMBER")));
    }
}

package dev.shout.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.nio.channels.UnresolvedAddressException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ServerStartExceptionTest {

    @Test
    void aHostThatDoesNotResolveIsAnUnknownHost() {
        InetSocketAddress address = InetSocketAddress.createUnresolved("no.such.host", 8080);
        assertEquals("cannot listen on no.such.host:8080: unknown host",
                new ServerStartException(address, new UnresolvedAddressException()).getMessage());
    }

    @Test
    void theJdksMessageFollowsTheAddress() {
        assertEquals("cannot listen on 127.0.0.1:8080: address already in use",
                new ServerStartException(new InetSocketAddress("127.0.0.1", 8080),
                        new BindException("Address already in use")).getMessage());
    }

    @Test
    void theNativeTransportsErrnoPrefixIsLeftOut() {
        IOException nativeError = new IOException("bind(..) failed with error(-13): Permission denied");
        assertEquals("cannot listen on [::1]:80: permission denied",
                new ServerStartException(new InetSocketAddress("::1", 80), nativeError).getMessage());
    }

    @Test
    void theStartLineGivesTheConfiguredHostInShortFormWithTheBoundPort() {
        assertEquals("[::]:40000", ServerStartException.listening("::", new InetSocketAddress("::1", 40000)));
        assertEquals("0.0.0.0:40000", ServerStartException.listening("0.0.0.0", new InetSocketAddress("::", 40000)));
    }
}

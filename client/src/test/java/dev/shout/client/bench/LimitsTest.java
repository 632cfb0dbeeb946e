package dev.shout.client.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.ChannelException;
import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class LimitsTest {

    @Test
    void runningOutOfFileDescriptorsIsALimitEvenWhenWrapped() {
        ChannelException wrapped = new ChannelException(
                new IOException("newSocketStream(..) failed: Too many open files"));
        String reason = Limits.reachedBy(wrapped, 19_950).orElseThrow();
        assertTrue(reason.startsWith("out of file descriptors with 19950 connections open (too many open files,"),
                reason);
        assertTrue(reason.endsWith("raise it with ulimit -n"), reason);
    }

    @Test
    void runningOutOfLocalPortsIsALimit() {
        String reason = Limits.reachedBy(new BindException("Cannot assign requested address"), 28_000).orElseThrow();
        assertTrue(reason.startsWith("out of local ports with 28000 connections open (cannot assign requested"
                + " address, local port range "), reason);
    }

    @Test
    void aRefusedConnectionIsNoLimit() {
        assertEquals(Optional.empty(), Limits.reachedBy(new ConnectException("Connection refused"), 0));
    }

    @Test
    void aFewConnectionsFitBeforeStarting() {
        assertEquals(Optional.empty(), Limits.preflight(4, false));
    }
}

package dev.shout.server.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ModeTest {

    @Test
    void autoRunsProcessModeWhereTheNativeTransportLoaded() {
        assertEquals(Mode.PROCESS, Mode.AUTO.resolve(true));
    }

    @Test
    void autoFallsBackToThreadModeWithoutIt() {
        assertEquals(Mode.THREAD, Mode.AUTO.resolve(false));
    }

    @Test
    void anExplicitModeIsKept() {
        assertEquals(Mode.THREAD, Mode.THREAD.resolve(true));
        assertEquals(Mode.THREAD, Mode.THREAD.resolve(false));
        assertEquals(Mode.PROCESS, Mode.PROCESS.resolve(true));
    }

    @Test
    void processModeWithoutTheNativeTransportSuggestsThreadMode() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Mode.PROCESS.resolve(false));
        assertEquals("--mode: process needs Netty's native epoll transport, which is not available here"
                + " (try --mode thread)", e.getMessage());
        assertTrue(e.getMessage().contains("--mode thread"));
    }

    @Test
    void printsAsTheCommandLineSpellsIt() {
        assertEquals("auto", Mode.AUTO.toString());
        assertEquals("thread", Mode.THREAD.toString());
        assertEquals("process", Mode.PROCESS.toString());
    }
}

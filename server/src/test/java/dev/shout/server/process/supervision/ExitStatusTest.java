package dev.shout.server.process.supervision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** How a worker's exit code reads in the master's log. */
@Timeout(10)
class ExitStatusTest {

    @Test
    void aPlainExitCodeReadsAsItself() {
        assertEquals("exit code 0", ExitStatus.describe(0));
        assertEquals("exit code 3", ExitStatus.describe(3));
        assertEquals("exit code 128", ExitStatus.describe(128), "128 is no signal: signals start at 1");
    }

    @Test
    void aSignalledJvmNamesItsSignal() {
        assertEquals("exit code 137, killed by SIGKILL", ExitStatus.describe(137));
        assertEquals("exit code 143, killed by SIGTERM", ExitStatus.describe(143));
        assertEquals("exit code 139, killed by SIGSEGV", ExitStatus.describe(139));
        assertEquals("exit code 138, killed by signal 10", ExitStatus.describe(138));
    }

    @Test
    void codesPastTheSignalsReadAsPlainCodes() {
        assertEquals("exit code 160", ExitStatus.describe(160));
        assertEquals("exit code 255", ExitStatus.describe(255));
    }
}

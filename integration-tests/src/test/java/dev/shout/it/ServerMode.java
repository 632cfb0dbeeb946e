package dev.shout.it;

import java.util.List;

/**
 * The two ways the server runs, as the hardening tests start it: one process, or a master and
 * two workers. The workers may be silent for 30 s before the master replaces them, not 5: a
 * loaded test machine can stall every process for seconds, and none of these tests is about
 * heartbeats.
 */
enum ServerMode {
    THREAD("--mode", "thread"),
    PROCESS("--mode", "process", "--workers", "2", "--worker-timeout", "30s");

    private final List<String> flags;

    ServerMode(String... flags) {
        this.flags = List.of(flags);
    }

    List<String> flags() {
        return flags;
    }
}

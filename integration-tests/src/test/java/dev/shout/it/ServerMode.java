package dev.shout.it;

import java.util.List;

/** The two ways the server runs, as the hardening tests start it: one process, or a master and two workers. */
enum ServerMode {
    THREAD("--mode", "thread"),
    PROCESS("--mode", "process", "--workers", "2");

    private final List<String> flags;

    ServerMode(String... flags) {
        this.flags = List.of(flags);
    }

    List<String> flags() {
        return flags;
    }
}

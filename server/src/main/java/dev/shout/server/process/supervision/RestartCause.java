package dev.shout.server.process.supervision;

import java.util.Locale;

/** Why a slot's worker was started again; the label value of the restart metric. */
public enum RestartCause {
    CRASH, TIMEOUT, BOOT_FAILURE, SIGTERM, ROLLING;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}

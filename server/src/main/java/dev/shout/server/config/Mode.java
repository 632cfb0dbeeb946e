package dev.shout.server.config;

import java.util.Locale;

/** How the server runs its connections: in worker processes or on an in-process thread group. */
public enum Mode {
    /** Process mode where the native epoll transport can pass descriptors, thread mode elsewhere. */
    AUTO,
    THREAD,
    PROCESS;

    /** The mode to run, given whether the native transport (needed for descriptor passing) loaded. */
    public Mode resolve(boolean nativeTransportAvailable) {
        if (this == AUTO) {
            return nativeTransportAvailable ? PROCESS : THREAD;
        }
        if (this == PROCESS && !nativeTransportAvailable) {
            throw new IllegalArgumentException(
                    "--mode: process needs Netty's native epoll transport, which is not available here"
                            + " (try --mode thread)");
        }
        return this;
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

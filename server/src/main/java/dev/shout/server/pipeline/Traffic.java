package dev.shout.server.pipeline;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a process's connections have carried since it started: connections opened and bytes
 * received and sent, counted as they cross the socket, before and after the transform. Each
 * connection counts in plain fields of its own ({@link ConnectionActivity}) and adds them here
 * once per read batch and when it closes, not once per message.
 */
public final class Traffic {

    private final LongAdder opened = new LongAdder();
    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();

    public long opened() {
        return opened.sum();
    }

    public long received() {
        return received.sum();
    }

    public long sent() {
        return sent.sum();
    }

    void connectionOpened() {
        opened.increment();
    }

    /** Adds bytes a connection carried; called from any event loop. */
    void add(long receivedBytes, long sentBytes) {
        if (receivedBytes != 0) {
            received.add(receivedBytes);
        }
        if (sentBytes != 0) {
            sent.add(sentBytes);
        }
    }
}

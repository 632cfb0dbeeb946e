package dev.shout.server.admission;

import io.netty.channel.Channel;
import io.netty.util.AttributeKey;

/**
 * Where a connection's pipeline finds how to admit the connection again once it learns its real
 * client (from a PROXY header). Whoever accepted the connection attaches it before the pipeline
 * runs: thread mode's acceptor, against its own ledger, or the worker that adopted it, which asks
 * the master.
 */
public final class ConnectionAdmission {

    private static final AttributeKey<Admission> KEY = AttributeKey.valueOf(ConnectionAdmission.class, "admission");

    private ConnectionAdmission() {
    }

    public static void attach(Channel connection, Admission admission) {
        connection.attr(KEY).set(admission);
    }

    /** The admission attached to {@code connection}; every accepted connection has one. */
    public static Admission of(Channel connection) {
        Admission admission = connection.attr(KEY).get();
        if (admission == null) {
            throw new IllegalStateException(connection + " has no admission attached");
        }
        return admission;
    }
}

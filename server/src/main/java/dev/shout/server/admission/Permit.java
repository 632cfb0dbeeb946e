package dev.shout.server.admission;

import java.net.InetAddress;

/** One admitted connection's place in the limits; it is given back exactly once, however often released. */
public interface Permit {

    InetAddress client();

    /** Gives the place back; only the first call counts. */
    void release();
}

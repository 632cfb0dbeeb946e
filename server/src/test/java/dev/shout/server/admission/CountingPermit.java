package dev.shout.server.admission;

import java.net.InetAddress;

/** A permit that counts how often it is released, to show what gives a place back and what does not. */
final class CountingPermit implements Permit {

    private final InetAddress client = InetAddress.getLoopbackAddress();
    private int releases;

    int releases() {
        return releases;
    }

    @Override
    public InetAddress client() {
        return client;
    }

    @Override
    public void release() {
        releases++;
    }
}

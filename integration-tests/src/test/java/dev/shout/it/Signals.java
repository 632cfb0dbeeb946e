package dev.shout.it;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Sends real signals with kill(1); Java can send only TERM and KILL by itself. */
public final class Signals {

    private Signals() {
    }

    public static void send(String name, long pid) {
        try {
            int exit = new ProcessBuilder("kill", "-" + name, Long.toString(pid)).inheritIO().start().waitFor();
            if (exit != 0) {
                throw new AssertionError("kill -" + name + " " + pid + " exited " + exit);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}

package dev.shout.server.config;

import java.util.Locale;

/**
 * Who accepts clients in process mode: the master, which hands each one to a worker over its
 * link, or the workers themselves, from the one listening socket the master shares with them.
 */
public enum AcceptMode {
    MASTER,
    WORKERS;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}

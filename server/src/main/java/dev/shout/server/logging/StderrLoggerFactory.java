package dev.shout.server.logging;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;

/**
 * The server's loggers, one a name, made on first use with the level {@link LogLevels} gives
 * that name and the one {@link LogLineFormat} they all share.
 */
final class StderrLoggerFactory implements ILoggerFactory {

    private final ConcurrentMap<String, Logger> loggers = new ConcurrentHashMap<>();
    private final LogLevels levels;
    private final LogLineFormat format;

    StderrLoggerFactory(LogLevels levels, LogLineFormat format) {
        this.levels = levels;
        this.format = format;
    }

    @Override
    public Logger getLogger(String name) {
        return loggers.computeIfAbsent(name, made -> new StderrLogger(made, levels.thresholdOf(made), format));
    }
}

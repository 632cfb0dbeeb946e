package dev.shout.server.logging;

import java.util.Map;
import java.util.Properties;
import org.slf4j.event.Level;

/**
 * The lowest level each logger prints, set as slf4j-simple's were, so operators and the master
 * (which passes every {@code -Dorg.slf4j.*} on to its workers) keep their switches:
 * {@code -Dorg.slf4j.simpleLogger.defaultLogLevel=debug} for every logger,
 * {@code -Dorg.slf4j.simpleLogger.log.<name>=debug} for a logger and those under it, the longest
 * dotted prefix winning. Values are trace, debug, info, warn, error or off; any other reads as
 * info, as in slf4j-simple. Without these properties, Netty's loggers print warnings and up, the
 * others info and up. Read from system properties only: loading a properties file costs start-up.
 */
final class LogLevels {

    static final String DEFAULT_LEVEL_PROPERTY = "org.slf4j.simpleLogger.defaultLogLevel";
    static final String LOGGER_LEVEL_PREFIX = "org.slf4j.simpleLogger.log.";

    /** Above every level: a logger set to off prints nothing. */
    static final int OFF = Level.ERROR.toInt() + 10;

    /** What the server sets where the system properties do not, as its simplelogger.properties did. */
    private static final Map<String, String> BUILT_IN = Map.of(DEFAULT_LEVEL_PROPERTY, "info",
            LOGGER_LEVEL_PREFIX + "io.netty", "warn");

    private final Properties settings;

    /** Levels as {@code settings} set them, over the built-in ones. */
    LogLevels(Properties settings) {
        this.settings = settings;
    }

    static LogLevels fromSystemProperties() {
        return new LogLevels(System.getProperties());
    }

    /** The {@link Level#toInt()} of the lowest level {@code loggerName} prints, or {@link #OFF}. */
    int thresholdOf(String loggerName) {
        String prefix = loggerName;
        while (true) {
            String level = setting(LOGGER_LEVEL_PREFIX.concat(prefix));
            if (level != null) {
                return parse(level);
            }
            int dot = prefix.lastIndexOf('.');
            if (dot < 0) {
                return parse(setting(DEFAULT_LEVEL_PROPERTY));
            }
            prefix = prefix.substring(0, dot);
        }
    }

    private String setting(String key) {
        return settings.getProperty(key, BUILT_IN.get(key));
    }

    private static int parse(String level) {
        for (Level known : Level.values()) {
            if (known.name().equalsIgnoreCase(level)) {
                return known.toInt();
            }
        }
        return "off".equalsIgnoreCase(level) ? OFF : Level.INFO.toInt();
    }
}

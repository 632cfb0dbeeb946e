package dev.shout.server.logging;

import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/**
 * A logger that prints each event it is set to print ({@link LogLevels}) as one line on
 * {@code System.err}, as slf4j-simple did ({@link LogLineFormat}); {@code System.err} is looked up
 * at each event, as slf4j-simple did too. Line and stack trace go in one {@code print}, so events
 * from different threads never interleave. Markers are not printed: the server uses none.
 */
final class StderrLogger extends LegacyAbstractLogger {

    private static final long serialVersionUID = 1L;

    private final int threshold;
    private final String shortName;
    private final transient LogLineFormat format;

    StderrLogger(String name, int threshold, LogLineFormat format) {
        this.name = name;
        this.threshold = threshold;
        this.shortName = name.substring(name.lastIndexOf('.') + 1);
        this.format = format;
    }

    private boolean prints(Level level) {
        return level.toInt() >= threshold;
    }

    @Override
    public boolean isTraceEnabled() {
        return prints(Level.TRACE);
    }

    @Override
    public boolean isDebugEnabled() {
        return prints(Level.DEBUG);
    }

    @Override
    public boolean isInfoEnabled() {
        return prints(Level.INFO);
    }

    @Override
    public boolean isWarnEnabled() {
        return prints(Level.WARN);
    }

    @Override
    public boolean isErrorEnabled() {
        return prints(Level.ERROR);
    }

    @Override
    protected String getFullyQualifiedCallerName() {
        return null;
    }

    @Override
    protected void handleNormalizedLoggingCall(Level level, Marker marker, String messagePattern, Object[] arguments,
            Throwable throwable) {
        String message = MessageFormatter.basicArrayFormat(messagePattern, arguments);
        System.err.print(format.format(Thread.currentThread().getName(), level, shortName, message, throwable));
    }
}

package dev.shout.server.logging;

import java.util.List;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * The server's SLF4J back end (META-INF/services), in place of slf4j-simple, printing the same
 * lines to {@code System.err}: a worker must be ready soon after it is spawned, and slf4j-simple's
 * set-up (its properties file, a {@code SimpleDateFormat}) is slow cold. Measured on a JVM's first
 * log line (JDK 17, no archive), CPU on top of SLF4J's own 30 ms: about 45 ms with slf4j-simple,
 * 17 with this. Markers and MDC are SLF4J's basic ones, as in slf4j-simple.
 */
public final class StderrServiceProvider implements SLF4JServiceProvider {

    /**
     * The options that hand this provider to a JVM about to start (a worker): SLF4J then takes it
     * at once instead of looking through every service file on the class path, a search of the
     * whole jar that cost a worker's start 25-30 ms of CPU, and is told to keep quiet about it
     * (it would say at INFO that the property chose the provider).
     */
    public static List<String> jvmOptions() {
        return List.of("-Dslf4j.provider=" + StderrServiceProvider.class.getName(), "-Dslf4j.internal.verbosity=WARN");
    }

    private ILoggerFactory loggerFactory;
    private IMarkerFactory markerFactory;
    private MDCAdapter mdcAdapter;

    @Override
    public ILoggerFactory getLoggerFactory() {
        return loggerFactory;
    }

    @Override
    public IMarkerFactory getMarkerFactory() {
        return markerFactory;
    }

    @Override
    public MDCAdapter getMDCAdapter() {
        return mdcAdapter;
    }

    @Override
    public String getRequestedApiVersion() {
        return "2.0.99";
    }

    @Override
    public void initialize() {
        loggerFactory = new StderrLoggerFactory(LogLevels.fromSystemProperties(), LogLineFormat.inUtc());
        markerFactory = new BasicMarkerFactory();
        mdcAdapter = new NOPMDCAdapter();
    }
}

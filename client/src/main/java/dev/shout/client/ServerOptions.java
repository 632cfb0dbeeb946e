package dev.shout.client;

import java.time.Duration;
import picocli.CommandLine.Option;

/**
 * The flags that say which server to reach and how patiently, mixed into {@code shout} and
 * {@code shout bench} so that both spell and default them alike.
 */
public final class ServerOptions {

    @Option(names = "--host", defaultValue = "127.0.0.1", paramLabel = "<host>",
            description = "Server host name or address (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", defaultValue = "8080", paramLabel = "<port>",
            description = "Server port, 1..65535 (default: ${DEFAULT-VALUE}).")
    private int port;

    @Option(names = "--connect-timeout", defaultValue = "5s", paramLabel = "<duration>",
            converter = DurationConverter.class,
            description = "How long to wait for the connection, like 500ms, 5s or 1m (default: ${DEFAULT-VALUE}).")
    private Duration connectTimeout;

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public Duration connectTimeout() {
        return connectTimeout;
    }
}

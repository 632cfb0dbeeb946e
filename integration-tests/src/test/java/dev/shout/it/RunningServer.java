package dev.shout.it;

import java.time.Duration;
import java.util.regex.Pattern;

/** A shout server under test, as the shared checks see it: a local process or a container. */
interface RunningServer {

    /** The line the server logs once it accepts connections; groups: host, port. */
    Pattern START_LINE = Pattern.compile("shout listening on (\\S+):(\\d+) ");

    Duration START_TIMEOUT = Duration.ofSeconds(30);

    /** The port it listens on, reached on 127.0.0.1. */
    int port();

    /** Waits for a log line matching {@code regex} and returns it. */
    String awaitLog(String regex);

    String logText();

    /** Asks for a graceful stop, as an operator would (SIGTERM, docker stop), without waiting for it. */
    void requestStop();

    /** Waits for the server to end and returns its exit code. */
    int awaitExit(Duration timeout);
}

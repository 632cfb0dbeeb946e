package dev.shout.client.bench;

import java.util.List;
import picocli.CommandLine.ITypeConverter;

/** What the connections do during a run: {@link #CHURN} comes from {@code --churn}, the rest from {@code --pattern}. */
enum Workload {
    /** Each connection sends one message, waits for its whole reply, and sends the next. */
    PINGPONG,
    /** Each connection writes as fast as the server reads, while reading the replies. */
    STREAM,
    /** Connections are held idle for the duration, then each sends one message. */
    IDLE_THEN_PING,
    /** Connect, one message, close, again, in each of the parallel loops. */
    CHURN;

    /** The values {@code --pattern} accepts. */
    static final List<Workload> PATTERNS = List.of(PINGPONG, STREAM, IDLE_THEN_PING);

    @Override
    public String toString() {
        return FlagNames.of(this);
    }

    /** Reads {@code --pattern}. */
    static final class PatternConverter implements ITypeConverter<Workload> {

        @Override
        public Workload convert(String text) {
            return FlagNames.parse(text, PATTERNS);
        }
    }
}

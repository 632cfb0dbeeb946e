package dev.shout.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * A server's log as it arrives, kept line by line, so that tests can wait for what it says
 * wherever it runs: a local process or a container.
 */
final class LogLines {

    private final List<String> lines = new ArrayList<>();
    private boolean ended;

    synchronized void add(String line) {
        lines.add(line);
        notifyAll();
    }

    /** No more lines will come: a wait for one fails at once instead of at its timeout. */
    synchronized void end() {
        ended = true;
        notifyAll();
    }

    /** Waits for a line matching {@code pattern} and returns it. */
    synchronized String await(Pattern pattern, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        int checked = 0;
        while (true) {
            for (; checked < lines.size(); checked++) {
                if (pattern.matcher(lines.get(checked)).find()) {
                    return lines.get(checked);
                }
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || ended) {
                throw new AssertionError("no log line matching /" + pattern + "/ "
                        + (ended ? "before the log ended" : "within " + timeout) + "; log so far:\n" + text());
            }
            try {
                wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted", e);
            }
        }
    }

    /** Every line so far that matches. */
    synchronized List<String> matching(String regex) {
        Pattern pattern = Pattern.compile(regex);
        return lines.stream().filter(line -> pattern.matcher(line).find()).toList();
    }

    synchronized String text() {
        return String.join("\n", lines);
    }
}

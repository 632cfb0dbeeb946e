package dev.shout.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
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

    /** The output of a local process (stdout, with stderr if merged), read by a daemon thread as it comes. */
    static LogLines of(Process process, String threadName) {
        LogLines log = new LogLines();
        Thread reader = new Thread(() -> log.readAll(process), threadName);
        reader.setDaemon(true);
        reader.start();
        return log;
    }

    private void readAll(Process process) {
        try (BufferedReader reader = new BufferedReader(
                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                add(line);
            }
        } catch (IOException e) {
            // The process is gone; what it said is kept.
        } finally {
            end();
        }
    }

    /** Waits, at most {@code timeout}, until the output has been read to its end. */
    synchronized void awaitEnd(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); !ended && left > 0; left = deadline - System.nanoTime()) {
            wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        }
    }

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

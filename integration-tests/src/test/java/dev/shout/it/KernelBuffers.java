package dev.shout.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The largest buffers the kernel gives one TCP socket as it tunes them (net.ipv4.tcp_rmem and
 * tcp_wmem, "min default max"): what a connection can hold in flight besides what the server owes.
 */
final class KernelBuffers {

    private KernelBuffers() {
    }

    static long largestReceiveBuffer() {
        return largest("tcp_rmem");
    }

    static long largestSendBuffer() {
        return largest("tcp_wmem");
    }

    private static long largest(String setting) {
        try {
            // Read as lines: Files.readString gets one byte of a /proc/sys file, which claims a size of 0.
            String minDefaultMax = Files.readAllLines(Path.of("/proc/sys/net/ipv4", setting)).get(0).trim();
            return Long.parseLong(minDefaultMax.split("\\s+")[2]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.shout.server.pipeline;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOutboundBuffer;
import io.netty.channel.epoll.EpollSocketChannel;
import java.time.Duration;

/**
 * Whether a client owed bytes is still reading them, for the timeouts that close clients which
 * stopped. Two signs count. Netty's queue shrinking is one, but it moves in jumps: the kernel
 * holds up to a few megabytes more, and reports room only once a good part of that has gone, so
 * a slow reader can leave Netty's queue still for many seconds. The other is the client's TCP
 * acknowledging something within the window (epoll only): a reader acknowledges what it
 * takes, while a client that stopped answers only the kernel's ever sparser zero-window
 * probes, so it is caught a few probe intervals late, never cut off while it reads.
 */
final class ReadProgress {

    private long pendingBefore;

    ReadProgress(Channel channel) {
        pendingBefore = pendingBytes(channel);
    }

    /** True when the client took bytes since the last call, or acknowledged something within {@code window}. */
    boolean advanced(Channel channel, Duration window) {
        long pending = pendingBytes(channel);
        boolean advanced = pending < pendingBefore || acknowledgedWithin(channel, window);
        pendingBefore = pending;
        return advanced;
    }

    /** Netty's queue for the connection, less what is written of the buffer being written. */
    static long pendingBytes(Channel channel) {
        ChannelOutboundBuffer buffer = channel.unsafe().outboundBuffer();
        return buffer == null ? 0 : buffer.totalPendingWriteBytes() - buffer.currentProgress();
    }

    private static boolean acknowledgedWithin(Channel channel, Duration window) {
        return channel instanceof EpollSocketChannel epoll && epoll.isActive()
                && epoll.tcpInfo().lastAckRecv() < window.toMillis();
    }
}

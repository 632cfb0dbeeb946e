package dev.shout.client.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/**
 * The reply stream the server owes each connection: the {@link Payload} cycle passed through the
 * reference transform. It is laid out one {@link #RUN} longer than the cycle so that a run of
 * reply bytes can be compared in one call, eight bytes at a time, wherever in the cycle it starts.
 */
final class ExpectedReply {

    /** The most reply bytes compared in one call. */
    static final int RUN = 4096;

    private final ByteBuf cycle;

    ExpectedReply(ReplyTransform transform) {
        byte[] bytes = new byte[Payload.CYCLE + RUN];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = transform.reply(Payload.byteAt(i % Payload.CYCLE));
        }
        cycle = Unpooled.wrappedBuffer(bytes);
    }

    /** The byte expected at a position of the cycle. */
    byte at(int position) {
        return cycle.getByte(position);
    }

    /** Whether {@code length} (at most {@link #RUN}) reply bytes from {@code index} are as expected. */
    boolean matches(ByteBuf reply, int index, int position, int length) {
        return ByteBufUtil.equals(reply, index, cycle, position, length);
    }
}

package dev.shout.client.bench;

import io.netty.buffer.ByteBuf;

/** Looks at reply bytes as they arrive; {@link #NONE} for {@code --no-verify}. */
interface ReplyCheck {

    ReplyCheck NONE = (reply, offset) -> { };

    /**
     * Checks the readable bytes of {@code reply}, which start at {@code offset} of the
     * connection's reply stream; leaves the buffer as it was.
     */
    void check(ByteBuf reply, long offset);
}

package dev.shout.server.transform;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * A byte-stream transform for one connection. TCP may split the stream anywhere, so an
 * implementation may hold a few bytes back between calls; it is therefore stateful and
 * never shared between connections.
 */
public interface StreamTransform {

    /**
     * Transforms the next chunk of the stream. Takes ownership of {@code in} and returns the
     * bytes to send, which may be {@code in} itself, changed in place.
     */
    ByteBuf apply(ByteBuf in, ByteBufAllocator alloc);

    /** Returns the bytes still held back at end of stream, unchanged; empty if none. */
    ByteBuf finish(ByteBufAllocator alloc);
}

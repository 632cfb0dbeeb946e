package dev.shout.server.transform;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/** Sends every byte back unchanged, without copying. */
final class EchoTransform implements StreamTransform {

    @Override
    public ByteBuf apply(ByteBuf in, ByteBufAllocator alloc) {
        return in;
    }

    @Override
    public ByteBuf finish(ByteBufAllocator alloc) {
        return Unpooled.EMPTY_BUFFER;
    }
}

package dev.shout.server.transform;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;

/** Exactly Python's {@code bytes.upper()}: a–z become A–Z, every other byte is kept. */
final class AsciiUpperTransform implements StreamTransform {

    @Override
    public ByteBuf apply(ByteBuf in, ByteBufAllocator alloc) {
        AsciiBytes.upperInPlace(in, in.readerIndex(), false);
        return in;
    }

    @Override
    public ByteBuf finish(ByteBufAllocator alloc) {
        return Unpooled.EMPTY_BUFFER;
    }
}

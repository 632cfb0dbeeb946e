package dev.shout.server.transform;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.io.ByteArrayOutputStream;

/** Runs a transform over a byte stream cut into chunks, as TCP might deliver it. */
final class TransformTesting {

    private TransformTesting() {
    }

    /** Applies a fresh transform of {@code kind} to {@code input} delivered in pieces ending at {@code cuts}. */
    static byte[] run(TransformKind kind, byte[] input, int... cuts) {
        StreamTransform transform = kind.newTransform();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int from = 0;
        for (int cut : cuts) {
            drain(transform.apply(chunk(input, from, cut), ByteBufAllocator.DEFAULT), out);
            from = cut;
        }
        drain(transform.apply(chunk(input, from, input.length), ByteBufAllocator.DEFAULT), out);
        drain(transform.finish(ByteBufAllocator.DEFAULT), out);
        return out.toByteArray();
    }

    private static ByteBuf chunk(byte[] input, int from, int to) {
        // Direct buffers, as the epoll transport reads into.
        ByteBuf buf = Unpooled.directBuffer(to - from);
        buf.writeBytes(input, from, to - from);
        return buf;
    }

    private static void drain(ByteBuf buf, ByteArrayOutputStream out) {
        try {
            out.writeBytes(ByteBufUtil.getBytes(buf));
        } finally {
            buf.release();
        }
    }
}

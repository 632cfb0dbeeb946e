package dev.shout.server.pipeline;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Hands the {@code SslHandler} behind it one TLS record at a time, and flushes the replies to
 * one record before the next is decrypted. Why: a client that sends
 * its last line and its {@code close_notify} at once (TLS 1.3's half-close, which
 * {@code shout -m} and scripts do) would otherwise lose the reply with the OpenSSL provider,
 * whose engine closes its own side as soon as it reads the {@code close_notify} (the TLS 1.2
 * rule), before a reply to the line read with it was encrypted. A read of one record, the
 * common case, passes as it is, and replies are flushed once per read as without TLS.
 */
final class TlsRecordFramer extends ByteToMessageDecoder {

    private static final int HEADER_BYTES = 5;
    /** A record's first byte, its content type: change_cipher_spec (20) to application_data (23). */
    private static final int FIRST_CONTENT_TYPE = 20;
    private static final int LAST_CONTENT_TYPE = 23;
    /** The largest record TLS allows: 2^14 bytes of plaintext plus 2048 of expansion. */
    private static final int MAX_RECORD_BYTES = (1 << 14) + 2048;

    private boolean recordPassedThisRead;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int type = in.getUnsignedByte(in.readerIndex());
        if (type < FIRST_CONTENT_TYPE || type > LAST_CONTENT_TYPE) {
            // Not TLS (a plaintext client, say): the SslHandler judges it, and refuses it, whole.
            out.add(in.readRetainedSlice(in.readableBytes()));
            return;
        }
        if (in.readableBytes() < HEADER_BYTES) {
            return;
        }
        int length = in.getUnsignedShort(in.readerIndex() + 3);
        if (length > MAX_RECORD_BYTES) {
            out.add(in.readRetainedSlice(in.readableBytes()));
            return;
        }
        if (in.readableBytes() < HEADER_BYTES + length) {
            return;
        }
        if (recordPassedThisRead) {
            // Replies to the records before this one go out before it is decrypted.
            ctx.channel().flush();
        }
        recordPassedThisRead = true;
        out.add(in.readRetainedSlice(HEADER_BYTES + length));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        recordPassedThisRead = false;
        super.channelReadComplete(ctx);
    }
}

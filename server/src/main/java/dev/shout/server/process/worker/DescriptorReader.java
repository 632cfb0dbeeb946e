package dev.shout.server.process.worker;

import dev.shout.server.process.link.DescriptorPairing;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.unix.FileDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the worker's descriptor socket: each descriptor goes to be paired with its message. An
 * error here is one of the link's, so it closes the framed socket too.
 */
final class DescriptorReader extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(DescriptorReader.class);

    private final DescriptorPairing pairing;
    private final Channel messages;
    private final LinkReporter reporter;

    DescriptorReader(DescriptorPairing pairing, Channel messages, LinkReporter reporter) {
        this.pairing = pairing;
        this.messages = messages;
        this.reporter = reporter;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        pairing.descriptor((FileDescriptor) msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Adoptions said while pairing this batch go out together.
        reporter.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (messages.isOpen()) {
            log.error("link to the master failed ({}): closing it", cause.getMessage());
        }
        messages.close();
        ctx.close();
    }
}

package dev.shout.server.process;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adopts each client connection whose descriptor the master sends: wraps it in a channel,
 * gives it the common pipeline and registers it on one of this worker's event loops.
 */
final class DescriptorReceiver extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(DescriptorReceiver.class);

    private final EventLoopGroup loops;
    private final io.netty.channel.ChannelHandler pipelineInitializer;
    private final LinkReporter reporter;
    private int receivedThisRead;

    DescriptorReceiver(EventLoopGroup loops, io.netty.channel.ChannelHandler pipelineInitializer,
            LinkReporter reporter) {
        this.loops = loops;
        this.pipelineInitializer = pipelineInitializer;
        this.reporter = reporter;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        receivedThisRead++;
        EpollSocketChannel connection = new EpollSocketChannel(((FileDescriptor) msg).intValue());
        connection.pipeline().addLast(pipelineInitializer);
        loops.next().register(connection).addListener(registered -> {
            if (!registered.isSuccess()) {
                log.warn("could not serve a connection handed over by the master", registered.cause());
                connection.unsafe().closeForcibly();
                reporter.released();
            }
        });
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        if (receivedThisRead > 0) {
            reporter.received(receivedThisRead);
            receivedThisRead = 0;
        }
        ctx.fireChannelReadComplete();
    }
}

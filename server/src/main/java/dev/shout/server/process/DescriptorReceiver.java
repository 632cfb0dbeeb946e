package dev.shout.server.process;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.unix.FileDescriptor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Adopts each client connection whose descriptor the master sends: acknowledges it, then
 * wraps it in a channel with the common pipeline on one of this worker's event loops.
 *
 * <p>The acknowledgement goes out before the connection is registered, so before a byte of it
 * is read: until then the master may still give it to another worker, and after it the master
 * will not. If the acknowledgement cannot be sent, this worker lets the connection go. The
 * acknowledgements of one read are flushed together; when the read ends in the link's end of
 * file, Netty closes the link without a read-complete, the unflushed ones fail, and those
 * connections go back to the master as they should.
 */
final class DescriptorReceiver extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(DescriptorReceiver.class);

    private final EventLoopGroup loops;
    private final ChannelHandler pipelineInitializer;
    private final LinkReporter reporter;

    DescriptorReceiver(EventLoopGroup loops, ChannelHandler pipelineInitializer, LinkReporter reporter) {
        this.loops = loops;
        this.pipelineInitializer = pipelineInitializer;
        this.reporter = reporter;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        EpollSocketChannel connection = new EpollSocketChannel(((FileDescriptor) msg).intValue());
        if (!connection.isActive()) {
            // Reset while it waited for a worker: Netty would register it inactive, so nothing
            // would ever read the reset and close it.
            connection.unsafe().closeForcibly();
            reporter.arrivedClosed();
            return;
        }
        reporter.received().addListener((ChannelFuture acknowledged) -> {
            if (acknowledged.isSuccess()) {
                register(connection);
            } else {
                connection.unsafe().closeForcibly();
            }
        });
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
        ctx.fireChannelReadComplete();
    }

    private void register(EpollSocketChannel connection) {
        connection.pipeline().addLast(pipelineInitializer);
        loops.next().register(connection).addListener(registered -> {
            if (!registered.isSuccess()) {
                log.warn("could not serve a connection handed over by the master", registered.cause());
                connection.unsafe().closeForcibly();
                reporter.released(Worker.clientOf(connection));
            }
        });
    }
}

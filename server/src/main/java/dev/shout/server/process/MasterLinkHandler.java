package dev.shout.server.process;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The master's end of one worker's link: turns its frames into reports to the pool. */
final class MasterLinkHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(MasterLinkHandler.class);

    private final WorkerPool pool;
    private final WorkerProcess worker;

    MasterLinkHandler(WorkerPool pool, WorkerProcess worker) {
        this.pool = pool;
        this.worker = worker;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        try {
            pool.report(worker, LinkMessage.decode(frame));
        } finally {
            frame.release();
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        pool.reportsRead();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pool.linkClosed(worker);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("link to {} failed: {}", worker, cause.toString());
        ctx.close();
    }
}

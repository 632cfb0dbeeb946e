package dev.shout.server.process.worker;

import dev.shout.server.config.WorkerSettings;
import dev.shout.server.process.link.LinkMessage;
import dev.shout.server.process.link.LinkMessage.Configure;
import dev.shout.server.process.link.LinkProtocolException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.util.concurrent.Promise;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayList;
import java.util.List;

/**
 * The worker's reader of its link while it sets itself up: the master's first frame must be the
 * worker's settings, which complete the promise the worker waits on. Whatever the master sends
 * after them before {@link WorkerLinkHandler} replaces this reader is kept and passed on to it,
 * in order, when it does.
 */
final class SettingsReader extends SimpleChannelInboundHandler<LinkMessage> {

    private final Promise<WorkerSettings> settings;
    private final List<LinkMessage> early = new ArrayList<>();

    /** @param settings completed with the master's settings, or failed if the link breaks first */
    SettingsReader(Promise<WorkerSettings> settings) {
        this.settings = settings;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, LinkMessage message) {
        if (settings.isDone()) {
            early.add(message);
        } else if (message instanceof Configure configure) {
            settings.trySuccess(configure.settings());
        } else {
            throw new LinkProtocolException(message.getClass().getSimpleName() + " before the settings");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        settings.tryFailure(new ClosedChannelException());
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        settings.tryFailure(cause);
        ctx.close();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (!early.isEmpty()) {
            early.forEach(ctx::fireChannelRead);
            early.clear();
            ctx.fireChannelReadComplete();
        }
    }
}

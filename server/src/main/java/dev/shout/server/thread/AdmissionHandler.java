package dev.shout.server.thread;

import dev.shout.server.admission.AdmissionLedger;
import dev.shout.server.admission.Permit;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * Thread mode's acceptor side of admission, in the server channel's pipeline: a connection from
 * an address at its limit is closed before it is registered; every other one holds its permit
 * until it closes. While the ledger is full the server stops accepting, so clients wait in the
 * kernel's backlog, and it accepts again as soon as a connection closes.
 */
final class AdmissionHandler extends ChannelInboundHandlerAdapter {

    private final AdmissionLedger ledger;

    AdmissionHandler(AdmissionLedger ledger) {
        this.ledger = ledger;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        Channel server = ctx.channel();
        ledger.onRoom(() -> server.eventLoop().execute(() -> {
            if (server.isOpen() && !ledger.full()) {
                server.config().setAutoRead(true);
            }
        }));
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Channel child = (Channel) msg;
        Optional<Permit> permit = ledger.tryAcquire(((InetSocketAddress) child.remoteAddress()).getAddress());
        if (permit.isEmpty()) {
            child.unsafe().closeForcibly();
            return;
        }
        child.closeFuture().addListener(closed -> permit.get().release());
        if (ledger.full()) {
            ctx.channel().config().setAutoRead(false);
        }
        ctx.fireChannelRead(msg);
    }
}

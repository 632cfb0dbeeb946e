package dev.shout.server.thread;

import dev.shout.server.admission.AdmissionLedger;
import dev.shout.server.admission.ConnectionAdmission;
import dev.shout.server.admission.HeldPermit;
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
 * kernel's backlog, and it accepts again as soon as a connection closes. A trusted balancer's
 * connection is admitted without a per-address charge, and its pipeline admits it again under
 * the client its PROXY header names, through the {@link HeldPermit} attached to it here.
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
        Optional<Permit> permit = ledger.acquireAtAccept(((InetSocketAddress) child.remoteAddress()).getAddress());
        if (permit.isEmpty()) {
            child.unsafe().closeForcibly();
            return;
        }
        HeldPermit held = new HeldPermit(ledger, permit.get());
        ConnectionAdmission.attach(child, held);
        child.closeFuture().addListener(closed -> held.release());
        if (ledger.full()) {
            ctx.channel().config().setAutoRead(false);
        }
        ctx.fireChannelRead(msg);
    }
}

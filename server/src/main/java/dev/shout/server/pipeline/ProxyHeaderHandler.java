package dev.shout.server.pipeline;

import dev.shout.server.Addresses;
import dev.shout.server.admission.ConnectionAdmission;
import dev.shout.server.admission.Permit;
import dev.shout.server.config.DurationConverter;
import dev.shout.server.config.ProxyProtocolPolicy;
import dev.shout.server.pipeline.Refusals.Reason;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.haproxy.HAProxyCommand;
import io.netty.handler.codec.haproxy.HAProxyMessage;
import io.netty.handler.codec.haproxy.HAProxyProxiedProtocol.AddressFamily;
import io.netty.util.NetUtil;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's side of the PROXY protocol, just after Netty's {@code HAProxyMessageDecoder} and
 * before anything that counts or answers the client's bytes. A connection whose peer is not a
 * trusted balancer is closed at once, since its header could name any client. A trusted one must
 * send a whole header of the version configured within {@code --proxy-header-timeout}; then the
 * connection is admitted under the client the header names, and only then does a byte of the
 * client's reach the rest of the pipeline: what came with the header waits, and reading stops,
 * while the admission is asked (of the master, in process mode). A LOCAL header, a balancer's
 * health check, is served as the balancer's own connection. Every refusal is counted in
 * {@link Refusals}, never logged with a stack trace. Once the connection is served, the
 * handler leaves the pipeline.
 */
final class ProxyHeaderHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ProxyHeaderHandler.class);

    private enum State { AWAITING_HEADER, ADMITTING, CLOSED }

    private final ProxyProtocolPolicy policy;
    private final Refusals refusals;
    /** What arrived after the header while the connection waits to be admitted, in order: bytes and events. */
    private final Deque<Object> held = new ArrayDeque<>();
    private State state = State.AWAITING_HEADER;
    private boolean peerChecked;
    private ScheduledFuture<?> headerTimeout;

    ProxyHeaderHandler(ProxyProtocolPolicy policy, Refusals refusals) {
        this.policy = policy;
        this.refusals = refusals;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            checkPeer(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        if (!peerChecked) {
            checkPeer(ctx);
        }
        if (state != State.CLOSED) {
            ctx.fireChannelActive();
        }
    }

    private void checkPeer(ChannelHandlerContext ctx) {
        peerChecked = true;
        InetSocketAddress peer = (InetSocketAddress) ctx.channel().remoteAddress();
        if (!policy.trusts(peer.getAddress())) {
            log.debug("{} is not from a trusted balancer: closing", ctx.channel());
            refuse(ctx, Reason.UNTRUSTED_PROXY);
            return;
        }
        headerTimeout = ctx.executor().schedule(() -> {
            log.debug("{} sent no whole PROXY header within {}: closing", ctx.channel(),
                    DurationConverter.format(policy.headerTimeout()));
            refuse(ctx, Reason.PROXY_HEADER_TIMEOUT);
        }, policy.headerTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HAProxyMessage header) {
            try {
                headerRead(ctx, header);
            } finally {
                header.release();
            }
        } else if (state == State.CLOSED) {
            ReferenceCountUtil.release(msg);
        } else {
            held.add(msg);
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof ChannelInputShutdownEvent && state == State.AWAITING_HEADER) {
            // A balancer's bare TCP check: it left before any header, so there is nothing to serve or refuse.
            cancelHeaderTimeout();
            state = State.CLOSED;
            ctx.close();
        } else if (state == State.ADMITTING) {
            held.add(evt);
            if (evt instanceof ChannelInputShutdownEvent) {
                // The client half-closed while it waits: it can send nothing more, so reading may
                // resume now, and must. Netty 4.2.18's epoll transport takes a socket that wants no
                // event (reading stopped, its FIN seen) out of epoll yet believes it still there, so
                // every later change (reading again, waiting to write the reply) fails with ENOENT.
                ctx.channel().config().setAutoRead(true);
            }
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Only the decoder before this handler throws a DecoderException: it closed the connection already.
        if (cause instanceof DecoderException) {
            if (state == State.AWAITING_HEADER) {
                log.debug("{} sent a bad PROXY header: {}", ctx.channel(), cause.getMessage());
                refuse(ctx, Reason.BAD_PROXY_HEADER);
            }
            return;
        }
        ctx.fireExceptionCaught(cause);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelHeaderTimeout();
        releaseHeld();
    }

    private void headerRead(ChannelHandlerContext ctx, HAProxyMessage header) {
        cancelHeaderTimeout();
        if (state != State.AWAITING_HEADER) {
            return;
        }
        if (!policy.protocol().accepts(header.protocolVersion())) {
            log.debug("{} sent a PROXY {} header (expected: --proxy-protocol {}): closing", ctx.channel(),
                    header.protocolVersion(), policy.protocol());
            refuse(ctx, Reason.BAD_PROXY_HEADER);
            return;
        }
        Optional<InetSocketAddress> client = clientOf(header);
        if (client.isEmpty()) {
            serve(ctx);
            return;
        }
        state = State.ADMITTING;
        Channel channel = ctx.channel();
        channel.config().setAutoRead(false);
        log.debug("{} is {} by its PROXY header", channel, Addresses.format(client.get()));
        ConnectionAdmission.of(channel).acquire(client.get().getAddress()).whenComplete((permit, failure) -> {
            if (ctx.executor().inEventLoop()) {
                admitted(ctx, permit, failure);
            } else {
                ctx.executor().execute(() -> admitted(ctx, permit, failure));
            }
        });
    }

    /**
     * The client of a PROXY command over IPv4 or IPv6; empty for a LOCAL command, and for a
     * header that names no IP client (UNKNOWN, a Unix socket): the balancer's own connection.
     */
    private static Optional<InetSocketAddress> clientOf(HAProxyMessage header) {
        AddressFamily family = header.proxiedProtocol().addressFamily();
        if (header.command() != HAProxyCommand.PROXY
                || (family != AddressFamily.AF_IPv4 && family != AddressFamily.AF_IPv6)) {
            return Optional.empty();
        }
        return Optional.of(new InetSocketAddress(
                NetUtil.createInetAddressFromIpAddressString(header.sourceAddress()), header.sourcePort()));
    }

    /** On the connection's event loop: the answer to its admission under the client's address. */
    private void admitted(ChannelHandlerContext ctx, Optional<Permit> permit, Throwable failure) {
        Channel channel = ctx.channel();
        if (failure != null || permit.isEmpty() || state != State.ADMITTING || !channel.isOpen()) {
            if (permit != null) {
                permit.ifPresent(Permit::release);
            }
            if (failure != null) {
                log.warn("{} could not be admitted: {}", channel, failure.toString());
            } else {
                // Over --max-connections-per-ip: the ledger counts and summarises the refusal.
                log.debug("{} refused: its client holds --max-connections-per-ip", channel);
            }
            state = State.CLOSED;
            releaseHeld();
            ctx.close();
            return;
        }
        Permit granted = permit.get();
        channel.closeFuture().addListener(closed -> granted.release());
        serve(ctx);
    }

    /**
     * Lets the client's bytes through: first what waited, then the socket's. Reading resumes
     * before what waited is passed on, so that backpressure from those bytes stays in force.
     */
    private void serve(ChannelHandlerContext ctx) {
        ctx.channel().config().setAutoRead(true);
        boolean passed = !held.isEmpty();
        for (Object next; (next = held.poll()) != null; ) {
            if (next instanceof ByteBuf bytes) {
                ctx.fireChannelRead(bytes);
            } else {
                ctx.fireUserEventTriggered(next);
            }
        }
        if (passed) {
            ctx.fireChannelReadComplete();
        }
        ctx.pipeline().remove(this);
    }

    private void refuse(ChannelHandlerContext ctx, Reason reason) {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        cancelHeaderTimeout();
        releaseHeld();
        refusals.refused(reason);
        ctx.close();
    }

    private void cancelHeaderTimeout() {
        if (headerTimeout != null) {
            headerTimeout.cancel(false);
            headerTimeout = null;
        }
    }

    private void releaseHeld() {
        for (Object next; (next = held.poll()) != null; ) {
            ReferenceCountUtil.release(next);
        }
    }
}

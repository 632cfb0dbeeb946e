package dev.shout.server.process;

import dev.shout.server.process.link.LinkMessage;
import dev.shout.server.process.link.LinkMessage.Accepted;
import dev.shout.server.process.link.LinkMessage.AdmissionRequest;
import dev.shout.server.process.link.LinkMessage.Adopted;
import dev.shout.server.process.link.LinkMessage.ArrivedClosed;
import dev.shout.server.process.link.LinkMessage.Configure;
import dev.shout.server.process.link.LinkMessage.Draining;
import dev.shout.server.process.link.LinkMessage.Heartbeat;
import dev.shout.server.process.link.LinkMessage.Hello;
import dev.shout.server.process.link.LinkMessage.LeaseRequest;
import dev.shout.server.process.link.LinkMessage.MigrateConnection;
import dev.shout.server.process.link.LinkMessage.Migrated;
import dev.shout.server.process.link.LinkMessage.StayedBehind;
import dev.shout.server.process.link.LinkMessage.Released;
import dev.shout.server.process.link.LinkProtocolException;
import dev.shout.server.process.supervision.Supervisor;
import dev.shout.server.process.supervision.WorkerHandle;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The master's reader of one worker's link: every message goes to the part of the master it is
 * for — liveness and draining to the supervisor, connections to the acceptance, figures to the
 * slot's totals. The worker's first message must be a hello in this master's protocol, which is
 * answered with the worker's settings.
 */
final class MasterLinkHandler extends SimpleChannelInboundHandler<LinkMessage> {

    private static final Logger log = LoggerFactory.getLogger(MasterLinkHandler.class);

    private final MasterLink link;
    private final WorkerHandle worker;
    private final Supervisor supervisor;
    private final Acceptance acceptance;
    private final SlotTotals totals;
    private final Configure configure;

    /** @param configure the settings every worker is sent in answer to its hello */
    MasterLinkHandler(MasterLink link, Supervisor supervisor, Acceptance acceptance, SlotTotals totals,
            Configure configure) {
        this.link = link;
        this.worker = link.worker();
        this.supervisor = supervisor;
        this.acceptance = acceptance;
        this.totals = totals;
        this.configure = configure;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, LinkMessage message) {
        supervisor.heard(worker);
        if (message instanceof Hello hello) {
            greeted(ctx, hello);
        } else if (!link.greeted()) {
            throw new LinkProtocolException(message.getClass().getSimpleName() + " before Hello");
        } else if (message instanceof Heartbeat beat) {
            totals.add(link.heartbeat(beat), beat);
        } else if (message instanceof Adopted adopted) {
            acceptance.adopted(worker, adopted.connection());
            supervisor.handed(worker);
        } else if (message instanceof MigrateConnection moving) {
            link.moving().message(moving);
        } else if (message instanceof Migrated migrated) {
            acceptance.migrated(worker, migrated.connection());
        } else if (message instanceof StayedBehind) {
            acceptance.migrations().stayed();
        } else if (message instanceof ArrivedClosed arrived) {
            acceptance.arrivedClosed(worker, arrived.connection());
        } else if (message instanceof Released released) {
            acceptance.released(worker, released.connection());
        } else if (message instanceof Accepted accepted) {
            acceptance.accepted(worker, accepted.connection());
            supervisor.handed(worker);
        } else if (message instanceof LeaseRequest request) {
            acceptance.leaseRequested(worker, request);
        } else if (message instanceof AdmissionRequest request) {
            link.send(acceptance.admit(worker, request));
        } else if (message instanceof Draining) {
            supervisor.draining(worker);
            link.finishSending();
        } else {
            throw new LinkProtocolException(message.getClass().getSimpleName() + " is not for the master");
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // Acknowledgements and closes may have made room.
        acceptance.capacityChanged();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        supervisor.linkLost(worker);
        acceptance.linkClosed(worker);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel().isOpen()) {
            if (cause instanceof LinkProtocolException) {
                log.error("{} broke the link protocol ({}): closing the link", worker, cause.getMessage());
            } else {
                log.warn("link to {} failed: {}", worker, cause.toString());
            }
        }
        ctx.close();
    }

    private void greeted(ChannelHandlerContext ctx, Hello hello) {
        if (hello.protocolVersion() != LinkMessage.PROTOCOL_VERSION) {
            supervisor.refuse(worker, "(build " + hello.buildVersion() + ") speaks link protocol "
                    + hello.protocolVersion() + ", this master " + LinkMessage.PROTOCOL_VERSION);
            ctx.close();
            return;
        }
        link.greet(hello.buildVersion());
        // The worker sets itself up from these, then connects its descriptor socket: WorkerLinks
        // links it then, and the worker is ready.
        link.send(configure);
    }
}

package dev.shout.server.process.worker;

import dev.shout.server.process.link.DescriptorPairing;
import dev.shout.server.process.link.LinkMessage;
import dev.shout.server.process.link.LinkMessage.AcceptUntil;
import dev.shout.server.process.link.LinkMessage.AdmissionAnswer;
import dev.shout.server.process.link.LinkMessage.CarriesDescriptor;
import dev.shout.server.process.link.LinkMessage.HandedOver;
import dev.shout.server.process.link.LinkMessage.LeaseAnswer;
import dev.shout.server.process.link.LinkMessage.MigrateConnections;
import dev.shout.server.process.link.LinkMessage.ReloadCertificates;
import dev.shout.server.process.link.LinkProtocolException;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's reader of the master's messages: a connection's message goes to be paired with
 * its descriptor, an admission answer to whoever asked, leases and pauses to the acceptor. A
 * protocol error closes the link, which ends the worker: it can no longer trust what the master
 * means.
 */
final class WorkerLinkHandler extends SimpleChannelInboundHandler<LinkMessage> {

    private static final Logger log = LoggerFactory.getLogger(WorkerLinkHandler.class);

    private final DescriptorPairing pairing;
    private final RemoteAdmission admission;
    private final SharedAcceptor acceptor;
    private final LinkReporter reporter;
    private final Runnable reloadCertificates;
    private final ConnectionMigrator migrator;

    /** @param reloadCertificates reads the certificate files again, as the master asks after it has checked them */
    WorkerLinkHandler(DescriptorPairing pairing, RemoteAdmission admission, SharedAcceptor acceptor,
            LinkReporter reporter, Runnable reloadCertificates, ConnectionMigrator migrator) {
        this.pairing = pairing;
        this.admission = admission;
        this.acceptor = acceptor;
        this.reporter = reporter;
        this.reloadCertificates = reloadCertificates;
        this.migrator = migrator;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, LinkMessage message) {
        if (message instanceof CarriesDescriptor carries) {
            pairing.message(carries);
        } else if (message instanceof AdmissionAnswer answer) {
            admission.answered(answer);
        } else if (message instanceof LeaseAnswer answer) {
            acceptor.answered(answer);
        } else if (message instanceof AcceptUntil until) {
            acceptor.told(until);
        } else if (message instanceof ReloadCertificates) {
            reloadCertificates.run();
        } else if (message instanceof MigrateConnections) {
            migrator.requested();
        } else if (message instanceof HandedOver handedOver) {
            migrator.handedOver(handedOver.connection());
        } else {
            throw new LinkProtocolException(message.getClass().getSimpleName() + " is not for a worker");
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        reporter.flush();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        pairing.close();
        admission.linkClosed();
        acceptor.linkClosed();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (ctx.channel().isOpen()) {
            log.error("link to the master failed ({}): closing it", cause.getMessage());
        }
        ctx.close();
    }
}

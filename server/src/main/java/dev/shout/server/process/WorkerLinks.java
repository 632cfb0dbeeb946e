package dev.shout.server.process;

import dev.shout.server.process.link.DescriptorPairing;
import dev.shout.server.process.link.LinkCodec;
import dev.shout.server.process.link.LinkMessage.MigrateConnection;
import dev.shout.server.process.link.LinkMessage.Sender;
import dev.shout.server.process.supervision.Supervisor;
import dev.shout.server.process.supervision.WorkerHandle;
import io.netty.channel.Channel;
import dev.shout.server.process.link.LinkMessage;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The links of the master's workers, set up as they connect to the control socket: a worker
 * this master started connects twice, its framed socket first and its descriptor socket second
 * (a Unix socket's backlog keeps that order); any other connection is refused.
 */
final class WorkerLinks {

    private final Supervisor supervisor;
    private final Function<MasterLink, MasterLinkHandler> handlers;
    private final Acceptance acceptance;
    private final Map<WorkerHandle, MasterLink> links = new HashMap<>();

    /** @param acceptance where the connections a worker moves go, once each met its descriptor */
    WorkerLinks(Supervisor supervisor, Function<MasterLink, MasterLinkHandler> handlers, Acceptance acceptance) {
        this.supervisor = supervisor;
        this.handlers = handlers;
        this.acceptance = acceptance;
    }

    /** A connection from {@code pid}, on the master's loop; false to refuse it. */
    boolean accept(long pid, Channel channel) {
        WorkerHandle worker = supervisor.starting(pid);
        if (worker == null) {
            return false;
        }
        MasterLink link = links.get(worker);
        if (link != null) {
            if (!link.attachDescriptors(channel)) {
                return false;
            }
            if (link.complete()) {
                supervisor.linked(worker);
            }
            return true;
        }
        MasterLink created = new MasterLink(worker, channel, new DescriptorPairing((message, descriptor) ->
                acceptance.moving(worker, (MigrateConnection) message, descriptor)));
        links.put(worker, created);
        channel.closeFuture().addListener(closed -> links.remove(worker));
        channel.pipeline().addLast(new LinkCodec(Sender.WORKER), handlers.apply(created));
        return true;
    }

    Optional<MasterLink> of(WorkerHandle worker) {
        return Optional.ofNullable(links.get(worker));
    }

    /**
     * Sends {@code message} to every worker that said hello; on the master's loop. A worker that
     * has not yet must be sent its settings before anything else, and sets itself up after this.
     */
    void sendToAll(LinkMessage message) {
        links.values().stream().filter(MasterLink::greeted).forEach(link -> link.send(message));
    }
}

package dev.shout.server.process;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.unix.DomainSocketAddress;
import io.netty.channel.unix.PeerCredentials;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Unix socket workers link to. It lives in a fresh directory only this user can enter,
 * and a peer is accepted only if the kernel says it is one of the processes this master
 * spawned, running as this master's user, and only for the two sockets of its link; anything
 * else is closed and logged.
 */
final class ControlSocket implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ControlSocket.class);

    private final Path directory;
    private final Path socket;
    private final Channel serverChannel;

    /**
     * @param admit given each connection of this user's processes with its peer's pid, on
     *     {@code loop}: true when it is a socket of a worker this master started and awaits
     */
    ControlSocket(EventLoop loop, BiPredicate<Long, Channel> admit) {
        try {
            directory = Files.createTempDirectory("shout-",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the control socket directory", e);
        }
        socket = directory.resolve("control.sock");
        int ownUid = ownUid();
        serverChannel = new ServerBootstrap()
                .group(loop, loop)
                .channel(EpollServerDomainSocketChannel.class)
                .childHandler(new ChannelInitializer<EpollDomainSocketChannel>() {
                    @Override
                    protected void initChannel(EpollDomainSocketChannel link) throws IOException {
                        PeerCredentials peer = link.peerCredentials();
                        if (peer.uid() != ownUid || !admit.test((long) peer.pid(), link)) {
                            log.warn("rejected a control connection from pid {} uid {}: not a worker this"
                                    + " master started and awaits", peer.pid(), peer.uid());
                            link.close();
                        }
                    }
                })
                .bind(new DomainSocketAddress(socket.toFile()))
                .syncUninterruptibly()
                .channel();
    }

    Path path() {
        return socket;
    }

    /** The master's private directory the socket lives in; whatever else is put there is removed before {@link #close}. */
    Path directory() {
        return directory;
    }

    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
        try {
            Files.deleteIfExists(socket);
            Files.deleteIfExists(directory);
        } catch (IOException e) {
            log.warn("could not remove {}: {}", directory, e.toString());
        }
    }

    private static int ownUid() {
        try {
            return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read this process's uid", e);
        }
    }
}

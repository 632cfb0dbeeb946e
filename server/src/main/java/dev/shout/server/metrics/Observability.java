package dev.shout.server.metrics;

import dev.shout.server.config.MetricsConfig;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannel;
import java.net.InetSocketAddress;
import java.util.Optional;

/** Starts what {@link MetricsConfig} asks for: the stats log line and the metrics endpoint. */
public final class Observability {

    private Observability() {
    }

    /**
     * @param loop the event loop that owns the figures {@code source} reads
     * @return the endpoint's channel, to close at shutdown, if one was asked for
     */
    public static Optional<Channel> start(MetricsConfig config, EventLoop loop,
            Class<? extends ServerChannel> channelClass, MetricsSource source, boolean perWorker) {
        if (!config.statsInterval().isZero()) {
            StatsLogger.start(loop, config.statsInterval(), source);
        }
        return config.port().stream().mapToObj(port -> MetricsServer.start(loop, channelClass,
                new InetSocketAddress(config.host(), port), new ShoutMetrics(source, perWorker), source)).findFirst();
    }
}

package dev.shout.server.metrics;

import dev.shout.server.Addresses;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoop;
import io.netty.channel.ServerChannel;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoint operators and probes read: {@code /metrics} in the Prometheus text format
 * and {@code /health}, 200 while the server can serve and 503 otherwise. It runs on the event
 * loop that owns the figures, so a scrape reads them without locks.
 */
public final class MetricsServer {

    private static final Logger log = LoggerFactory.getLogger(MetricsServer.class);
    private static final int MAX_REQUEST_BYTES = 8 * 1024;

    private MetricsServer() {
    }

    /** Binds the endpoint; returns its channel, to be closed at shutdown. */
    public static Channel start(EventLoop loop, Class<? extends ServerChannel> channelClass,
            InetSocketAddress address, ShoutMetrics metrics, MetricsSource source) {
        PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();
        Channel channel = new ServerBootstrap()
                .group(loop, loop)
                .channel(channelClass)
                .childHandler(new ChannelInitializer<>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(), new HttpObjectAggregator(MAX_REQUEST_BYTES),
                                new Handler(metrics, source, writer));
                    }
                })
                .bind(address)
                .syncUninterruptibly()
                .channel();
        log.info("metrics on http://{}/metrics, health on /health",
                Addresses.format((InetSocketAddress) channel.localAddress()));
        return channel;
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final ShoutMetrics metrics;
        private final MetricsSource source;
        private final PrometheusTextFormatWriter writer;

        Handler(ShoutMetrics metrics, MetricsSource source, PrometheusTextFormatWriter writer) {
            this.metrics = metrics;
            this.source = source;
            this.writer = writer;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = new QueryStringDecoder(request.uri()).path();
            FullHttpResponse response = switch (path) {
                case "/metrics" -> response(HttpResponseStatus.OK, writer.getContentType(), scrape(ctx));
                case "/health" -> source.healthy()
                        ? text(HttpResponseStatus.OK, "ok\n")
                        : text(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable\n");
                default -> text(HttpResponseStatus.NOT_FOUND, "not found: try /metrics or /health\n");
            };
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }

        private ByteBuf scrape(ChannelHandlerContext ctx) {
            ByteBuf body = ctx.alloc().buffer();
            try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
                writer.write(out, metrics.registry().scrape());
            } catch (IOException e) {
                body.release();
                throw new UncheckedIOException(e);
            }
            return body;
        }

        private static FullHttpResponse text(HttpResponseStatus status, String body) {
            return response(status, "text/plain; charset=utf-8", Unpooled.copiedBuffer(body, StandardCharsets.UTF_8));
        }

        private static FullHttpResponse response(HttpResponseStatus status, String contentType, ByteBuf body) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType)
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                    .set(HttpHeaderNames.CONNECTION, "close");
            return response;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            log.debug("metrics request failed: {}", cause.toString());
            ctx.close();
        }
    }
}

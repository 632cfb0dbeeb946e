package dev.shout.client.bench;

import dev.shout.client.DurationConverter;
import dev.shout.client.ServerOptions;
import dev.shout.client.ShoutClient;
import dev.shout.client.tls.ClientSslContexts;
import dev.shout.client.tls.TlsConfig;
import dev.shout.client.tls.TlsOptions;
import dev.shout.client.tls.TlsSetupException;
import io.netty.handler.ssl.SslContext;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code shout bench}: the load generator. Reads the flags into a {@link BenchConfig} and leaves
 * the run to {@link BenchRun}; its output goes to the streams of the {@code shout} command line,
 * so that tests see it as a user would.
 */
@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        resourceBundle = ShoutClient.BUILD,
        version = ShoutClient.VERSION,
        sortOptions = false,
        description = {
            "Loads a shout server and reports messages/s, MB/s, latency percentiles and failures.",
            "Every reply byte is checked against the transform the server runs. Exits 0 when nothing"
                    + " failed, 1 when a connect, a connection or a reply did (said on stderr), 2 for bad flags."
        })
public final class BenchCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerOptions server;

    @Mixin
    private TlsOptions tlsOptions;

    @Option(names = {"-c", "--connections"}, defaultValue = "10", paramLabel = "<n>",
            description = "Connections held at once, or with --churn parallel loops (default: ${DEFAULT-VALUE}).")
    private int connections;

    @Option(names = {"-d", "--duration"}, defaultValue = "10s", paramLabel = "<duration>",
            converter = DurationConverter.class,
            description = "How long the figures are gathered; for idle-then-ping how long the connections are"
                    + " held idle (default: ${DEFAULT-VALUE}).")
    private Duration duration;

    @Option(names = "--warmup", defaultValue = "1s", paramLabel = "<duration>",
            converter = DurationConverter.class,
            description = "Load before the figures start counting, left out of them (default: ${DEFAULT-VALUE}).")
    private Duration warmup;

    @Option(names = {"-s", "--size"}, defaultValue = "64", paramLabel = "<bytes>",
            description = "Message size in bytes (default: ${DEFAULT-VALUE}).")
    private int size;

    @Option(names = {"-p", "--pattern"}, paramLabel = "<pattern>", converter = Workload.PatternConverter.class,
            description = {
                "pingpong (default): each connection sends a message, waits for the whole reply, repeats.",
                "stream: each connection writes as fast as the server takes it while reading the replies.",
                "idle-then-ping: holds the connections idle for --duration, then sends one message through"
                        + " each and reports that round."
            })
    private Workload pattern;

    @Option(names = "--churn",
            description = "Connect, send one message, read the whole reply, close, over and over in each of"
                    + " --connections loops; reports new connections/s (with --tls: full handshakes/s) and the"
                    + " cycle's latency.")
    private boolean churn;

    @Option(names = {"-r", "--rate"}, paramLabel = "<messages/s>",
            description = "Open loop for pingpong: this many messages a second over all connections, latency"
                    + " measured from when each message was due. Without it, each connection sends as soon as"
                    + " its reply is in.")
    private Long rate;

    @Option(names = "--transform", defaultValue = "upper", paramLabel = "<transform>",
            converter = ReplyTransform.Converter.class,
            description = "What the server does to the bytes, to check replies against: upper, ascii-upper or"
                    + " echo (default: ${DEFAULT-VALUE}).")
    private ReplyTransform transform;

    @Option(names = "--verify", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Check every reply byte (default: on; --no-verify skips it).")
    private boolean verify;

    @Option(names = "--json", description = "Print the report as one JSON object on stdout.")
    private boolean json;

    @Option(names = "--threads", paramLabel = "<n>",
            description = "Event loop threads (default: the number of CPUs, here ${DEFAULT-VALUE}).")
    private int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--connects-in-flight", defaultValue = "256", paramLabel = "<n>",
            description = "Connects under way at once, so that the server's accept backlog is not overrun"
                    + " (default: ${DEFAULT-VALUE}).")
    private int connectsInFlight;

    @Override
    public Integer call() throws InterruptedException {
        BenchConfig config = parseConfig();
        Optional<SslContext> tls;
        try {
            tls = tlsContext(config);
        } catch (TlsSetupException badFile) {
            spec.commandLine().getErr().println(BenchRun.PREFIX + badFile.getMessage());
            return ExitCode.USAGE;
        }
        return new BenchRun(config, tls, spec.commandLine().getOut(), spec.commandLine().getErr()).run();
    }

    private Optional<SslContext> tlsContext(BenchConfig config) throws TlsSetupException {
        if (config.tls().isEmpty()) {
            return Optional.empty();
        }
        if (config.tls().get().insecure()) {
            spec.commandLine().getErr().println(BenchRun.PREFIX + TlsConfig.INSECURE_WARNING);
        }
        return Optional.of(ClientSslContexts.forPipelines(config.tls().get()));
    }

    private BenchConfig parseConfig() {
        try {
            return new BenchConfig(server.host(), server.port(), server.connectTimeout(),
                    BenchConfig.workload(pattern, churn), connections, duration, warmup, size,
                    rate == null ? OptionalLong.empty() : OptionalLong.of(rate), transform, verify, json, threads,
                    connectsInFlight, tlsOptions.config());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }
}

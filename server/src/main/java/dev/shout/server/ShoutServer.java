package dev.shout.server;

import dev.shout.server.config.AcceptMode;
import dev.shout.server.config.Cidr;
import dev.shout.server.config.ConnectionPolicy;
import dev.shout.server.config.DurationConverter;
import dev.shout.server.config.MetricsConfig;
import dev.shout.server.config.Mode;
import dev.shout.server.config.ProxyProtocol;
import dev.shout.server.config.ProxyProtocolPolicy;
import dev.shout.server.config.ServerConfig;
import dev.shout.server.config.SocketActivation;
import dev.shout.server.config.TlsConfig;
import dev.shout.server.config.TlsProvider;
import dev.shout.server.process.Master;
import dev.shout.server.process.NativeHeapTrim;
import dev.shout.server.thread.ThreadModeServer;
import dev.shout.server.tls.TlsSetupException;
import dev.shout.server.transform.TransformKind;
import dev.shout.server.transport.ProcessIdentity;
import dev.shout.server.transport.ServiceSocket;
import dev.shout.server.transport.Transport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** The server's command line: reads the flags into a {@link ServerConfig} and runs the mode it names. */
@Command(name = "shout-server", mixinStandardHelpOptions = true,
        // The build writes the pom's version into build.properties; picocli reads it from there.
        resourceBundle = "dev.shout.server.build", version = "shout-server ${bundle:shout.version}",
        sortOptions = false, usageHelpAutoWidth = true,
        description = "A TCP server that sends each client what it sends, uppercased or unchanged.")
public final class ShoutServer implements Callable<Integer> {

    private static final int CPUS = Runtime.getRuntime().availableProcessors();

    @Spec
    private CommandSpec spec;

    @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "${SHOUT_HOST:-127.0.0.1}",
            description = "Address to listen on (env SHOUT_HOST). Default: ${DEFAULT-VALUE}")
    private String host;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "${SHOUT_PORT:-8080}",
            description = "Port to listen on; 0 picks a free one (env SHOUT_PORT). Default: ${DEFAULT-VALUE}")
    private int port;

    @Option(names = "--mode", paramLabel = "MODE", defaultValue = "auto",
            description = "auto, thread or process. auto: process where the native epoll transport"
                    + " is available, thread elsewhere. Default: ${DEFAULT-VALUE}")
    private Mode mode;

    @Option(names = "--accept", paramLabel = "WHO", defaultValue = "master",
            description = "Process mode: master (the master accepts and hands each client to a worker) or"
                    + " workers (the workers accept from the listening socket the master shares)."
                    + " Default: ${DEFAULT-VALUE}")
    private AcceptMode accept;

    @Option(names = "--threads", paramLabel = "N",
            description = "Event loops: in all in thread mode (default: CPUs), per worker in process"
                    + " mode (default: 1)")
    private Integer threads;

    @Option(names = "--transform", paramLabel = "NAME", defaultValue = "upper", converter = TransformConverter.class,
            description = "upper (Unicode, UTF-8), ascii-upper (like Python's bytes.upper()) or echo."
                    + " Default: ${DEFAULT-VALUE}")
    private TransformKind transform;

    @Option(names = "--shutdown-timeout", paramLabel = "DURATION", defaultValue = "${SHOUT_SHUTDOWN_TIMEOUT:-10s}",
            converter = DurationConverter.class,
            description = "How long SIGTERM/SIGINT wait for connections to finish (env"
                    + " SHOUT_SHUTDOWN_TIMEOUT). Default: ${DEFAULT-VALUE}")
    private Duration shutdownTimeout;

    @Option(names = "--backlog", paramLabel = "N", defaultValue = "1024",
            description = "Kernel accept queue length. Default: ${DEFAULT-VALUE}")
    private int backlog;

    @Option(names = "--workers", paramLabel = "N",
            description = "Process mode: worker processes. Default: the number of CPUs")
    private Integer workers;

    @Option(names = "--worker-jvm-opts", paramLabel = "OPTS", defaultValue = "",
            description = "Process mode: JVM options for each worker, space-separated, e.g. \"-Xmx128m\"")
    private String workerJvmOpts;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "10000",
            description = "Connections served at once in all; more clients wait in the backlog."
                    + " Default: ${DEFAULT-VALUE}")
    private int maxConnections;

    @Option(names = "--connections-per-worker", paramLabel = "N", defaultValue = "10000",
            description = "Process mode: connections one worker serves at once. Default: ${DEFAULT-VALUE}")
    private int connectionsPerWorker;

    @Option(names = "--max-connections-per-ip", paramLabel = "N", defaultValue = "1000",
            description = "Connections one client address may hold at once; more are closed at once."
                    + " 0: no limit. Default: ${DEFAULT-VALUE}")
    private int maxConnectionsPerIp;

    @Option(names = "--proxy-protocol", paramLabel = "VERSION", defaultValue = "off",
            description = "off, v1, v2 or any: connections from --proxy-trusted balancers begin with a PROXY"
                    + " protocol header naming the real client, which limits, logs and metrics then use."
                    + " Default: ${DEFAULT-VALUE}")
    private ProxyProtocol proxyProtocol;

    @Option(names = "--proxy-trusted", paramLabel = "CIDR", split = ",",
            description = "With --proxy-protocol: the balancers whose headers are believed, e.g."
                    + " 10.0.0.0/8,fd00::/8; a connection from anywhere else is closed at once")
    private List<String> proxyTrusted = new ArrayList<>();

    @Option(names = "--proxy-header-timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class,
            description = "Close a balancer's connection that has not sent its whole PROXY header after this."
                    + " Default: ${DEFAULT-VALUE}")
    private Duration proxyHeaderTimeout;

    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "Serve TLS with this PEM certificate chain (the server's first). Default: plaintext")
    private Path tlsCertificate;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "With --tls-cert: its PEM private key, PKCS#8 or PKCS#1")
    private Path tlsKey;

    @Option(names = "--tls-client-ca", paramLabel = "FILE",
            description = "With --tls-cert: mutual TLS, every client presents a certificate signed by one"
                    + " of these PEM authorities")
    private Path tlsClientCa;

    @Option(names = "--tls-provider", paramLabel = "NAME", defaultValue = "auto",
            description = "auto, openssl or jdk. auto: OpenSSL (bundled BoringSSL) where it loads, the JDK's"
                    + " otherwise. Default: ${DEFAULT-VALUE}")
    private TlsProvider tlsProvider;

    @Option(names = "--tls-handshake-timeout", paramLabel = "DURATION", defaultValue = "10s",
            converter = DurationConverter.class,
            description = "Close a client that has not finished its TLS handshake after this."
                    + " Default: ${DEFAULT-VALUE}")
    private Duration tlsHandshakeTimeout;

    @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "300s",
            converter = DurationConverter.class,
            description = "Close a connection that neither sends nor receives this long; 0: never."
                    + " Default: ${DEFAULT-VALUE}")
    private Duration idleTimeout;

    @Option(names = "--half-closed-timeout", paramLabel = "DURATION", defaultValue = "30s",
            converter = DurationConverter.class,
            description = "Close a client that half-closed and reads nothing more after this."
                    + " Default: ${DEFAULT-VALUE}")
    private Duration halfClosedTimeout;

    @Option(names = "--max-pending-bytes", paramLabel = "BYTES", defaultValue = "65536",
            description = "Bytes owed to one client above which the server stops reading from it"
                    + " (the write-buffer high water mark; reading resumes below half). Default: ${DEFAULT-VALUE}")
    private int maxPendingBytes;

    @Option(names = "--write-timeout", paramLabel = "DURATION", defaultValue = "60s",
            converter = DurationConverter.class,
            description = "Close a client owed more than --max-pending-bytes that reads nothing this long."
                    + " Default: ${DEFAULT-VALUE}")
    private Duration writeTimeout;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve /metrics (Prometheus) and /health on this port; 0 picks a free one."
                    + " Default: off")
    private Integer metricsPort;

    @Option(names = "--metrics-host", paramLabel = "ADDRESS",
            description = "Address of the metrics endpoint. Default: the --host address")
    private String metricsHost;

    @Option(names = "--stats-interval", paramLabel = "DURATION", defaultValue = "0",
            converter = DurationConverter.class,
            description = "Log the headline figures this often; 0: never. Default: ${DEFAULT-VALUE}")
    private Duration statsInterval;

    @Option(names = "--worker-timeout", paramLabel = "DURATION", defaultValue = "5s", converter = DurationConverter.class,
            description = "Process mode: a worker silent this long is replaced. Default: ${DEFAULT-VALUE}")
    private Duration workerTimeout;

    @Option(names = "--migration-timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = DurationConverter.class,
            description = "Process mode, SIGHUP: how long a connection may take to get its owed bytes to the"
                    + " kernel and move to the new worker; one that cannot is drained instead."
                    + " Default: ${DEFAULT-VALUE}")
    private Duration migrationTimeout;

    @Option(names = "--worker-max-connections", paramLabel = "N", defaultValue = "0",
            description = "Process mode: replace a worker once this many connections were handed to it (each"
                    + " worker up to 10% more, at random); its connections move to the new one. 0: never."
                    + " Default: ${DEFAULT-VALUE}")
    private long workerMaxConnections;

    @Option(names = "--worker-max-age", paramLabel = "DURATION", defaultValue = "0s",
            converter = DurationConverter.class,
            description = "Process mode: replace a worker once it has served this long (each up to 10% longer,"
                    + " at random); its connections move to the new one. 0: never. Default: ${DEFAULT-VALUE}")
    private Duration workerMaxAge;

    public static void main(String[] args) {
        NettyJfrEvents.offUnlessAsked();
        System.exit(commandLine().execute(args));
    }

    /** The command line, set up as {@code main} runs it; tests capture its output. */
    public static CommandLine commandLine() {
        return new CommandLine(new ShoutServer())
                .setCaseInsensitiveEnumValuesAllowed(true)
                .setParameterExceptionHandler(ShoutServer::shortUsageError);
    }

    /** Parses a command line as {@code main} would, into the configuration it runs from. */
    public static ServerConfig parse(List<String> args) {
        CommandLine commandLine = commandLine();
        commandLine.parseArgs(args.toArray(String[]::new));
        ShoutServer command = commandLine.getCommand();
        return command.toConfig();
    }

    @Override
    public Integer call() {
        Logger log = LoggerFactory.getLogger(ShoutServer.class);
        ServerConfig config;
        ServiceSocket socket;
        try {
            config = toConfig();
            socket = new ServiceSocket(config.host(), config.port(),
                    SocketActivation.fromEnvironment(System.getenv(), ProcessHandle.current().pid()));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
        NativeHeapTrim.startInThisJvm();
        try {
            if (config.mode() == Mode.THREAD) {
                ProcessIdentity.become("shout");
                if (mode == Mode.AUTO) {
                    log.warn("native epoll transport not available here: running in thread mode");
                }
                return new ThreadModeServer(config, socket).run(ShutdownSignals.install(
                        () -> log.info("SIGHUP ignored: thread mode has no workers to restart")));
            }
            ProcessIdentity.become("master");
            return new Master(config, socket).run();
        } catch (ServerStartException e) {
            log.error(e.getMessage());
            return ExitCodes.START_FAILED;
        } catch (TlsSetupException e) {
            // Bad files are the operator's to fix, like a bad flag: one line, and the flags' exit code.
            spec.commandLine().getErr().println("shout-server: " + e.getMessage());
            return ExitCodes.USAGE;
        }
    }

    private ServerConfig toConfig() {
        Mode resolved = mode.resolve(Transport.nativeAvailable());
        int defaultThreads = resolved == Mode.THREAD ? CPUS : 1;
        ConnectionPolicy connection = new ConnectionPolicy(
                transform, idleTimeout, halfClosedTimeout, maxPendingBytes, writeTimeout);
        ProxyProtocolPolicy proxy = new ProxyProtocolPolicy(proxyProtocol,
                proxyTrusted.stream().map(Cidr::parse).toList(), proxyHeaderTimeout);
        return new ServerConfig(host, port, resolved, accept, threads == null ? defaultThreads : threads, connection,
                proxy, TlsConfig.of(tlsCertificate, tlsKey, tlsClientCa, tlsProvider, tlsHandshakeTimeout),
                shutdownTimeout, backlog, workers == null ? CPUS : workers,
                Arrays.stream(workerJvmOpts.trim().split("\\s+")).filter(opt -> !opt.isEmpty()).toList(),
                maxConnections, maxConnectionsPerIp, connectionsPerWorker, workerTimeout, migrationTimeout,
                workerMaxConnections, workerMaxAge,
                new MetricsConfig(metricsHost == null ? host : metricsHost,
                        metricsPort == null ? OptionalInt.empty() : OptionalInt.of(metricsPort), statsInterval));
    }

    /** One line saying what is wrong and where help is, instead of picocli's full usage. */
    private static int shortUsageError(ParameterException e, String[] args) {
        CommandLine commandLine = e.getCommandLine();
        commandLine.getErr().println("shout-server: " + e.getMessage());
        commandLine.getErr().println("Try 'shout-server --help' for more information.");
        return ExitCodes.USAGE;
    }

    static final class TransformConverter implements CommandLine.ITypeConverter<TransformKind> {
        @Override
        public TransformKind convert(String value) {
            try {
                return TransformKind.fromFlag(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException("'" + value + "' (expected: upper, ascii-upper or echo)");
            }
        }
    }
}

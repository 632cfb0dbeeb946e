package dev.shout.client;

import dev.shout.client.bench.BenchCommand;
import java.io.IOException;
import dev.shout.client.tls.TlsConfig;
import dev.shout.client.tls.TlsOptions;
import dev.shout.client.tls.TlsSetupException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * The {@code shout} command. Its streams come in through the constructor rather than from
 * {@link System}, so that tests can drive it exactly as {@link #main} does.
 */
@Command(
        name = ShoutClient.NAME,
        mixinStandardHelpOptions = true,
        resourceBundle = ShoutClient.BUILD,
        version = ShoutClient.VERSION,
        subcommands = BenchCommand.class,
        description = {
            "Talks to a shout server, which sends every line back in upper case.",
            "With a terminal, prompts for lines; with a pipe or file on stdin, copies stdin to the server"
                    + " and the server to stdout; with --message, sends that one line.",
            "'shout bench' loads the server instead; see 'shout bench --help'."
        })
public final class ShoutClient implements Callable<Integer> {

    static final String NAME = "shout";
    /** Where the build writes the pom's version (build.properties), for picocli to read. */
    public static final String BUILD = "dev.shout.client.build";
    public static final String VERSION = NAME + " ${bundle:shout.version}";
    private static final int EXIT_CONNECTION_FAILED = 1;
    /** In the user's home; the lines in it are payloads, which the server never logs. */
    static final String HISTORY_FILE = ".shout_history";

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerOptions server;

    @Mixin
    private TlsOptions tlsOptions;

    @Option(names = {"-m", "--message"}, paramLabel = "<text>",
            description = "Send this one line, print the reply and exit.")
    private String message;

    @Option(names = {"-i", "--interactive"},
            description = "Prompt for lines even when stdin is not a terminal.")
    private boolean interactive;

    @Option(names = "--no-history",
            description = "Keep no history of the lines typed at a terminal: ~/" + HISTORY_FILE
                    + " is neither read nor written.")
    private boolean noHistory;

    private final InputStream stdin;
    private final OutputStream stdout;
    private final boolean stdinIsTerminal;

    private ShoutClient(InputStream stdin, OutputStream stdout, boolean stdinIsTerminal) {
        this.stdin = stdin;
        this.stdout = stdout;
        this.stdinIsTerminal = stdinIsTerminal;
    }

    public static void main(String[] args) {
        System.exit(newCommandLine(System.in, System.out, System.err, System.console() != null).execute(args));
    }

    static CommandLine newCommandLine(
            InputStream stdin, OutputStream stdout, OutputStream stderr, boolean stdinIsTerminal) {
        return new CommandLine(new ShoutClient(stdin, stdout, stdinIsTerminal))
                .setOut(utf8Writer(stdout))
                .setErr(utf8Writer(stderr))
                .setParameterExceptionHandler(ShoutClient::reportUsageError);
    }

    @Override
    public Integer call() {
        ClientConfig config = parseConfig();
        try {
            new Connector(config.host(), config.port(), config.connectTimeout(), tlsLayer(config))
                    .run(sessionFor(config));
            return ExitCode.OK;
        } catch (TlsSetupException badFile) {
            spec.commandLine().getErr().println(NAME + ": " + badFile.getMessage());
            return ExitCode.USAGE;
        } catch (ConnectionFailure failure) {
            spec.commandLine().getErr().println(NAME + ": " + failure.getMessage());
            return EXIT_CONNECTION_FAILED;
        }
    }

    private ClientConfig parseConfig() {
        try {
            return new ClientConfig(server.host(), server.port(), server.connectTimeout(), message, interactive,
                    noHistory ? null : Path.of(System.getProperty("user.home"), HISTORY_FILE),
                    tlsOptions.config());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    private Optional<TlsLayer> tlsLayer(ClientConfig config) throws TlsSetupException {
        if (config.tls().isEmpty()) {
            return Optional.empty();
        }
        if (config.tls().get().insecure()) {
            spec.commandLine().getErr().println(NAME + ": " + TlsConfig.INSECURE_WARNING);
        }
        return Optional.of(TlsLayer.of(config.tls().get()));
    }

    private Session sessionFor(ClientConfig config) {
        PrintWriter out = spec.commandLine().getOut();
        if (config.message() != null) {
            return new MessageSession(config.message(), out);
        }
        if (stdinIsTerminal) {
            return new InteractiveSession(() -> terminalLines(config.historyFile()), out);
        }
        if (config.interactive()) {
            return new InteractiveSession(() -> new PlainLines(stdin, out), out);
        }
        return new StreamSession(stdin, stdout);
    }

    /** A terminal that no line editor can drive still gets the prompt loop, and is told why it edits nothing. */
    private LineSource terminalLines(Path historyFile) {
        try {
            return TerminalLines.open(historyFile);
        } catch (IOException e) {
            spec.commandLine().getErr().println(NAME + ": no line editing: " + e.getMessage());
            return new PlainLines(stdin, spec.commandLine().getOut());
        }
    }

    /**
     * One line saying what is wrong and where to look, instead of the whole usage text; named
     * after the subcommand whose flags were wrong, if it was one.
     */
    private static int reportUsageError(ParameterException e, String[] args) {
        PrintWriter err = e.getCommandLine().getErr();
        String command = e.getCommandLine().getCommandSpec().qualifiedName();
        err.println(command + ": " + e.getMessage());
        err.println("Try '" + command + " --help' for more information.");
        return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
    }

    private static PrintWriter utf8Writer(OutputStream stream) {
        return new PrintWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), true);
    }
}

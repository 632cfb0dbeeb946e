package dev.shout.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The C load generator of {@code bench/load/shout_load.c}, compiled with gcc into this module's
 * {@code target/} as the bench scripts compile it, and run as an OS process. Where there is no gcc
 * the calling test is skipped with one line, unless {@code CI=true}: CI has gcc, and a missing
 * compiler there must fail rather than hide the tests.
 */
final class CLoadGenerator {

    private static final String SOURCE = "bench/load/shout_load.c";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One run: its exit code, its JSON report (empty when it printed none) and its stderr. */
    record Run(int exitCode, JsonNode report, String stderr) {
    }

    private final Path binary;

    private CLoadGenerator(Path binary) {
        this.binary = binary;
    }

    /** Compiles the generator with warnings as errors, or skips the calling test where there is no gcc. */
    static CLoadGenerator compile() throws IOException {
        Path source = Path.of(System.getProperty("shout.repository"), SOURCE).toAbsolutePath().normalize();
        Path binary = Path.of("target", "shout_load").toAbsolutePath();
        Files.createDirectories(binary.getParent());
        ClientProcess.Result built;
        try {
            built = ClientProcess.runCommand(List.of("gcc", "-O2", "-Wall", "-Wextra", "-Werror", "-o",
                    binary.toString(), source.toString()), new byte[0]);
        } catch (IOException noCompiler) {
            String why = "gcc not found (" + noCompiler.getMessage() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new AssertionError(why + ": the C load generator cannot be tested, and CI=true requires it");
            }
            System.err.println(why + ": C load generator tests skipped (CI=true fails instead)");
            return Assumptions.abort(why);
        }
        if (built.exitCode() != 0) {
            throw new AssertionError("gcc failed on " + source + ":\n" + built.stderr());
        }
        return new CLoadGenerator(binary);
    }

    /** Runs the generator against a loopback port with {@code flags} and reads its report. */
    Run run(int port, String... flags) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString(), "--port", Integer.toString(port)));
        command.addAll(List.of(flags));
        return run(command);
    }

    /** Runs the generator with exactly {@code flags}, for the flags it must refuse. */
    Run runWithFlags(String... flags) throws IOException {
        List<String> command = new ArrayList<>(List.of(binary.toString()));
        command.addAll(List.of(flags));
        return run(command);
    }

    private static Run run(List<String> command) throws IOException {
        ClientProcess.Result result = ClientProcess.runCommand(command, new byte[0]);
        String out = result.stdoutText().strip();
        return new Run(result.exitCode(), out.isEmpty() ? JSON.createObjectNode() : JSON.readTree(out),
                result.stderr());
    }
}

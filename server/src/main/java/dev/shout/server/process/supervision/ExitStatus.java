package dev.shout.server.process.supervision;

/** How a worker's exit reads in the log. */
final class ExitStatus {

    private ExitStatus() {
    }

    /** {@code exit code 3}, or {@code killed by SIGKILL} for the JVM's 128 + signal convention. */
    static String describe(int code) {
        if (code > 128 && code < 128 + 32) {
            String name = switch (code - 128) {
                case 1 -> "SIGHUP";
                case 2 -> "SIGINT";
                case 6 -> "SIGABRT";
                case 9 -> "SIGKILL";
                case 11 -> "SIGSEGV";
                case 15 -> "SIGTERM";
                default -> "signal " + (code - 128);
            };
            return "exit code " + code + ", killed by " + name;
        }
        return "exit code " + code;
    }
}

package dev.shout.server.process;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import dev.shout.server.transport.ProcessIdentity;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.management.JMException;
import javax.management.ObjectName;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Has glibc give back the native memory a burst of clients made each JVM free. What the JIT
 * compiled the accept path with, and buffers Netty let go, go back to glibc's arenas, which keep
 * them resident: about 1.4 KB of each of 100,000 held connections over the idle server, seven
 * workers and the master each keeping tens of MB ({@code docs/BENCHMARKS.md}). HotSpot trims
 * them every few seconds with {@code -XX:TrimNativeHeapInterval} (JDK 17.0.9 and later), which
 * workers get on their command line; the JVM the operator started cannot be given a flag after
 * the fact, so it trims itself on a thread of its own with the same command ({@code jcmd PID
 * System.trim_native_heap}). A flag the operator set, to 0 or another interval, is theirs; a JVM
 * that has no such flag is left as it is.
 */
public final class NativeHeapTrim {

    static final String FLAG = "TrimNativeHeapInterval";
    static final long INTERVAL_MILLIS = 5_000;

    private static final Logger log = LoggerFactory.getLogger(NativeHeapTrim.class);

    private NativeHeapTrim() {
    }

    /**
     * The option a worker gets: empty if its JVM (the master's own {@code java}, so {@code vm})
     * has no such flag or the operator's {@code --worker-jvm-opts} set it.
     */
    static Optional<String> workerOption(HotSpotDiagnosticMXBean vm, List<String> workerJvmOpts) {
        if (!knows(vm) || workerJvmOpts.stream().anyMatch(option -> option.startsWith("-XX:" + FLAG + "="))) {
            return Optional.empty();
        }
        return Optional.of("-XX:" + FLAG + "=" + INTERVAL_MILLIS);
    }

    /** Whether this JVM should trim itself: it knows the command and its own options left the flag alone. */
    static boolean trimsItself(HotSpotDiagnosticMXBean vm) {
        return knows(vm) && vm.getVMOption(FLAG).getOrigin() == VMOption.Origin.DEFAULT;
    }

    /** Trims this JVM every {@link #INTERVAL_MILLIS} from now on, unless {@link #trimsItself} says no. */
    public static void startInThisJvm() {
        if (!trimsItself(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class))) {
            return;
        }
        ScheduledExecutorService trimmer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, ProcessIdentity.threadPrefix("trim"));
            thread.setDaemon(true);
            return thread;
        });
        trimmer.scheduleWithFixedDelay(() -> {
            try {
                trim();
            } catch (JMException | RuntimeException e) {
                log.warn("cannot trim the native heap; no longer trying: {}", e.toString());
                trimmer.shutdown();
            }
        }, INTERVAL_MILLIS, INTERVAL_MILLIS, TimeUnit.MILLISECONDS);
    }

    /** Trims this JVM's native heap once; returns HotSpot's line, e.g. {@code RSS+Swap: 99256K->99132K (-124K)}. */
    static String trim() throws JMException {
        // The platform MBean server starts on first use, here on the trimmer's thread, not at start-up.
        Object said = ManagementFactory.getPlatformMBeanServer().invoke(
                new ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
                new Object[] {null}, new String[] {String[].class.getName()});
        return String.valueOf(said).trim();
    }

    private static boolean knows(HotSpotDiagnosticMXBean vm) {
        try {
            vm.getVMOption(FLAG);
            return true;
        } catch (IllegalArgumentException olderJvm) {
            return false;
        }
    }
}

package dev.shout.server.process;

import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.VMOption;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Has the master's collector give back the heap a burst of clients made it take. The master's
 * live heap is tens of MB whatever it serves, but G1 keeps what it grew to while 100,000 clients
 * connected (about 50 MB more, 0.5 KB a held connection, in {@code bench/scale.sh}); with these
 * settings an idle collection every few seconds returns the free part. They are manageable
 * flags, so the master sets them on itself as it starts, and the JVM options an operator gives
 * the master ({@code java -XX:...=... -jar}) win: a flag not at its default is left as it is.
 * The serial and parallel collectors read the ratios too; only G1 has the periodic collection.
 */
final class MasterHeap {

    private static final Logger log = LoggerFactory.getLogger(MasterHeap.class);

    /** In this order: the minimum ratio first, since the maximum may not go below it. */
    static final Map<String, String> GIVE_BACK = orderedFlags();

    private MasterHeap() {
    }

    /** Applies {@link #GIVE_BACK} to this JVM. */
    static void giveBackAfterBursts() {
        List<String> set = giveBackAfterBursts(ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class));
        log.debug("heap given back after bursts: {}", set);
    }

    /** Sets each of {@link #GIVE_BACK} still at its default; returns what it set. */
    static List<String> giveBackAfterBursts(HotSpotDiagnosticMXBean vm) {
        List<String> set = new ArrayList<>();
        GIVE_BACK.forEach((flag, value) -> {
            if (vm.getVMOption(flag).getOrigin() != VMOption.Origin.DEFAULT) {
                return;
            }
            try {
                vm.setVMOption(flag, value);
                set.add(flag + "=" + value);
            } catch (IllegalArgumentException notWithTheOthers) {
                // The operator's own ratios exclude this value: theirs stand.
                log.debug("{}={} not set: {}", flag, value, notWithTheOthers.getMessage());
            }
        });
        return set;
    }

    private static Map<String, String> orderedFlags() {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("MinHeapFreeRatio", "10");
        flags.put("MaxHeapFreeRatio", "30");
        flags.put("G1PeriodicGCInterval", "5000");
        return Collections.unmodifiableMap(flags);
    }
}

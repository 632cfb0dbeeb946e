package dev.shout.server.tls;

import dev.shout.server.transport.ProcessIdentity;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * SIGUSR1 reloads the certificate files at once, for operators who rotate them and do not want
 * to wait for the next check of the files. Installed only where TLS is on; elsewhere SIGUSR1
 * keeps the JVM's default.
 */
public final class CertificateReloadSignal {

    private static final Logger log = LoggerFactory.getLogger(CertificateReloadSignal.class);

    private CertificateReloadSignal() {
    }

    public static void install(Runnable reload) {
        Signal.handle(new Signal("USR1"), signal -> {
            Thread.currentThread().setName(ProcessIdentity.threadPrefix("signal"));
            log.info("SIGUSR1 received: reloading the TLS certificate");
            reload.run();
        });
    }
}

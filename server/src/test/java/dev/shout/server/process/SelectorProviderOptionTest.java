package dev.shout.server.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.net.ProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.channels.Pipe;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link SelectorProviderOption}: a worker is told the JDK's own provider by name, and no other. */
class SelectorProviderOptionTest {

    @Test
    void theJdksOwnProviderIsNamedAndAJvmGivenThatNameUsesIt() throws ReflectiveOperationException {
        SelectorProvider jdks = SelectorProvider.provider();
        String option = SelectorProviderOption.of(jdks).orElseThrow();
        assertEquals("-D" + SelectorProviderOption.PROPERTY + "=" + jdks.getClass().getName(), option);
        // As the JDK itself makes the named provider: from its name, with the system class loader.
        Class<?> named = Class.forName(option.substring(option.indexOf('=') + 1), false, ClassLoader.getSystemClassLoader());
        assertSame(jdks.getClass(), named);
    }

    @Test
    void aProviderFromTheClassPathIsNotNamed() {
        assertEquals(Optional.empty(), SelectorProviderOption.of(new ClassPathProvider()));
    }

    /** Stands for a provider a jar on the class path would bring. */
    private static final class ClassPathProvider extends SelectorProvider {
        @Override
        public DatagramChannel openDatagramChannel() {
            throw new UnsupportedOperationException();
        }

        @Override
        public DatagramChannel openDatagramChannel(ProtocolFamily family) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Pipe openPipe() {
            throw new UnsupportedOperationException();
        }

        @Override
        public AbstractSelector openSelector() throws IOException {
            throw new UnsupportedOperationException();
        }

        @Override
        public ServerSocketChannel openServerSocketChannel() {
            throw new UnsupportedOperationException();
        }

        @Override
        public SocketChannel openSocketChannel() {
            throw new UnsupportedOperationException();
        }
    }
}

package io.logalert;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.metrics.LogalertMetrics;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Micrometer is an optional dependency of the core: only {@code io.logalert.metrics} may use it, so that an
 * application without it runs pipelines all the same.
 */
class CoreWithoutMicrometerTest {

    private static Path classesOf(Class<?> type) throws URISyntaxException {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    @Test
    void noClassOutsideTheMetricsPackageReferencesMicrometer() throws Exception {
        Path classes = classesOf(AlertPipeline.class);
        List<Path> all;
        try (Stream<Path> files = Files.walk(classes)) {
            all = files.filter(f -> f.toString().endsWith(".class")).toList();
        }
        List<String> referencing = all.stream()
                .filter(f -> !classes.relativize(f).toString().replace('\\', '/').startsWith("io/logalert/metrics/"))
                .filter(CoreWithoutMicrometerTest::mentionsMicrometer)
                .map(f -> classes.relativize(f).toString()).toList();

        assertThat(all).as("the core's classes were found").hasSizeGreaterThan(50);
        assertThat(all.stream().filter(CoreWithoutMicrometerTest::mentionsMicrometer))
                .as("the check can see a reference").isNotEmpty();
        assertThat(referencing).isEmpty();
    }

    @Test
    void aPipelineRunsInAClassLoaderThatCannotSeeMicrometer() throws Exception {
        try (URLClassLoader isolated = new URLClassLoader(new URL[] {
                classesOf(AlertPipeline.class).toUri().toURL(),
                classesOf(RunWithoutMicrometer.class).toUri().toURL()}, new WithoutMicrometer())) {
            Class<?> run = isolated.loadClass(RunWithoutMicrometer.class.getName());
            assertThat(run.getClassLoader()).isSameAs(isolated);
            // another loader, another runtime package: package-private needs opening
            Constructor<?> constructor = run.getDeclaredConstructor();
            constructor.setAccessible(true);
            @SuppressWarnings("unchecked")
            Callable<String> plain = (Callable<String>) constructor.newInstance();

            assertThat(plain.call()).isEqualTo("1 read, 1 delivered, 1 heard, UP");
            // the isolation is real: the binder itself cannot load there
            assertThatThrownBy(() -> isolated.loadClass(LogalertMetrics.class.getName()).getMethods())
                    .isInstanceOf(NoClassDefFoundError.class).hasMessageContaining("io/micrometer");
        }
    }

    private static boolean mentionsMicrometer(Path classFile) {
        try {
            // a class that uses another names it in its constant pool, in internal form
            return new String(Files.readAllBytes(classFile), StandardCharsets.ISO_8859_1).contains("io/micrometer/");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The test's class path without Micrometer and without the core itself, which the isolated loader reads from
     * its own folders instead, so that every core class is linked there.
     */
    private static final class WithoutMicrometer extends ClassLoader {

        WithoutMicrometer() {
            super(CoreWithoutMicrometerTest.class.getClassLoader());
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.micrometer.") || name.startsWith("io.logalert.")) {
                throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
        }
    }
}

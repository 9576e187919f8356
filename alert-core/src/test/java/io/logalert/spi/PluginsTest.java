package io.logalert.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.logalert.ConsoleSink;
import io.logalert.testing.RecordingAlertSink;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Discovery through a real {@link java.util.ServiceLoader}: each case is a child class loader over a test folder
 * with its own {@code META-INF/services} file, on top of alert-core's own registrations.
 */
class PluginsTest {

    private static ClassLoader loaderWith(String folder) {
        URL url = PluginsTest.class.getClassLoader().getResource("discovery/" + folder + "/");
        assertThat(url).as("test folder discovery/%s", folder).isNotNull();
        return new URLClassLoader(new URL[] {url}, PluginsTest.class.getClassLoader());
    }

    @Test
    void findsBuiltInAndAddedProvidersByType() {
        Map<String, AlertSinkProvider> providers = Plugins.providers(AlertSinkProvider.class, loaderWith("extra"));

        assertThat(providers).containsOnlyKeys("console", "shouting");
        AlertSink sink = Plugins.create(AlertSinkProvider.class, "shouting", PluginConfig.empty(),
                loaderWith("extra"));
        assertThat(sink.name()).isEqualTo("SHOUTING");
    }

    @Test
    void theAddedProviderIsInvisibleToTheParentLoader() {
        assertThat(Plugins.providers(AlertSinkProvider.class, PluginsTest.class.getClassLoader()))
                .containsOnlyKeys("console");
    }

    @Test
    void unknownTypeListsKnownTypesAndTheArtifactToAdd() {
        assertThatThrownBy(() -> Plugins.provider(AlertSinkProvider.class, "dingtalk", loaderWith("extra")))
                .isInstanceOf(PluginDiscoveryException.class)
                .hasMessageContaining("'dingtalk'")
                .hasMessageContaining("known types: console, shouting")
                .hasMessageContaining("io.logalert:alert-sink-dingtalk");
    }

    @Test
    void unknownTypeWithoutKnownArtifactSaysHowToRegisterOne() {
        assertThatThrownBy(() -> Plugins.provider(AlertSinkProvider.class, "pager", loaderWith("extra")))
                .isInstanceOf(PluginDiscoveryException.class)
                .hasMessageContaining("known types: console, shouting")
                .hasMessageContaining("META-INF/services/io.logalert.spi.AlertSinkProvider");
    }

    @Test
    void twoProvidersOfOneTypeAreNamedBoth() {
        assertThatThrownBy(() -> Plugins.providers(AlertSinkProvider.class, loaderWith("duplicate")))
                .isInstanceOf(PluginDiscoveryException.class)
                .hasMessageContaining("'twin'")
                .hasMessageContaining(TwinSinkProvider.class.getName())
                .hasMessageContaining(OtherTwinSinkProvider.class.getName());
    }

    @Test
    void aProviderThatFailsToLoadIsNamed() {
        assertThatThrownBy(() -> Plugins.providers(AlertSinkProvider.class, loaderWith("broken")))
                .isInstanceOf(PluginDiscoveryException.class)
                .hasMessageContaining(BrokenSinkProvider.class.getName())
                .hasMessageContaining("no sink today");
    }

    @Test
    void aRegisteredClassThatDoesNotExistIsNamed() {
        assertThatThrownBy(() -> Plugins.providers(AlertSinkProvider.class, loaderWith("missing")))
                .isInstanceOf(PluginDiscoveryException.class)
                .hasMessageContaining("io.logalert.spi.NoSuchSinkProvider");
    }

    @Test
    void builtInConsoleSinkIsCreatedFromConfig() {
        AlertSink sink = Plugins.create(AlertSinkProvider.class, "console",
                PluginConfig.of(Map.of("stream", "stderr", "time-zone", "Asia/Shanghai")),
                PluginsTest.class.getClassLoader());

        assertThat(sink).isInstanceOf(ConsoleSink.class);
    }

    @Test
    void providerConfigErrorsReachTheCaller() {
        assertThatThrownBy(() -> Plugins.create(AlertSinkProvider.class, "console",
                PluginConfig.of(Map.of("stream", "printer", "time-zone", "Mars/Olympus", "colour", "red")),
                PluginsTest.class.getClassLoader()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).hasSize(3))
                .hasMessageContaining("'stream' must be one of stdout, stderr, was 'p…' (7 characters)")
                .hasMessageContaining("'time-zone' must be a time zone id")
                .hasMessageContaining("unknown key 'colour'; known keys: locale, name, stream, time-zone");
    }

    /** Registered only in discovery/extra. */
    public static final class ShoutingSinkProvider implements AlertSinkProvider {
        @Override
        public String type() {
            return "shouting";
        }

        @Override
        public AlertSink create(PluginConfig config) {
            return new RecordingAlertSink("SHOUTING");
        }
    }

    /** One of two providers of type twin. */
    public static class TwinSinkProvider implements AlertSinkProvider {
        @Override
        public String type() {
            return "twin";
        }

        @Override
        public AlertSink create(PluginConfig config) {
            return new RecordingAlertSink();
        }
    }

    /** The other provider of type twin. */
    public static final class OtherTwinSinkProvider extends TwinSinkProvider {
    }

    /** A provider whose constructor fails. */
    public static final class BrokenSinkProvider implements AlertSinkProvider {
        public BrokenSinkProvider() {
            throw new IllegalStateException("no sink today");
        }

        @Override
        public String type() {
            return "broken";
        }

        @Override
        public AlertSink create(PluginConfig config) {
            throw new AssertionError("never created");
        }
    }
}

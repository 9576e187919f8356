package io.logalert.spring;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.config.Specs;
import java.io.InputStream;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** The keys IDEs complete are the keys the configuration reads. */
class LogalertPropertiesTest {

    /** The kebab-case keys of {@code type}'s components, as Spring's metadata names them. */
    private static Set<String> keys(Class<? extends Record> type) {
        Set<String> keys = new TreeSet<>();
        for (RecordComponent component : type.getRecordComponents()) {
            keys.add(EnvironmentConfig.kebab(component.getName()));
        }
        return keys;
    }

    /** The keys the configuration binds {@code type} from. */
    private static Set<String> configKeys(Class<? extends Record> type) {
        Set<String> keys = new TreeSet<>();
        for (RecordComponent component : type.getRecordComponents()) {
            try {
                JsonProperty property = type.getDeclaredField(component.getName()).getAnnotation(JsonProperty.class);
                if (property != null) {
                    keys.add(property.value());
                }
            } catch (NoSuchFieldException e) {
                throw new AssertionError(e);
            }
        }
        return keys;
    }

    @Test
    void everyPipelineKeyOfTheConfigurationIsAPropertyAndNoOther() {
        assertThat(keys(LogalertProperties.Pipeline.class)).isEqualTo(configKeys(Specs.Pipeline.class));
        assertThat(keys(LogalertProperties.Kinds.class)).isEqualTo(configKeys(Specs.Kinds.class));
        assertThat(keys(LogalertProperties.Spool.class)).isEqualTo(configKeys(Specs.Spool.class));
        assertThat(keys(LogalertProperties.Digests.class)).isEqualTo(configKeys(Specs.Digests.class));
    }

    @Test
    void theRootHoldsThePipelinesAndTheStartersOwnKeys() {
        Set<String> root = configKeys(Specs.File.class);
        // the runner's own port: an application serves health and meters through its actuator
        root.remove("http");
        root.addAll(List.of("enabled", "auto-startup"));
        assertThat(keys(LogalertProperties.class)).isEqualTo(root);
    }

    @Test
    void theBuildWritesMetadataForIdes() throws Exception {
        try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
            assertThat(in).as("written by spring-boot-configuration-processor").isNotNull();
            JsonNode metadata = new ObjectMapper().readTree(in);
            List<String> names = Arrays.stream(new ObjectMapper().treeToValue(metadata.get("properties"),
                    JsonNode[].class)).map(p -> p.get("name").asText()).toList();
            assertThat(names).contains("logalert.enabled", "logalert.auto-startup", "logalert.pipelines");
            assertThat(metadata.toString()).contains("io.logalert.spring.LogalertProperties$Pipeline");
        }
    }
}

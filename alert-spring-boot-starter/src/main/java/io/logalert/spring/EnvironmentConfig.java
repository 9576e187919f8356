package io.logalert.spring;

import io.logalert.config.ConfigLoader;
import io.logalert.config.Locator;
import io.logalert.config.Suggest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.core.env.Environment;

/**
 * The {@code logalert.*} properties of an application as the configuration the runner reads from YAML: the same keys
 * under {@code logalert}, read and checked by {@link ConfigLoader}, each problem named by its property and where it
 * was set ({@code application.yml}, an environment variable…).
 *
 * <p>Spring's binder gives the subtree as nested maps, list items keyed by their index, with every property source
 * merged (a profile or an environment variable can change one key of a pipeline). This turns indexed maps back into
 * lists, and keys written in camelCase ({@code queryDelay}, which Spring's relaxed binding allows) into the
 * configuration's kebab-case ({@code query-delay}).
 */
final class EnvironmentConfig {

    /** The prefix of every property. */
    static final String PREFIX = "logalert";
    /** The name in a placeholder: {@code NAME} of {@code ${NAME}} or {@code ${NAME:default}}. */
    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}:]*)");
    /** The keys right under the prefix, those IDEs complete: the configuration's, and the starter's own. */
    private static final List<String> ROOT_KEYS = Arrays.stream(LogalertProperties.class.getRecordComponents())
            .map(component -> kebab(component.getName())).toList();

    private final Environment environment;
    /** The properties under {@code logalert}, as the binder gives them, every property source merged. */
    private final Map<String, Object> bound;
    /** The configuration's tree: {@code logalert.pipelines}, as the runner's file has {@code pipelines:}. */
    private final Map<String, Object> tree;

    private EnvironmentConfig(Environment environment) {
        this.environment = environment;
        this.bound = Binder.get(environment).bind(PREFIX, Bindable.mapOf(String.class, Object.class))
                .orElseGet(Map::of);
        this.tree = new LinkedHashMap<>();
        bound.forEach((key, value) -> {
            if (kebab(key).equals("pipelines")) {
                tree.put("pipelines", normalise(value));
            }
        });
    }

    /** The {@code logalert} properties of {@code environment}, bound once for what is read of them. */
    static EnvironmentConfig of(Environment environment) {
        return new EnvironmentConfig(environment);
    }

    /** The configuration under {@code logalert}, with its problems. */
    ConfigLoader.Loaded read() {
        return ConfigLoader.read(PREFIX, tree, Locator.of(pointer -> place(environment, pointer)));
    }

    /**
     * The problems only the starter sees, reported with the configuration's: a placeholder Spring could not resolve,
     * and keys right under {@code logalert} that are not the configuration's: the runner's
     * {@code http} section, which an application does not take (its actuator serves health and meters), and a
     * misspelling of a known key. Any other key is left alone: the prefix is shared (a build sets
     * {@code logalert.elasticsearch.home} for its tests, say), and a misspelt {@code pipelines} is reported anyway,
     * as missing.
     */
    List<String> starterProblems() {
        List<String> problems = new ArrayList<>();
        unresolved(environment, "", tree, problems);
        for (String key : bound.keySet()) {
            String name = kebab(key);
            if (name.equals("http")) {
                problems.add(place(environment, "/http") + ": the runner's own HTTP port for /metrics and /health; "
                        + "in a Spring Boot application the actuator serves them (/actuator/health/logalert, "
                        + "/actuator/metrics): remove logalert.http");
            } else if (!ROOT_KEYS.contains(name)) {
                Suggest.nearest(name, ROOT_KEYS).ifPresent(known -> problems.add(place(environment, "/" + key)
                        + ": unknown key `" + key + "` (did you mean `" + known + "`?)"));
            }
        }
        return problems;
    }

    /**
     * Values still holding a {@code ${…}} placeholder: the binder leaves one it cannot resolve as it is, which would
     * otherwise reach a plug-in as text (a token {@code ${DINGTALK_TOKEN}}, say).
     */
    private static void unresolved(Environment environment, String pointer, Object value, List<String> problems) {
        if (value instanceof Map<?, ?> map) {
            map.forEach((key, item) -> unresolved(environment, pointer + "/" + key, item, problems));
        } else if (value instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                unresolved(environment, pointer + "/" + i, list.get(i), problems);
            }
        } else if (value instanceof String text && text.contains("${")) {
            Matcher names = PLACEHOLDER.matcher(text);
            List<String> unset = new ArrayList<>();
            while (names.find()) {
                unset.add(names.group(1));
            }
            problems.add(place(environment, pointer) + ": the placeholder " + String.join(", ", unset.stream()
                    .map(name -> "${" + name + "}").toList()) + " cannot be resolved: set " + String.join(", ", unset)
                    + " (an environment variable or a property), or give a default: ${NAME:default}");
        }
    }

    /** Indexed maps as lists, camelCase keys as kebab-case, all the way down. */
    private static Object normalise(Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return value;
        }
        if (!map.isEmpty() && map.keySet().stream().allMatch(key -> String.valueOf(key).matches("[0-9]{1,6}"))) {
            // pipelines[0], pipelines[2]: a gap is an empty item, which the configuration reports at its index
            TreeMap<Integer, Object> items = new TreeMap<>();
            map.forEach((key, item) -> items.put(Integer.parseInt(String.valueOf(key)), normalise(item)));
            List<Object> list = new ArrayList<>();
            for (int i = 0; i <= items.lastKey(); i++) {
                list.add(items.get(i));
            }
            return list;
        }
        Map<String, Object> object = new LinkedHashMap<>();
        map.forEach((key, item) -> object.put(kebab(String.valueOf(key)), normalise(item)));
        return object;
    }

    /**
     * {@code queryDelay} as {@code query-delay}, as Spring's relaxed binding reads it. Only a key shaped like a Java
     * property (a lowercase start, letters and digits, a capital inside) is changed: any other key may be data of a
     * plug-in (a header name, say) and stays as written.
     */
    static String kebab(String key) {
        if (!key.matches("[a-z][a-zA-Z0-9]*[A-Z][a-zA-Z0-9]*")) {
            return key;
        }
        StringBuilder out = new StringBuilder(key.length() + 4);
        for (char c : key.toCharArray()) {
            if (Character.isUpperCase(c)) {
                out.append('-').append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The property a JSON pointer names, and where it was set: {@code logalert.pipelines[0].interval (…)}. */
    static String place(Environment environment, String pointer) {
        String property = property(pointer);
        // an item of a list written as one comma-separated value has no property of its own: the list's is shown
        for (String at = pointer; !at.isEmpty(); at = at.substring(0, at.lastIndexOf('/'))) {
            Optional<String> origin = origin(environment, property(at));
            if (origin.isPresent()) {
                return property + " (" + origin.get() + ")";
            }
        }
        return property;
    }

    /** {@code /pipelines/0/source/hosts} as {@code logalert.pipelines[0].source.hosts}. */
    static String property(String pointer) {
        String path = Locator.path(pointer);
        return path.isEmpty() ? PREFIX : PREFIX + (path.startsWith("[") ? "" : ".") + path;
    }

    /**
     * Where {@code property} was set, or for a section, where the first of its keys was: the first property source
     * that has it, as the binder reads them.
     */
    private static Optional<String> origin(Environment environment, String property) {
        ConfigurationPropertyName name = ConfigurationPropertyName.ofIfValid(property);
        if (name == null) {
            return Optional.empty();
        }
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            ConfigurationProperty found = source.getConfigurationProperty(name);
            if (found != null) {
                return describe(found.getOrigin());
            }
            if (source instanceof IterableConfigurationPropertySource iterable) {
                Optional<ConfigurationPropertyName> inside = iterable.stream().filter(name::isAncestorOf)
                        .findFirst();
                if (inside.isPresent()) {
                    return describe(iterable.getConfigurationProperty(inside.get()).getOrigin());
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<String> describe(Origin origin) {
        return Optional.ofNullable(origin).map(Origin::toString).filter(text -> !text.isBlank());
    }
}

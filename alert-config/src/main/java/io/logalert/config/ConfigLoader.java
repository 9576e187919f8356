package io.logalert.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.deser.ValueInstantiator;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Reads a configuration into {@link Specs}, gathering every problem instead of stopping at the first: YAML syntax
 * (which does stop: nothing after it can be read), duplicate keys, unknown keys with the nearest known one, values of
 * the wrong type, and {@code ${VAR}} references that cannot be resolved. Each problem has its place: a YAML file's
 * line and column, or for a tree handed over already parsed (the Spring Boot starter's {@code logalert.*}
 * properties), the name its {@link Locator} gives it.
 *
 * <pre>
 * ConfigLoader.Loaded loaded = ConfigLoader.load(Path.of("alert.yml"), System.getenv());
 * try (Assembly assembly = Assembly.of(loaded, Assembly.Options.defaults(Clock.systemUTC()))) {
 *     if (!loaded.problems().isEmpty()) {
 *         loaded.problemLines().forEach(System.err::println);   // alert.yml:3:5: pipelines[0].interval: …
 *     }
 * }
 * </pre>
 */
public final class ConfigLoader {

    /**
     * A configuration read.
     *
     * @param file     the name to show in problems
     * @param locator  names the place of each problem
     * @param problems what is wrong
     * @param spec     what was bound, also when some of it is wrong; empty when the text is not YAML
     */
    public record Loaded(String file, Locator locator, Problems problems, Optional<Specs.File> spec) {

        /**
         * The problems as lines, each naming its place: {@code file:line:column: path: message} for a YAML file,
         * in the order of the file.
         */
        public List<String> problemLines() {
            return locator.lines(problems.all());
        }

        /** The ids of the pipelines the configuration names, in its order. */
        public List<String> pipelineIds() {
            return spec.map(Specs.File::pipelines).orElse(List.of()).stream().filter(Objects::nonNull)
                    .map(Specs.Pipeline::id).filter(Objects::nonNull).toList();
        }
    }

    private static final YAMLFactory YAML = YAMLFactory.builder().build();
    private static final YAMLMapper MAPPER = mapper();

    private ConfigLoader() {
    }

    /**
     * Reads a YAML file, resolving {@code ${VAR}} and {@code ${VAR:-default}} from {@code env} in every value.
     *
     * @param file the file
     * @param env  the variables, usually {@code System.getenv()}
     */
    public static Loaded load(Path file, Map<String, String> env) {
        Problems problems = new Problems();
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (MalformedInputException e) {
            problems.add("", "the file is not UTF-8 text");
            return unread(file.toString(), problems);
        } catch (IOException e) {
            problems.add("", "cannot read the file: " + e);
            return unread(file.toString(), problems);
        }
        return read(file.toString(), text, env, problems);
    }

    /**
     * Reads YAML text, resolving {@code ${VAR}} and {@code ${VAR:-default}} from {@code env} in every value.
     *
     * @param name the name problems show, such as the file's
     * @param text the YAML
     * @param env  the variables
     */
    public static Loaded read(String name, String text, Map<String, String> env) {
        return read(name, text, env, new Problems());
    }

    static Loaded read(String name, String text, Map<String, String> env, Problems problems) {
        YamlIndex index;
        try {
            index = YamlIndex.of(text, YAML, problems);
        } catch (JsonProcessingException e) {
            problems.addAt(position(e.getLocation()), "not valid YAML: " + firstLine(e.getOriginalMessage()));
            return unread(name, problems);
        } catch (IOException e) {
            problems.add("", "cannot read the file: " + e);
            return unread(name, problems);
        }
        Locator locator = Locator.yaml(name, index);
        if (text.isBlank()) {
            problems.add("", "the file is empty: it needs `pipelines:`, a list of pipelines");
            return new Loaded(name, locator, problems, Optional.empty());
        }
        Specs.File spec = null;
        try (JsonParser parser = new ResolvingParser(YAML.createParser(new StringReader(text)), new EnvVars(env),
                problems)) {
            spec = bind(parser, problems);
        } catch (IOException e) {
            problems.add("", "cannot read the file: " + e);
        }
        return checked(name, locator, problems, spec, index.contains("/pipelines"));
    }

    /**
     * Reads a configuration already parsed into a tree: the same keys, values and checks as the YAML file, with the
     * values as they are (no {@code ${VAR}} is resolved: whoever built the tree has). Text values are read as the
     * file's are, so {@code "2m"}, {@code "500"} and {@code "true"} are a duration, a number and a boolean where
     * those are expected.
     *
     * @param name    the name of the whole, for problems that have no key
     * @param tree    an object with {@code pipelines}, as the YAML file's root
     * @param locator names the place of each problem, such as the Spring property it was read from
     */
    public static Loaded read(String name, JsonNode tree, Locator locator) {
        Objects.requireNonNull(tree, "tree");
        Objects.requireNonNull(locator, "locator");
        Problems problems = new Problems();
        if (!tree.isObject() || tree.isEmpty()) {
            problems.add("", "no configuration: it needs `pipelines`, a list of pipelines");
            return new Loaded(name, locator, problems, Optional.empty());
        }
        Specs.File spec = null;
        try (JsonParser parser = MAPPER.treeAsTokens(tree)) {
            spec = bind(parser, problems);
        } catch (IOException e) {
            problems.add("", "cannot read the configuration: " + e);
        }
        return checked(name, locator, problems, spec, tree.has("pipelines"));
    }

    /**
     * Reads a configuration given as nested maps and lists (what a YAML or JSON library, or Spring's binder,
     * produces), as {@link #read(String, JsonNode, Locator)} does.
     */
    public static Loaded read(String name, Map<String, ?> tree, Locator locator) {
        JsonNode node = MAPPER.valueToTree(Objects.requireNonNull(tree, "tree"));
        return read(name, node, locator);
    }

    private static Specs.File bind(JsonParser parser, Problems problems) throws IOException {
        try {
            return MAPPER.readerFor(Specs.File.class).withAttribute(Problems.class, problems).readValue(parser);
        } catch (JsonProcessingException e) {
            // what the handler could not recover from; what was gathered before stays
            JsonLocation location = e.getLocation();
            if (location != null && location.getLineNr() > 0) {
                problems.addAt(position(location), firstLine(e.getOriginalMessage()));
            } else {
                problems.add(YamlIndex.pointerOf(parser), firstLine(e.getOriginalMessage()));
            }
            return null;
        }
    }

    /** A text that could not be read as YAML: its problems, no place in it, nothing bound. */
    private static Loaded unread(String name, Problems problems) {
        return new Loaded(name, Locator.yaml(name, YamlIndex.empty()), problems, Optional.empty());
    }

    private static Loaded checked(String name, Locator locator, Problems problems, Specs.File spec,
            boolean hasPipelines) {
        // said only when nothing else was: a misspelt `pipelines:` already says what is missing
        if (problems.isEmpty() && (spec == null || spec.pipelines() == null || spec.pipelines().isEmpty())) {
            problems.add(hasPipelines ? "/pipelines" : "", "`pipelines:` is missing or empty: list at least one "
                    + "pipeline");
        }
        return new Loaded(name, locator, problems, Optional.ofNullable(spec));
    }

    private static YamlIndex.Position position(JsonLocation location) {
        return location == null ? new YamlIndex.Position(0, 0) : YamlIndex.position(location);
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "unreadable";
        }
        String line = message.strip();
        int newline = line.indexOf('\n');
        return newline < 0 ? line : line.substring(0, newline).strip();
    }

    private static YAMLMapper mapper() {
        SimpleModule module = new SimpleModule("logalert-runner");
        module.addDeserializer(Duration.class, new DurationReader());
        module.addDeserializer(Specs.PluginSpec.class, new PluginReader());
        module.addDeserializer(Specs.RealertSpec.class, new RealertReader());
        YAMLMapper mapper = YAMLMapper.builder(YAML)
                .enable(DeserializationFeature.ACCEPT_SINGLE_VALUE_AS_ARRAY)
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .addModule(module)
                .addHandler(new Handler())
                .build();
        return mapper;
    }

    private static Problems problems(DeserializationContext ctxt) {
        return (Problems) ctxt.getAttribute(Problems.class);
    }

    /** What a person calls the type a value should have. */
    private static String describe(Class<?> type) {
        if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
            return "a whole number";
        }
        if (type == Boolean.class || type == boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "text";
        }
        if (Collection.class.isAssignableFrom(type)) {
            return "a list";
        }
        if (type == Duration.class) {
            return Durations.EXPECTED;
        }
        return "a mapping (key: value)";
    }

    private static String found(JsonToken token) {
        if (token == null) {
            return "nothing";
        }
        return switch (token) {
            case START_OBJECT -> "a mapping";
            case START_ARRAY -> "a list";
            case VALUE_STRING -> "text";
            case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
            case VALUE_TRUE, VALUE_FALSE -> "true/false";
            case VALUE_NULL -> "no value";
            default -> token.toString();
        };
    }

    /** Turns binding failures into problems at their place, and lets binding go on. */
    private static final class Handler extends DeserializationProblemHandler {

        @Override
        public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p,
                JsonDeserializer<?> deserializer, Object beanOrClass, String propertyName) throws IOException {
            TreeSet<String> known = new TreeSet<>();
            deserializer.getKnownPropertyNames().forEach(name -> known.add(name.toString()));
            String pointer = YamlIndex.pointerOfKey(p, propertyName);
            String suggestion = Suggest.didYouMean(propertyName, known);
            problems(ctxt).add(pointer, "unknown key `" + propertyName + "`" + suggestion
                    + (suggestion.isEmpty() ? "; known keys here: " + String.join(", ", known) : ""));
            p.skipChildren();
            return true;
        }

        @Override
        public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String value,
                String failureMsg) {
            JsonParser p = ctxt.getParser();
            problems(ctxt).add(YamlIndex.pointerOf(p), Problems.redact(value) + " is not " + describe(targetType));
            return null;
        }

        @Override
        public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number value,
                String failureMsg) {
            problems(ctxt).add(YamlIndex.pointerOf(ctxt.getParser()), "the number is not " + describe(targetType));
            return null;
        }

        @Override
        public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, JsonToken t,
                JsonParser p, String failureMsg) throws IOException {
            problems(ctxt).add(YamlIndex.pointerOf(p), "expected " + describe(targetType.getRawClass())
                    + ", found " + found(t));
            p.skipChildren();
            return null;
        }

        @Override
        public Object handleMissingInstantiator(DeserializationContext ctxt, Class<?> instClass,
                ValueInstantiator valueInsta, JsonParser p, String msg) throws IOException {
            problems(ctxt).add(YamlIndex.pointerOf(p), "expected " + describe(instClass) + ", found "
                    + found(p.currentToken()));
            p.skipChildren();
            return null;
        }
    }

    /** Durations: {@code 30s}, {@code 2m}, {@code PT2M}; a bare 0 is zero. */
    private static final class DurationReader extends StdDeserializer<Duration> {

        DurationReader() {
            super(Duration.class);
        }

        @Override
        public Duration deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String pointer = YamlIndex.pointerOf(p);
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_STRING) {
                String text = p.getText();
                if (text.isBlank()) {
                    return null;
                }
                Optional<Duration> parsed = Durations.parse(text);
                if (parsed.isEmpty()) {
                    problems(ctxt).add(pointer, Problems.redact(text) + " is not " + Durations.EXPECTED);
                }
                return parsed.orElse(null);
            }
            if (token == JsonToken.VALUE_NUMBER_INT && p.getLongValue() == 0) {
                return Duration.ZERO;
            }
            if (token == JsonToken.VALUE_NUMBER_INT || token == JsonToken.VALUE_NUMBER_FLOAT) {
                problems(ctxt).add(pointer, "a number without a unit: write it with one, such as 90s or 2m ("
                        + Durations.EXPECTED + ")");
                return null;
            }
            problems(ctxt).add(pointer, "expected " + Durations.EXPECTED + ", found " + found(token));
            p.skipChildren();
            return null;
        }
    }

    /** {@code realert: off | 1h | {period: 30m, exponential: true, max-period: 8h}}. */
    private static final class RealertReader extends StdDeserializer<Specs.RealertSpec> {

        RealertReader() {
            super(Specs.RealertSpec.class);
        }

        @Override
        public Specs.RealertSpec deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String pointer = YamlIndex.pointerOf(p);
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_FALSE) {
                return new Specs.RealertSpec(pointer, true, null, null, null);
            }
            if (token == JsonToken.START_OBJECT) {
                Specs.RealertFields fields = ctxt.readValue(p, Specs.RealertFields.class);
                return fields == null ? null : new Specs.RealertSpec(pointer, false, fields.period(),
                        fields.exponential(), fields.maxPeriod());
            }
            if (token == JsonToken.VALUE_STRING || token == JsonToken.VALUE_NUMBER_INT) {
                String text = p.getText().strip();
                // "false": YAML 1.1 readers (Spring's) read a bare `off` as false, and a tree gives it as text
                if (text.equalsIgnoreCase("off") || text.equalsIgnoreCase("none") || text.equalsIgnoreCase("false")) {
                    return new Specs.RealertSpec(pointer, true, null, null, null);
                }
                if (text.isEmpty()) {
                    return null;
                }
                Optional<Duration> period = text.equals("0") ? Optional.of(Duration.ZERO) : Durations.parse(text);
                if (period.isEmpty()) {
                    problems(ctxt).add(pointer, Problems.redact(text) + " is not a realert setting: write off, a "
                            + "period such as 1h, or {period: 30m, exponential: true, max-period: 8h}");
                    return null;
                }
                return new Specs.RealertSpec(pointer, false, period.get(), null, null);
            }
            problems(ctxt).add(pointer, "expected off, a period such as 1h, or {period: 30m, exponential: true, "
                    + "max-period: 8h}, found " + found(token));
            p.skipChildren();
            return null;
        }
    }

    /**
     * A plug-in section: a mapping with {@code type} and the plug-in's keys, or a bare type ({@code aggregator:
     * template}).
     */
    private static final class PluginReader extends StdDeserializer<Specs.PluginSpec> {

        PluginReader() {
            super(Specs.PluginSpec.class);
        }

        @Override
        public Specs.PluginSpec deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String pointer = YamlIndex.pointerOf(p);
            Problems problems = problems(ctxt);
            JsonToken token = p.currentToken();
            if (token == JsonToken.VALUE_STRING) {
                String type = p.getText().strip();
                return new Specs.PluginSpec(pointer, type.isEmpty() ? null : type, Map.of(),
                        Map.of("type", pointer));
            }
            if (token != JsonToken.START_OBJECT) {
                problems.add(pointer, "expected a mapping such as {type: …, key: value}, found " + found(token));
                p.skipChildren();
                return null;
            }
            Map<String, String> values = new LinkedHashMap<>();
            Map<String, String> pointers = new LinkedHashMap<>();
            String[] type = {null};
            readMapping(p, "", values, pointers, type, problems);
            return new Specs.PluginSpec(pointer, type[0], values, pointers);
        }

        /** Reads the mapping the parser is at the start of; nested keys are joined to {@code prefix} with dots. */
        private static void readMapping(JsonParser p, String prefix, Map<String, String> values,
                Map<String, String> pointers, String[] type, Problems problems) throws IOException {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = prefix + p.currentName();
                JsonToken token = p.nextToken();
                String pointer = YamlIndex.pointerOf(p);
                pointers.put(key, pointer);
                switch (token) {
                    case VALUE_NULL -> {
                        // an empty value is an unset key
                    }
                    case START_OBJECT -> readMapping(p, key + ".", values, pointers, type, problems);
                    case START_ARRAY -> {
                        List<String> items = new ArrayList<>();
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            if (p.currentToken().isScalarValue()) {
                                String item = p.getText();
                                if (item.contains(",")) {
                                    problems.add(YamlIndex.pointerOf(p), "a list item cannot hold a comma: the "
                                            + "plug-in receives the list as comma-separated text");
                                }
                                items.add(item);
                            } else {
                                problems.add(YamlIndex.pointerOf(p), "expected text in this list, found "
                                        + found(p.currentToken()));
                                p.skipChildren();
                            }
                        }
                        values.put(key, String.join(",", items));
                    }
                    default -> {
                        if (key.equals("type")) {
                            type[0] = p.getText().strip();
                        } else {
                            values.put(key, p.getText());
                        }
                    }
                }
            }
        }
    }
}

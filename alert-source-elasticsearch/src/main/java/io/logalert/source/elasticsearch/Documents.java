package io.logalert.source.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.logalert.LogEvent;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the fields of a document's {@code _source} leniently: a missing field, a number where text was expected, an
 * array or an object all give some text, so that no document is dropped for its shape.
 */
final class Documents {

    /** The message shown for a document that has none. */
    static final String NO_MESSAGE = "(no message)";

    /** The level shown for a document that has none (possible only when every level is read). */
    static final String NO_LEVEL = "(no level)";

    private Documents() {
    }

    /**
     * The value of {@code field} in {@code source} as text, or empty when it is missing, null or blank. A dotted
     * name is found both as a flat key ({@code "log.level": ...}) and as a path through objects
     * ({@code "log": {"level": ...}}).
     */
    static Optional<String> text(JsonNode source, String field) {
        JsonNode node = find(source, field);
        if (node == null) {
            return Optional.empty();
        }
        String text = asText(node);
        return text.isBlank() ? Optional.empty() : Optional.of(text);
    }

    /** An event of one document, its timestamp taken from the sort value the store indexed. */
    static LogEvent.Builder event(JsonNode source, SourceSettings.Fields fields) {
        return LogEvent.builder()
                .project(text(source, fields.project()).orElse(LogEvent.NO_PROJECT))
                .level(text(source, fields.level()).orElse(NO_LEVEL))
                .message(text(source, fields.message()).orElse(NO_MESSAGE))
                .thread(text(source, fields.thread()).orElse(""))
                .logger(text(source, fields.logger()).orElse(""))
                .stackTrace(text(source, fields.stackTrace()).orElse(""));
    }

    private static JsonNode find(JsonNode node, String path) {
        if (node == null || !node.isObject()) {
            return null;
        }
        JsonNode direct = node.get(path);
        if (direct != null && !direct.isNull()) {
            return direct;
        }
        // "a.b.c" may be stored as {"a": {"b.c": ..}}, {"a.b": {"c": ..}} or {"a": {"b": {"c": ..}}}
        int dot = path.indexOf('.');
        while (dot > 0) {
            JsonNode inner = node.get(path.substring(0, dot));
            JsonNode found = find(inner, path.substring(dot + 1));
            if (found != null) {
                return found;
            }
            dot = path.indexOf('.', dot + 1);
        }
        return null;
    }

    private static String asText(JsonNode node) {
        if (node.isNull() || node.isMissingNode()) {
            return "";
        }
        if (node.isValueNode()) {
            return node.asText();
        }
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            for (JsonNode element : node) {
                String part = asText(element);
                if (!part.isEmpty()) {
                    parts.add(part);
                }
            }
            return String.join("\n", parts);
        }
        return node.toString();
    }
}

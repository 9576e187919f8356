package io.logalert.source.elasticsearch;

import com.fasterxml.jackson.databind.JsonNode;
import io.logalert.LogEvent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the fields of a document's {@code _source} leniently: a missing field, a number where text was expected, an
 * array or an object all give some text, so that no document is dropped for its shape. Text is well-formed UTF-16:
 * a lone surrogate (JSON allows {@code "\ud800"}, and log shippers cut strings between the two halves of an emoji)
 * becomes U+FFFD, so that no sink meets a string it cannot encode.
 */
final class Documents {

    /** The message shown for a document that has none. */
    static final String NO_MESSAGE = "(no message)";

    /** The level shown for a document that has none (possible only when every level is read). */
    static final String NO_LEVEL = "(no level)";

    /** What a lone surrogate becomes. */
    static final char REPLACEMENT = '\uFFFD';

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
        String text = wellFormed(asText(node));
        return text.isBlank() ? Optional.empty() : Optional.of(text);
    }

    /**
     * {@code text} with every lone surrogate, a high one not followed by a low one or a low one not preceded by a
     * high one, replaced by U+FFFD; {@code text} itself when it has none. Such a string cannot be encoded as UTF-8:
     * a JSON writer fails on it or writes a {@code ?}, and a chat robot may reject the whole message.
     */
    static String wellFormed(String text) {
        int first = firstLoneSurrogate(text);
        if (first < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length()).append(text, 0, first);
        for (int i = first; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                out.append(c).append(text.charAt(++i));
            } else {
                out.append(Character.isSurrogate(c) ? REPLACEMENT : c);
            }
        }
        return out.toString();
    }

    /** The index of the first lone surrogate in {@code text}, or -1. */
    private static int firstLoneSurrogate(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!Character.isSurrogate(c)) {
                continue;
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
                continue;
            }
            return i;
        }
        return -1;
    }

    /**
     * Whether {@code source} holds {@code field} at all, blank or not: a document with an empty message holds the
     * message field (and shows {@value #NO_MESSAGE}); one without the key, or with a null, does not.
     */
    static boolean holds(JsonNode source, String field) {
        return find(source, field) != null;
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

    /**
     * Counts, over one read, the documents and how many of them hold each field that some document must hold
     * ({@link SourceSettings#heldFields()}), so that a wrong field name, held by none, is told apart from documents
     * that lack a value, which show placeholders. Holds counts only, never documents. Not thread-safe: one per read.
     */
    static final class Presence {

        private final Map<String, String> fields;
        private final Map<String, Long> held = new LinkedHashMap<>();
        private long documents;

        /** @param fields key ({@code field.message}) to field name ({@code msg}) */
        Presence(Map<String, String> fields) {
            this.fields = fields;
            fields.keySet().forEach(key -> held.put(key, 0L));
        }

        /** One document, as streamed. */
        void document(JsonNode source) {
            documents++;
            fields.forEach((key, field) -> {
                if (holds(source, field)) {
                    held.merge(key, 1L, Long::sum);
                }
            });
        }

        /**
         * One aggregation bucket of {@code documents} documents, which hold the fields of {@code keyed} (known for
         * the whole bucket from its key) or not. A bucket tells nothing of the other fields: {@link #counted} gives
         * the store's count of those.
         */
        void bucket(long documents, Map<String, Boolean> keyed) {
            this.documents += documents;
            keyed.forEach((key, holds) -> {
                if (holds && fields.containsKey(key)) {
                    held.merge(key, documents, Long::sum);
                }
            });
        }

        /**
         * How many documents hold {@code key}'s field, as the store counted them ({@code exists}): for the fields
         * that aggregation buckets do not tell.
         */
        void counted(String key, long holding) {
            held.merge(key, holding, Long::sum);
        }

        /** The documents counted. */
        long documents() {
            return documents;
        }

        /** The keys whose field none of the counted documents holds; empty when no document was counted. */
        List<String> heldByNone() {
            if (documents == 0) {
                return List.of();
            }
            return held.entrySet().stream().filter(e -> e.getValue() == 0).map(Map.Entry::getKey).toList();
        }

        /** The field name of {@code key}. */
        String field(String key) {
            return fields.get(key);
        }
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

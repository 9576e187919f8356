package io.logalert.examples;

import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.Silenced;
import io.logalert.TimeWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes a {@link Digest} as the JSON document {@link JsonWebhookSink} posts. Written by hand with no library, so that
 * a sink built on this example needs only alert-core and the JDK.
 *
 * <pre>{@code
 * {"version":1, "id":"shop-errors/checkout/1772359770000-1772359830000", "pipeline":"shop-errors",
 *  "project":"checkout", "window":{"from":"2026-03-01T10:09:30Z","to":"2026-03-01T10:10:30Z"}, "catchUp":null,
 *  "late":false, "events":14, "groupCount":2,
 *  "groups":[{"key":"…", "template":"order <*> failed", "sample":"order 8812 failed", "count":12,
 *             "firstSeen":"…", "lastSeen":"…", "thread":"http-1", "mark":"new", "heldBack":null}, …],
 *  "omittedGroups":0, "omittedEvents":0,
 *  "silenced":[{"silence":"deploy-4.2", "reason":"deploying 4.2", "events":412, "from":"…", "until":"…"}],
 *  "mentions":["13800000000"]}
 * }</pre>
 *
 * <p>Instants are ISO-8601 in UTC; absent values are {@code null}, never left out, so a receiver sees every field.
 */
final class DigestJson {

    /** The document's schema version: a receiver can tell documents of a later, changed layout. */
    static final int VERSION = 1;

    /**
     * The longest template or sample message sent, in characters; longer ones are cut and end with {@code …}. A
     * stack trace of a megabyte must not make every delivery of its digest fail on the receiver's size limit.
     */
    static final int MAX_TEXT = 8_000;

    private DigestJson() {
    }

    /** The JSON document of {@code digest}. */
    static String of(Digest digest) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("version", VERSION);
        // the id is the same for the same pipeline, project and window: a receiver can drop a repeated delivery
        doc.put("id", digest.id());
        doc.put("pipeline", digest.pipelineId());
        doc.put("project", digest.project());
        doc.put("window", window(digest.window()));
        doc.put("catchUp", digest.catchUp().map(DigestJson::window).orElse(null));
        // a late digest counts records of that earlier window indexed after it was read: only those
        doc.put("late", digest.late());
        doc.put("events", digest.totalEvents());
        doc.put("groupCount", digest.totalGroups());
        List<Object> groups = new ArrayList<>();
        for (ErrorGroup group : digest.groups()) {
            groups.add(group(group));
        }
        doc.put("groups", groups);
        doc.put("omittedGroups", digest.omittedGroups());
        doc.put("omittedEvents", digest.omittedEvents());
        List<Object> silenced = new ArrayList<>();
        for (Silenced tally : digest.silenced()) {
            Map<String, Object> note = new LinkedHashMap<>();
            note.put("silence", tally.silenceId());
            note.put("reason", tally.reason());
            note.put("events", tally.events());
            note.put("from", tally.from());
            note.put("until", tally.until());
            silenced.add(note);
        }
        doc.put("silenced", silenced);
        doc.put("mentions", digest.mentions());
        StringBuilder out = new StringBuilder(256 + 256 * groups.size());
        write(out, doc);
        return out.toString();
    }

    private static Map<String, Object> group(ErrorGroup group) {
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("key", group.key());
        g.put("template", cut(group.template()));
        g.put("sample", cut(group.sampleMessage()));
        g.put("count", group.count());
        g.put("firstSeen", group.firstSeen());
        g.put("lastSeen", group.lastSeen());
        g.put("thread", group.sampleThread());
        g.put("mark", group.mark().name().toLowerCase(Locale.ROOT));
        g.put("heldBack", group.heldBack().map(held -> {
            Map<String, Object> h = new LinkedHashMap<>();
            h.put("count", held.count());
            h.put("since", held.since());
            return h;
        }).orElse(null));
        return g;
    }

    private static Map<String, Object> window(TimeWindow window) {
        Map<String, Object> w = new LinkedHashMap<>();
        w.put("from", window.from());
        w.put("to", window.to());
        return w;
    }

    static String cut(String text) {
        if (text.length() <= MAX_TEXT) {
            return text;
        }
        int end = MAX_TEXT;
        // never split a surrogate pair: half a character is not valid UTF-8
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
    }

    private static void write(StringBuilder out, Object value) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Instant instant) {
            string(out, instant.toString());
        } else if (value instanceof Number || value instanceof Boolean) {
            out.append(value);
        } else if (value instanceof Map<?, ?> map) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                if (!first) {
                    out.append(',');
                }
                first = false;
                string(out, (String) entry.getKey());
                out.append(':');
                write(out, entry.getValue());
            }
            out.append('}');
        } else if (value instanceof List<?> list) {
            out.append('[');
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    out.append(',');
                }
                write(out, list.get(i));
            }
            out.append(']');
        } else {
            throw new IllegalArgumentException("no JSON form for " + value.getClass().getName());
        }
    }

    /** A JSON string: quotes, backslashes and control characters escaped (RFC 8259, section 7). */
    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    // U+2028/2029 are valid JSON but end a line in JavaScript: escaped for receivers that eval
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}

package io.logalert.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where each key and list item of a YAML document is, by JSON pointer ({@code /pipelines/0/interval}), read in a
 * pass of its own over the document's tokens. Binding keeps no positions, and problems found after binding (by a
 * plug-in, by the pipeline builder) are about keys; this index gives each of them its line and column.
 */
public final class YamlIndex {

    /**
     * A 1-based line and column.
     *
     * @param line   the line
     * @param column the column
     */
    public record Position(int line, int column) {
    }

    /** One open mapping or list: its current key or item index, and the keys a mapping has had. */
    private record Frame(boolean list, int[] index, String[] key, Set<String> keys) {
    }

    private final Map<String, Position> positions;

    private YamlIndex(Map<String, Position> positions) {
        this.positions = Map.copyOf(positions);
    }

    static YamlIndex empty() {
        return new YamlIndex(Map.of());
    }

    /**
     * Indexes {@code yaml}; duplicate keys are added to {@code problems}.
     *
     * @throws IOException when the text is not YAML (the exception carries the location)
     */
    static YamlIndex of(String yaml, YAMLFactory factory, Problems problems) throws IOException {
        Map<String, Position> positions = new HashMap<>();
        Deque<Frame> stack = new ArrayDeque<>();
        try (JsonParser p = factory.createParser(new StringReader(yaml))) {
            JsonToken token;
            while ((token = p.nextToken()) != null) {
                Position at = position(p.currentTokenLocation());
                if (token == JsonToken.FIELD_NAME) {
                    Frame top = stack.peek();
                    top.key()[0] = p.currentName();
                    String pointer = pointer(stack);
                    if (!top.keys().add(p.currentName())) {
                        problems.add(pointer, "duplicate key `" + p.currentName() + "`: YAML keeps only the last one, "
                                + "so one of them is ignored; remove one");
                    }
                    positions.put(pointer, at);
                    continue;
                }
                if (token == JsonToken.END_OBJECT || token == JsonToken.END_ARRAY) {
                    stack.pop();
                    continue;
                }
                Frame top = stack.peek();
                if (top != null && top.list()) {
                    top.index()[0]++;
                    positions.putIfAbsent(pointer(stack), at);
                } else if (top == null) {
                    positions.putIfAbsent("", at);
                }
                if (token == JsonToken.START_OBJECT) {
                    stack.push(new Frame(false, new int[] {-1}, new String[1], new HashSet<>()));
                } else if (token == JsonToken.START_ARRAY) {
                    stack.push(new Frame(true, new int[] {-1}, new String[1], Set.of()));
                }
            }
        }
        return new YamlIndex(positions);
    }

    private static String pointer(Deque<Frame> stack) {
        List<String> segments = new ArrayList<>();
        // the deque iterates from the top; a pointer starts at the root
        stack.descendingIterator().forEachRemaining(frame -> segments.add(frame.list()
                ? Integer.toString(frame.index()[0]) : frame.key()[0]));
        return join(segments);
    }

    /** Where {@code pointer} is, or the nearest place above it that is in the document. */
    Optional<Position> find(String pointer) {
        String p = pointer;
        while (true) {
            Position at = positions.get(p);
            if (at != null) {
                return Optional.of(at);
            }
            if (p.isEmpty()) {
                return Optional.empty();
            }
            p = p.substring(0, p.lastIndexOf('/'));
        }
    }

    /** Whether {@code pointer} names a key or item written in the document. */
    boolean contains(String pointer) {
        return positions.containsKey(pointer);
    }

    /** The JSON pointer of where {@code parser} is: the key of the value it is on, or the item's index. */
    static String pointerOf(JsonParser parser) {
        List<String> segments = new ArrayList<>();
        for (JsonStreamContext c = parser.getParsingContext(); c != null; c = c.getParent()) {
            if (c.inObject() && c.getCurrentName() != null) {
                segments.add(0, c.getCurrentName());
            } else if (c.inArray() && c.getEntryCount() > 0) {
                segments.add(0, Integer.toString(c.getCurrentIndex()));
            }
        }
        return join(segments);
    }

    /**
     * The JSON pointer of the key {@code name} whose value {@code parser} is on (or inside): the nearest mapping, from
     * where the parser is outwards, whose current key is {@code name}.
     */
    static String pointerOfKey(JsonParser parser, String name) {
        for (JsonStreamContext c = parser.getParsingContext(); c != null; c = c.getParent()) {
            if (c.inObject() && name.equals(c.getCurrentName())) {
                List<String> segments = new ArrayList<>();
                for (JsonStreamContext up = c; up != null; up = up.getParent()) {
                    if (up.inObject() && up.getCurrentName() != null) {
                        segments.add(0, up.getCurrentName());
                    } else if (up.inArray() && up.getEntryCount() > 0) {
                        segments.add(0, Integer.toString(up.getCurrentIndex()));
                    }
                }
                return join(segments);
            }
        }
        return pointerOf(parser);
    }

    /** {@code /pipelines/0/source/hosts} as a person reads it: {@code pipelines[0].source.hosts}. */
    static String display(String pointer) {
        StringBuilder text = new StringBuilder();
        for (String segment : pointer.isEmpty() ? new String[0] : pointer.substring(1).split("/", -1)) {
            String name = segment.replace("~1", "/").replace("~0", "~");
            if (!name.isEmpty() && name.chars().allMatch(Character::isDigit)) {
                text.append('[').append(name).append(']');
            } else {
                text.append(text.length() == 0 ? "" : ".").append(name);
            }
        }
        return text.toString();
    }

    static String child(String pointer, String key) {
        return pointer + "/" + key.replace("~", "~0").replace("/", "~1");
    }

    static String child(String pointer, int index) {
        return pointer + "/" + index;
    }

    private static String join(List<String> segments) {
        StringBuilder pointer = new StringBuilder();
        for (String segment : segments) {
            pointer.append('/').append(segment == null ? "" : segment.replace("~", "~0").replace("/", "~1"));
        }
        return pointer.toString();
    }

    static Position position(JsonLocation location) {
        return new Position(location.getLineNr(), location.getColumnNr());
    }
}

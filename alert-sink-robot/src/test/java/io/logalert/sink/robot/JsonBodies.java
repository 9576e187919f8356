package io.logalert.sink.robot;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/** The simplest body a platform can have, {@code {"text": …}}, for tests of the renderer. */
final class JsonBodies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonBodies() {
    }

    /** {@code fields} as a JSON object. */
    static byte[] write(Map<String, String> fields) {
        try {
            return JSON.writeValueAsBytes(fields);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The {@code text} field of {@code body}. */
    static String text(byte[] body) {
        try {
            return JSON.readTree(body).path("text").asText();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package io.logalert.sink.robot;

import java.util.List;

/**
 * One request body a robot sink will send, and the digests it speaks for.
 *
 * @param digests indices, in the call's list, of the digests this message carries (several when packed)
 * @param title   the message title, for logs (free of secrets; may hold project names)
 * @param body    the request body, UTF-8, exactly as measured against the platform's byte limit
 */
public record OutgoingMessage(List<Integer> digests, String title, byte[] body) {

    /** Copies the indices. */
    public OutgoingMessage {
        digests = List.copyOf(digests);
    }
}

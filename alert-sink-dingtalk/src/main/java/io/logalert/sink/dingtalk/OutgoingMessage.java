package io.logalert.sink.dingtalk;

import java.util.List;

/**
 * One request body the sink will send, and the digests it speaks for.
 *
 * @param digests indices, in the call's list, of the digests this message carries (several when packed)
 * @param title   the message title, for logs (free of secrets; may hold project names)
 * @param body    the JSON body, UTF-8
 * @param part    1-based number of this part of a split digest; 1 when not split
 * @param parts   how many parts the digest was split into; 1 when not split
 */
record OutgoingMessage(List<Integer> digests, String title, byte[] body, int part, int parts) {

    OutgoingMessage {
        digests = List.copyOf(digests);
    }
}

package io.logalert.sink.dingtalk;

import java.util.List;

/**
 * One request body the sink will send, and the digests it speaks for.
 *
 * @param digests indices, in the call's list, of the digests this message carries (several when packed)
 * @param title   the message title, for logs (free of secrets; may hold project names)
 * @param body    the JSON body, UTF-8
 */
record OutgoingMessage(List<Integer> digests, String title, byte[] body) {

    OutgoingMessage {
        digests = List.copyOf(digests);
    }
}

package io.logalert.sink.robot;

import java.util.Objects;
import java.util.Optional;

/**
 * What one reply of a robot means: the action to take, the code the platform answered (for metrics), and a reason a
 * user can act on (what the platform said, what it means, and what to set), free of secrets.
 *
 * @param action what the sink does about it
 * @param code   the platform's answer code ({@code "0"}, {@code "45009"}), or the HTTP status where the platform gave
 *               no code of its own; empty when no reply could be read at all
 * @param reason the reason shown in results and logs; empty for {@link Action#DELIVERED}
 */
public record Verdict(Action action, Optional<String> code, String reason) {

    /** Checks the parts. */
    public Verdict {
        Objects.requireNonNull(action, "action");
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(reason, "reason");
    }

    /** The message was accepted; the platform answered {@code code}. */
    public static Verdict delivered(String code) {
        return new Verdict(Action.DELIVERED, Optional.of(code), "");
    }

    /** A passing failure with no code to report (a reply that is not JSON, a dropped connection). */
    public static Verdict retry(String reason) {
        return new Verdict(Action.RETRY, Optional.empty(), reason);
    }
}

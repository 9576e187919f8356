package io.logalert.sink.robot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A platform's answer codes: what each means in words, what the sink does about it ({@link Action}), and what the
 * user can do about a refusal. Also reads a reply the way chat robots answer: HTTP 200 with a JSON object holding a
 * code ({@code errcode}, {@code code}) and a message; an HTTP 5xx or 429 is a passing failure, any other status a
 * wrong address.
 *
 * <pre>{@code
 * ErrorTable table = ErrorTable.builder("WeCom")
 *         .field("errcode", "errmsg")
 *         .code(0, Action.DELIVERED, "ok")
 *         .code(45009, Action.THROTTLED, "sending too fast")
 *         .code(93000, Action.ROBOT_REJECTED, "invalid webhook key", "check 'webhook' against the robot's settings")
 *         .otherwise(Action.MESSAGE_REJECTED, "unknown error code")
 *         .httpAdvice("check 'webhook'")
 *         .build();
 * }</pre>
 *
 * <p>Immutable and thread-safe.
 */
public final class ErrorTable {

    private static final ObjectMapper JSON = new ObjectMapper();

    private record Entry(Action action, String meaning, UnaryOperator<String> hint) {
    }

    private final String platform;
    private final List<Map.Entry<String, String>> fields;
    private final Map<Integer, Entry> entries;
    private final Map<Integer, List<Map.Entry<String, Entry>>> byMessage;
    private final Entry otherwise;
    private final String httpAdvice;
    private final boolean codesOnAnyStatus;

    private ErrorTable(Builder b) {
        this.platform = b.platform;
        this.fields = List.copyOf(b.fields);
        this.entries = Map.copyOf(b.entries);
        Map<Integer, List<Map.Entry<String, Entry>>> byMessage = new HashMap<>();
        b.byMessage.forEach((code, entries) -> byMessage.put(code, List.copyOf(entries)));
        this.byMessage = Map.copyOf(byMessage);
        this.otherwise = b.otherwise;
        this.httpAdvice = b.httpAdvice;
        this.codesOnAnyStatus = b.codesOnAnyStatus;
    }

    /** Starts the table of {@code platform}, as its name reads in reasons ("DingTalk"). */
    public static Builder builder(String platform) {
        return new Builder(platform);
    }

    /** What the sink does about {@code code}. */
    public Action action(int code) {
        return entry(code).action;
    }

    /** What {@code code} means, in words. */
    public String meaning(int code) {
        return entry(code).meaning;
    }

    /** What the user can do about {@code code}, given the platform's own message; empty when nothing. */
    public String hint(int code, String message) {
        return entry(code).hint.apply(message);
    }

    private Entry entry(int code) {
        return entries.getOrDefault(code, otherwise);
    }

    /** The entry of {@code code} for a reply saying {@code message}: one of its message's own, if one matches. */
    private Entry entry(int code, String message) {
        String lower = message.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, Entry> byMessage : byMessage.getOrDefault(code, List.of())) {
            if (lower.contains(byMessage.getKey())) {
                return byMessage.getValue();
            }
        }
        return entry(code);
    }

    /**
     * The verdict on {@code code} answered through field {@code field}, with the platform's {@code message} (already
     * scrubbed of secrets): "DingTalk errcode 310000 (security check failed): keywords not in content — set ...".
     */
    public Verdict verdict(String field, int code, String message) {
        Entry entry = entry(code, message);
        String reason = platform + " " + field + " " + code + " (" + entry.meaning + ")"
                + (message.isBlank() ? "" : ": " + message);
        String hint = entry.hint.apply(message);
        if (!hint.isEmpty()) {
            reason += " — " + hint;
        }
        Action action = entry.action;
        return new Verdict(action, Optional.of(Integer.toString(code)), action == Action.DELIVERED ? "" : reason);
    }

    /**
     * Reads one reply: HTTP 5xx and 429 are passing failures; another status but 200 means the address is wrong; a
     * 200 is read as a JSON object with one of the table's code fields, whose code decides. A body that is not JSON
     * (a proxy's HTML page) or lacks a code is a passing failure too, not a verdict of the robot. With
     * {@link Builder#codesOnAnyStatus()}, a code in a reply of another status decides as well.
     *
     * @param host     the host (and port) the request went to, for reasons
     * @param address  the redacted address, for the reason of a wrong one
     * @param redactor scrubs the platform's message, which may quote the request
     */
    public Verdict interpret(int status, String body, String host, String address, Redactor redactor) {
        if (codesOnAnyStatus && status != 200) {
            Optional<Verdict> coded = coded(body, redactor);
            if (coded.isPresent()) {
                return coded.get();
            }
        }
        if (status >= 500 || status == 429) {
            return new Verdict(Action.RETRY, Optional.of(Integer.toString(status)), "HTTP " + status + " from " + host);
        }
        if (status != 200) {
            return new Verdict(Action.ROBOT_REJECTED, Optional.of(Integer.toString(status)),
                    "HTTP " + status + " from " + address + "; " + httpAdvice);
        }
        JsonNode reply;
        try {
            reply = JSON.readTree(body);
        } catch (IOException e) {
            // a proxy or gateway answering in HTML is passing trouble, not a verdict of the robot
            return Verdict.retry("a reply that is not JSON from " + host);
        }
        return coded(reply, redactor)
                .orElseGet(() -> Verdict.retry("a reply without " + fields.get(0).getKey() + " from " + host));
    }

    /** The verdict on the code {@code body} holds, when it is JSON with one of the table's fields. */
    private Optional<Verdict> coded(String body, Redactor redactor) {
        try {
            return coded(JSON.readTree(body), redactor);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private Optional<Verdict> coded(JsonNode reply, Redactor redactor) {
        for (Map.Entry<String, String> field : fields) {
            JsonNode code = reply == null ? null : reply.get(field.getKey());
            if (code != null && code.canConvertToInt()) {
                return Optional.of(verdict(field.getKey(), code.asInt(),
                        redactor.scrub(reply.path(field.getValue()).asText(""))));
            }
        }
        return Optional.empty();
    }

    /** Builds an {@link ErrorTable}. Not thread-safe. */
    public static final class Builder {

        private final String platform;
        private final List<Map.Entry<String, String>> fields = new ArrayList<>();
        private final Map<Integer, Entry> entries = new HashMap<>();
        private final Map<Integer, List<Map.Entry<String, Entry>>> byMessage = new HashMap<>();
        private Entry otherwise = new Entry(Action.MESSAGE_REJECTED, "unknown error code", message -> "");
        private String httpAdvice = "check the robot's address";
        private boolean codesOnAnyStatus;

        private Builder(String platform) {
            this.platform = Objects.requireNonNull(platform, "platform");
        }

        /**
         * A field of the reply that holds the code, and the field beside it that holds the message. Several may be
         * given, for a platform that answers in more than one shape; the first present decides.
         */
        public Builder field(String codeField, String messageField) {
            fields.add(Map.entry(Objects.requireNonNull(codeField, "codeField"),
                    Objects.requireNonNull(messageField, "messageField")));
            return this;
        }

        /** {@code codes} mean {@code meaning}; the sink does {@code action}; no advice. */
        public Builder code(Action action, String meaning, int... codes) {
            for (int code : codes) {
                code(code, action, meaning, message -> "");
            }
            return this;
        }

        /** {@code code} means {@code meaning}; the sink does {@code action}; no advice. */
        public Builder code(int code, Action action, String meaning) {
            return code(code, action, meaning, message -> "");
        }

        /** {@code code} means {@code meaning}; the sink does {@code action}; the user is told {@code hint}. */
        public Builder code(int code, Action action, String meaning, String hint) {
            Objects.requireNonNull(hint, "hint");
            return code(code, action, meaning, message -> hint);
        }

        /**
         * {@code code} means {@code meaning}; the sink does {@code action}; the advice depends on the platform's
         * message (one code for several security settings, say) and is empty when there is none.
         */
        public Builder code(int code, Action action, String meaning, UnaryOperator<String> hint) {
            Entry entry = new Entry(Objects.requireNonNull(action, "action"), Objects.requireNonNull(meaning,
                    "meaning"), Objects.requireNonNull(hint, "hint"));
            if (entries.putIfAbsent(code, entry) != null) {
                throw new IllegalArgumentException(platform + " code " + code + " is in the table twice");
            }
            return this;
        }

        /**
         * {@code code} means {@code meaning} and the sink does {@code action} when the platform's message holds
         * {@code fragment} (in any case), for a code that stands for several errors (WeCom's 40058 is "too long"
         * only when it says "exceed max length"); otherwise the code's own entry decides. Checked in the order given.
         */
        public Builder codeWhenMessageHas(int code, String fragment, Action action, String meaning) {
            Entry entry = new Entry(Objects.requireNonNull(action, "action"), Objects.requireNonNull(meaning,
                    "meaning"), message -> "");
            byMessage.computeIfAbsent(code, c -> new ArrayList<>())
                    .add(Map.entry(fragment.toLowerCase(Locale.ROOT), entry));
            return this;
        }

        /** What an unknown code means and does. Default: "unknown error code", {@link Action#MESSAGE_REJECTED}. */
        public Builder otherwise(Action action, String meaning) {
            this.otherwise = new Entry(Objects.requireNonNull(action, "action"), Objects.requireNonNull(meaning,
                    "meaning"), message -> "");
            return this;
        }

        /** The advice after an HTTP status that means a wrong address. Default: "check the robot's address". */
        public Builder httpAdvice(String httpAdvice) {
            this.httpAdvice = Objects.requireNonNull(httpAdvice, "httpAdvice");
            return this;
        }

        /**
         * Reads the code of a reply with any HTTP status, not only 200, when it holds one: for a platform that
         * answers some codes with another status (Feishu: HTTP 400 with code 9499 when a bot sends too fast). A
         * reply without a code is still judged by its status. Default: codes are read from HTTP 200 only.
         */
        public Builder codesOnAnyStatus() {
            this.codesOnAnyStatus = true;
            return this;
        }

        /** Builds the table; at least one {@link #field} must be given. */
        public ErrorTable build() {
            if (fields.isEmpty()) {
                throw new IllegalStateException("an error table needs the reply field that holds the code");
            }
            return new ErrorTable(this);
        }
    }
}

package io.logalert.sink.webhook;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.logalert.sink.robot.Action;
import io.logalert.sink.robot.Redactor;
import io.logalert.sink.robot.Verdict;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.BitSet;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * When a receiver's answer means "delivered": an HTTP status in a set (default any 2xx) and, optionally, a field of
 * the JSON answer holding an expected value ({@code code} = {@code 0}), as chat platforms answer refusals with HTTP
 * 200 and a code. Every other answer is classified for the robot core: too fast, passing trouble, too big, a wrong
 * setting, or a refused message.
 *
 * <p>Immutable and thread-safe.
 */
final class SuccessCriterion {

    /** The default status set. */
    static final String DEFAULT_STATUS = "200-299";
    /** How much of an answer a reason quotes, in characters. */
    static final int EXCERPT_CHARS = 200;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern ITEM = Pattern.compile("(\\d{3})(?:\\s*-\\s*(\\d{3}))?");
    private static final Pattern PATH = Pattern.compile("[^.\\s]+(\\.[^.\\s]+)*");

    private final String statusSpec;
    private final BitSet statuses;
    private final Optional<String> field;
    private final JsonPointer pointer;
    private final String expected;

    private SuccessCriterion(String statusSpec, BitSet statuses, Optional<String> field, String expected) {
        this.statusSpec = statusSpec;
        this.statuses = statuses;
        this.field = field;
        this.pointer = field.map(SuccessCriterion::pointer).orElse(null);
        this.expected = expected;
    }

    /**
     * The criterion of {@code status} (e.g. {@code 200-299}, {@code 200,202}) and an optional {@code field} (a
     * dotted path such as {@code result.code}) that must hold {@code value}; or null, with the problems added in
     * config-key terms.
     */
    static SuccessCriterion of(String status, Optional<String> field, Optional<String> value, List<String> problems) {
        int before = problems.size();
        BitSet statuses = new BitSet(600);
        for (String item : status.split(",")) {
            Matcher m = ITEM.matcher(item.strip());
            int from = m.matches() ? Integer.parseInt(m.group(1)) : -1;
            int to = m.matches() && m.group(2) != null ? Integer.parseInt(m.group(2)) : from;
            if (from < 100 || to > 599 || to < from) {
                problems.add("'success.status' must be HTTP statuses from 100 to 599, one or a range each, separated "
                        + "by commas, such as 200-299 or 200,202; '" + item.strip() + "' is not");
            } else {
                statuses.set(from, to + 1);
            }
        }
        if (field.isPresent() != value.isPresent()) {
            problems.add("'success.field' and 'success.value' go together: the field of the JSON answer and the value "
                    + "it holds on success, such as field: code, value: 0");
        }
        if (field.isPresent() && !PATH.matcher(field.get()).matches()) {
            problems.add("'success.field' must be a dotted path into the JSON answer, such as code or result.ok, "
                    + "without spaces or empty parts");
        }
        return problems.size() > before ? null : new SuccessCriterion(status.strip(), statuses, field,
                value.map(String::strip).orElse(""));
    }

    private static JsonPointer pointer(String path) {
        StringBuilder pointer = new StringBuilder();
        for (String part : path.split("\\.")) {
            // JSON Pointer's own escapes, so that a field name with "/" or "~" is read as written
            pointer.append('/').append(part.replace("~", "~0").replace("/", "~1"));
        }
        return JsonPointer.compile(pointer.toString());
    }

    /**
     * What the answer {@code status} with {@code body} means.
     *
     * @param host     the receiver's host (and port), for reasons
     * @param address  its redacted address
     * @param redactor scrubs the answer, which may echo a header or the URL
     */
    Verdict interpret(int status, String body, String host, String address, Redactor redactor) {
        Optional<String> code = Optional.of(Integer.toString(status));
        String excerpt = excerpt(body, redactor);
        if (statuses.get(status)) {
            if (field.isEmpty()) {
                return new Verdict(Action.DELIVERED, code, "");
            }
            JsonNode answer;
            try {
                answer = JSON.readTree(body);
            } catch (IOException e) {
                // a proxy's or gateway's page: passing trouble, as with every robot
                return new Verdict(Action.RETRY, code, "HTTP " + status + " from " + host + " with an answer that is "
                        + "not JSON, so 'success.field' " + field.get() + " cannot be read" + excerpt);
            }
            JsonNode actual = answer == null ? null : answer.at(pointer);
            if (actual == null || actual.isMissingNode() || actual.isContainerNode()) {
                return new Verdict(Action.RETRY, code, "HTTP " + status + " from " + host + " with an answer without "
                        + "'success.field' " + field.get() + excerpt);
            }
            if (matches(actual)) {
                return new Verdict(Action.DELIVERED, code, "");
            }
            return new Verdict(Action.MESSAGE_REJECTED, code, "the webhook at " + host + " answered HTTP " + status
                    + " with " + field.get() + " = " + shown(actual, redactor) + ", not " + expected
                    + " ('success.value')" + excerpt);
        }
        if (status == 429) {
            return new Verdict(Action.THROTTLED, code, "HTTP 429 (too many requests) from " + host + excerpt
                    + " — lower 'messages-per-minute'");
        }
        if (status >= 500 || status == 408) {
            return new Verdict(Action.RETRY, code, "HTTP " + status + " from " + host + excerpt);
        }
        if (status == 413) {
            return new Verdict(Action.TOO_LONG, code, "HTTP 413 (payload too large) from " + host + excerpt
                    + " — lower 'max-body-bytes'");
        }
        if (status >= 300 && status < 400) {
            return new Verdict(Action.ROBOT_REJECTED, code, "HTTP " + status + " from " + address + " (a redirect, "
                    + "not followed: it would take the headers elsewhere) — set 'webhook' to where it points now");
        }
        if (status == 401 || status == 403 || status == 404 || status == 405 || status == 410) {
            return new Verdict(Action.ROBOT_REJECTED, code, "HTTP " + status + " from " + address + excerpt
                    + " — check 'webhook', 'headers' and 'signature'");
        }
        return new Verdict(Action.MESSAGE_REJECTED, code, "the webhook at " + host + " refused the message: HTTP "
                + status + (status >= 200 && status < 300 ? ", not in 'success.status' " + statusSpec : "") + excerpt);
    }

    private boolean matches(JsonNode actual) {
        if (actual.isNumber()) {
            try {
                return actual.decimalValue().compareTo(new BigDecimal(expected)) == 0;
            } catch (NumberFormatException e) {
                return false;
            }
        }
        return !actual.isNull() && actual.asText().equals(expected)
                || actual.isNull() && expected.equals("null");
    }

    private static String shown(JsonNode actual, Redactor redactor) {
        String text = redactor.scrub(actual.isTextual() ? "\"" + actual.textValue() + "\"" : actual.toString());
        return text.length() > 40 ? text.substring(0, 40) + "…" : text;
    }

    /** ": " and the start of the answer on one line, secrets masked; empty for an empty answer. */
    static String excerpt(String body, Redactor redactor) {
        // masked before it is cut, so that a secret cut in half cannot slip through
        String text = redactor.scrub(body).replaceAll("\\s+", " ").strip();
        if (text.isEmpty()) {
            return "";
        }
        return ": " + (text.length() > EXCERPT_CHARS ? text.substring(0, EXCERPT_CHARS) + "…" : text);
    }
}

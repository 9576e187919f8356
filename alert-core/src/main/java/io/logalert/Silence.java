package io.logalert;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Holds back the records of a project, of one kind, or whose message matches, until it expires. What it holds back
 * is counted, never dropped: the {@link RunReport} says how many, and the project's next digest after the silence
 * ends says "412 held by a silence 14:00–16:00".
 *
 * @param id        a unique name, used to remove it
 * @param scope     what {@code match} is compared with
 * @param match     a project name, a group key, a substring or a regular expression, as {@code scope} says
 * @param createdAt when it was set
 * @param expiresAt when it stops holding records back; after {@code createdAt}
 * @param reason    why it was set, shown with what it held
 * @param createdBy who set it
 */
public record Silence(String id, Scope scope, String match, Instant createdAt, Instant expiresAt, String reason,
        String createdBy) {

    /** What a silence compares its {@code match} with. */
    public enum Scope {
        /** The record's project, exactly. */
        PROJECT,
        /** The group key of the record's kind, exactly. */
        KIND,
        /** The kind's template or sample message contains {@code match}. */
        MESSAGE_CONTAINS,
        /** The kind's template or sample message has a match of the regular expression {@code match}. */
        MESSAGE_REGEX
    }

    /**
     * Validates the silence, naming every problem.
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    public Silence {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(expiresAt, "expiresAt");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(createdBy, "createdBy");
        List<String> problems = new ArrayList<>();
        if (id.isBlank()) {
            problems.add("id must not be blank");
        }
        if (match.isEmpty()) {
            problems.add("match must not be empty: it would silence everything; use scope PROJECT per project");
        }
        if (!expiresAt.isAfter(createdAt)) {
            problems.add("expiresAt (" + expiresAt + ") must be after createdAt (" + createdAt + ")");
        }
        if (reason.isBlank()) {
            problems.add("reason must not be blank: it is shown with what the silence held back");
        }
        if (scope == Scope.MESSAGE_REGEX) {
            try {
                Pattern.compile(match);
            } catch (PatternSyntaxException e) {
                problems.add("match is not a regular expression: " + e.getDescription() + " near index "
                        + e.getIndex());
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("invalid silence '" + id + "': " + String.join("; ", problems));
        }
    }

    /** Whether the silence holds records back at {@code now}. */
    public boolean isActive(Instant now) {
        return !now.isBefore(createdAt) && now.isBefore(expiresAt);
    }

    /** Whether the silence covers {@code group}. */
    public boolean covers(ErrorGroup group) {
        return matcher().test(group);
    }

    /** {@link #covers(ErrorGroup)} with its regular expression compiled once, for testing many groups. */
    Predicate<ErrorGroup> matcher() {
        return switch (scope) {
            case PROJECT -> group -> group.project().equals(match);
            case KIND -> group -> group.key().equals(match);
            case MESSAGE_CONTAINS -> group -> group.template().contains(match)
                    || group.sampleMessage().contains(match);
            case MESSAGE_REGEX -> {
                Pattern pattern = Pattern.compile(match);
                yield group -> pattern.matcher(group.template()).find()
                        || pattern.matcher(group.sampleMessage()).find();
            }
        };
    }
}

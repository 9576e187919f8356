package io.logalert.sink.dingtalk;

import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.Silenced;
import io.logalert.TimeWindow;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Sample digests. */
final class Digests {

    static final TimeWindow WINDOW =
            new TimeWindow(Instant.parse("2026-03-01T10:00:00Z"), Instant.parse("2026-03-01T10:02:00Z"));

    private Digests() {
    }

    /** A digest of {@code groups} groups whose keys are {@code project/g<i>} and messages name the key too. */
    static Digest of(String project, int groups) {
        return of(project, groups, 60);
    }

    /** As {@link #of(String, int)}, each sample message about {@code messageChars} long. */
    static Digest of(String project, int groups, int messageChars) {
        List<ErrorGroup> list = new ArrayList<>();
        for (int i = 0; i < groups; i++) {
            String key = project + "/g" + i;
            String message = ("failure " + key + " ").repeat(Math.max(1, messageChars / (key.length() + 9)));
            list.add(new ErrorGroup(project, key, "failure <*>", message, 1_000L - i,
                    WINDOW.from().plusSeconds(i), WINDOW.from().plusSeconds(i + 30), "worker-" + i));
        }
        return new Digest(Digest.idOf("pipe", project, WINDOW), "pipe", project, WINDOW, list, 0, 0);
    }

    /** A digest with one group holding {@code message}. */
    static Digest withMessage(String project, String message) {
        ErrorGroup group = new ErrorGroup(project, "k", message, message, 3, WINDOW.from().plusSeconds(5),
                WINDOW.from().plusSeconds(65), "http-nio-8080-exec-1");
        return new Digest(Digest.idOf("pipe", project, WINDOW), "pipe", project, WINDOW, List.of(group), 0, 0);
    }

    /**
     * A digest of {@code project} whose log text holds {@code word} everywhere but in its patterns: a sample message,
     * a stack line, a thread and a silence's reason. Two groups (40 and 7 events), two more left out (5 events),
     * 12 events held by the silence.
     */
    static Digest withWordInLogText(String project, String word) {
        List<ErrorGroup> groups = List.of(
                new ErrorGroup(project, project + "/pay", "payment <*> declined", "payment 8812 declined: " + word
                        + " bonus", 40, WINDOW.from().plusSeconds(3), WINDOW.from().plusSeconds(90),
                        word + "-worker-1"),
                new ErrorGroup(project, project + "/stock", "stock check <*> failed", "stock check 17 failed\n"
                        + "\tat " + word + ".Stock.check(Stock.java:12)", 7, WINDOW.from().plusSeconds(5),
                        WINDOW.from().plusSeconds(65), "http-nio-8080-exec-2"));
        Silenced promo = new Silenced("promo", word + " promo", project, 12, WINDOW.from().minusSeconds(3_600),
                WINDOW.from().minusSeconds(600));
        return new Digest(Digest.idOf("pipe", project, WINDOW), "pipe", project, WINDOW, groups, 2, 5,
                List.of(promo), Optional.empty());
    }

    /** {@code digest} with other groups, silence notes and catch-up, its window, counts and id kept. */
    static Digest with(Digest digest, List<ErrorGroup> groups, List<Silenced> silenced,
            Optional<TimeWindow> catchUp) {
        return new Digest(digest.id(), digest.pipelineId(), digest.project(), digest.window(), groups,
                digest.omittedGroups(), digest.omittedEvents(), silenced, catchUp);
    }

    /** A digest of {@code project} that only says what {@code silenced} held: no group. */
    static Digest onlySilenced(String project, Silenced... silenced) {
        return new Digest(Digest.idOf("pipe", project, WINDOW), "pipe", project, WINDOW, List.of(), 0, 0,
                List.of(silenced), Optional.empty());
    }
}

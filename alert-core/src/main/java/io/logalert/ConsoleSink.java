package io.logalert;

import io.logalert.spi.AlertSink;
import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.TemporalAccessor;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Prints digests as plain text, one block per digest: for demos, for development, and as a second sink that keeps a
 * record in the application's console. Type {@code console}; configuration keys {@code stream} ({@code stdout} or
 * {@code stderr}, default {@code stdout}) and {@code time-zone} (default {@code UTC}). Thread-safe.
 */
public final class ConsoleSink implements AlertSink {

    /** The type name of this sink. */
    public static final String TYPE = "console";

    // "[back]" and a space; the count column (8) and " x " follow
    private static final int MARK_COLUMN = 7;
    private static final String DETAIL_INDENT = " ".repeat(MARK_COLUMN + 11);
    private static final String NOTE_INDENT = " ".repeat(MARK_COLUMN + 9);

    private final PrintStream out;
    private final DateTimeFormatter times;

    /** Prints to standard output with times in UTC. */
    public ConsoleSink() {
        this(System.out, ZoneId.of("UTC"));
    }

    /** Prints to {@code out} with times in {@code zone}. */
    public ConsoleSink(PrintStream out, ZoneId zone) {
        this.out = Objects.requireNonNull(out, "out");
        this.times = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSS xxx").withZone(zone);
    }

    @Override
    public List<DeliveryResult> deliver(List<Digest> digests) {
        List<DeliveryResult> results = new ArrayList<>(digests.size());
        for (Digest digest : digests) {
            String text = render(digest);
            boolean failed;
            synchronized (out) {
                // a PrintStream's error flag never clears: only a change of it tells this write failed
                boolean failedBefore = out.checkError();
                out.print(text);
                failed = !failedBefore && out.checkError();
            }
            results.add(failed
                    ? DeliveryResult.retryLater(digest, "the console stream reported an error", Optional.empty())
                    : DeliveryResult.delivered(digest));
        }
        return results;
    }

    /** The text printed for {@code digest}. */
    String render(Digest digest) {
        StringBuilder text = new StringBuilder();
        text.append("== ").append(digest.project()).append(": ");
        digest.catchUp().ifPresent(gap -> text.append("logalert was down ").append(time(gap.from())).append(" .. ")
                .append(time(gap.to())).append(": "));
        if (onlySilenced(digest)) {
            // "0 errors in 0 groups" would read as a run that found nothing; the digest exists for its notes
            text.append("no errors to show; ").append(heldBySilences(digest)).append(", ");
        } else {
            text.append(digest.totalEvents()).append(" errors in ").append(digest.totalGroups())
                    .append(digest.totalGroups() == 1 ? " group, " : " groups, ");
        }
        text.append(time(digest.window().from())).append(" .. ").append(time(digest.window().to())).append(" ==\n");
        for (ErrorGroup group : digest.groups()) {
            // the mark gets a column of its own, so that counts stay aligned whether a group has one or not
            text.append(String.format("%-" + MARK_COLUMN + "s%8d x %s%n", markLabel(group.mark()), group.count(),
                    oneLine(group.template())));
            text.append(DETAIL_INDENT);
            group.heldBack().ifPresent(held -> text.append('+').append(held.count()).append(" held back since ")
                    .append(time(held.since())).append("; "));
            if (group.count() == 1 || group.firstSeen().equals(group.lastSeen())) {
                text.append("at ").append(time(group.firstSeen()));
            } else {
                text.append("first ").append(time(group.firstSeen())).append(", last ")
                        .append(time(group.lastSeen()));
            }
            if (!group.sampleThread().isEmpty()) {
                text.append(", thread ").append(oneLine(group.sampleThread()));
            }
            if (!Digest.ALL_PROJECTS.equals(digest.project())) {
                text.append('\n');
            } else {
                text.append(", project ").append(group.project()).append('\n');
            }
            text.append(DETAIL_INDENT).append("e.g. ").append(oneLine(group.sampleMessage())).append('\n');
        }
        if (digest.omittedGroups() > 0) {
            text.append(NOTE_INDENT).append('+').append(digest.omittedGroups()).append(" more groups (")
                    .append(digest.omittedEvents()).append(" events)\n");
        }
        for (Silenced silenced : digest.silenced()) {
            text.append(NOTE_INDENT).append(silenced.events()).append(" errors");
            if (Digest.ALL_PROJECTS.equals(digest.project())) {
                text.append(" of ").append(silenced.project());
            }
            text.append(" held by silence ").append(oneLine(silenced.silenceId())).append(' ')
                    .append(time(silenced.from())).append(" .. ").append(time(silenced.until()))
                    .append(" (reason: ").append(oneLine(silenced.reason())).append(")\n");
        }
        return text.toString();
    }

    private static String markLabel(Mark mark) {
        return switch (mark) {
            case NONE -> "";
            case NEW -> "[new]";
            case BACK -> "[back]";
        };
    }

    /** A digest that exists only to say what silences held: no group, nothing omitted. */
    private static boolean onlySilenced(Digest digest) {
        return digest.groups().isEmpty() && digest.omittedGroups() == 0 && !digest.silenced().isEmpty();
    }

    private static String heldBySilences(Digest digest) {
        long held = digest.silenced().stream().mapToLong(Silenced::events).sum();
        long silences = digest.silenced().stream().map(Silenced::silenceId).distinct().count();
        return held + " held by " + (silences == 1 ? "a silence" : silences + " silences");
    }

    private String time(TemporalAccessor instant) {
        return times.format(instant);
    }

    /** The first line of {@code text}, with a marker when lines were left out. */
    private static String oneLine(String text) {
        int end = text.indexOf('\n');
        return end < 0 ? text : text.substring(0, end).stripTrailing() + " [+" + (text.lines().count() - 1) + " lines]";
    }

    @Override
    public String name() {
        return TYPE;
    }
}

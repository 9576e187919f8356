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
        text.append("== ").append(digest.project()).append(": ").append(digest.totalEvents()).append(" errors in ")
                .append(digest.totalGroups()).append(digest.totalGroups() == 1 ? " group, " : " groups, ")
                .append(time(digest.window().from())).append(" .. ").append(time(digest.window().to()))
                .append(" ==\n");
        for (ErrorGroup group : digest.groups()) {
            text.append(String.format("%8d x %s%n", group.count(), oneLine(group.template())));
            text.append("           first ").append(time(group.firstSeen())).append(", last ")
                    .append(time(group.lastSeen()));
            if (!group.sampleThread().isEmpty()) {
                text.append(", thread ").append(oneLine(group.sampleThread()));
            }
            if (!Digest.ALL_PROJECTS.equals(digest.project())) {
                text.append('\n');
            } else {
                text.append(", project ").append(group.project()).append('\n');
            }
            text.append("           e.g. ").append(oneLine(group.sampleMessage())).append('\n');
        }
        if (digest.omittedGroups() > 0) {
            text.append("         +").append(digest.omittedGroups()).append(" more groups (")
                    .append(digest.omittedEvents()).append(" events)\n");
        }
        return text.toString();
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

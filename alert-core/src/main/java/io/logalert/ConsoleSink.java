package io.logalert;

import io.logalert.DigestLayout.Group;
import io.logalert.DigestLayout.Text;
import io.logalert.spi.AlertSink;
import java.io.PrintStream;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Prints digests as plain text, one block per digest, laid out by {@link DigestLayout} as every sink shows them: for
 * demos, for development, and as a second sink that keeps a record in the application's console. Type
 * {@code console}; configuration keys {@code stream} ({@code stdout} or {@code stderr}, default {@code stdout}),
 * {@code locale} ({@code en} or {@code zh-CN}, default {@code en}) and {@code time-zone} (default: this machine's
 * zone). Log text is printed on lines of its own, without the control characters that could move the cursor or
 * colour the terminal. Thread-safe.
 *
 * <pre>
 * == checkout: 13,604 errors ==
 * Window: 2026-03-01 18:00:00 – 18:02:00 (+08:00)
 * Total: 13,604 errors in 1 group
 *   1. [new] 13,604× Upstream timeout uri=‹…›, cost=‹…›
 *      e.g. Upstream timeout uri=/api/v1/orders/O20261120396853744, cost=5161ms
 *      seen 18:00:00 – 18:01:59 · thread http-nio-8080-exec-7
 * </pre>
 */
public final class ConsoleSink implements AlertSink {

    /** The type name of this sink. */
    public static final String TYPE = "console";

    private final PrintStream out;
    private final ZoneId zone;
    private final Labels labels;
    private final String name;

    /** Prints to standard output in English, with times in this machine's zone. */
    public ConsoleSink() {
        this(System.out, ZoneId.systemDefault());
    }

    /** Prints to {@code out} in English, with times in {@code zone}. */
    public ConsoleSink(PrintStream out, ZoneId zone) {
        this(out, zone, Locale.ENGLISH);
    }

    /**
     * Prints to {@code out} in the labels of {@code locale}, with times in {@code zone}.
     *
     * @throws IllegalArgumentException when there are no labels for {@code locale}; see {@link Labels#of(Locale)}
     */
    public ConsoleSink(PrintStream out, ZoneId zone, Locale locale) {
        this(out, zone, locale, TYPE);
    }

    /**
     * Prints to {@code out} in the labels of {@code locale}, with times in {@code zone}, under the sink name
     * {@code name} (routes and pending deliveries name sinks; two console sinks of one pipeline need two names).
     */
    public ConsoleSink(PrintStream out, ZoneId zone, Locale locale, String name) {
        this.out = Objects.requireNonNull(out, "out");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.labels = Labels.of(locale);
        this.name = Objects.requireNonNull(name, "name");
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
        DigestLayout layout = DigestLayout.of(digest, zone, labels);
        StringBuilder text = new StringBuilder();
        text.append("== ").append(line(layout.title()));
        layout.titleNote().ifPresent(note -> text.append(labels.aside(note)));
        text.append(" ==\n");
        layout.catchUp().ifPresent(line -> text.append(labels.down()).append(' ').append(line).append('\n'));
        text.append(labels.field(labels.window(), layout.window())).append('\n');
        layout.totals().ifPresent(totals -> text.append(labels.field(labels.total(), totals)).append('\n'));
        // ranks are right-aligned, so that the details under each group start in one column
        int rankWidth = Integer.toString(layout.groups().size()).length();
        String indent = " ".repeat(2 + rankWidth + 2);
        for (Group group : layout.groups()) {
            text.append("  ").append(String.format(Locale.ROOT, "%" + rankWidth + "d. ", group.rank()));
            String mark = labels.mark(group.mark());
            if (!mark.isEmpty()) {
                text.append('[').append(mark).append("] ");
            }
            text.append(group.countText());
            group.heldBack().ifPresent(held -> text.append(' ').append(held));
            if (!group.pattern().isEmpty()) {
                text.append(' ').append(line(group.pattern()));
            }
            text.append('\n');
            List<String> sample = group.sample();
            for (int i = 0; i < sample.size(); i++) {
                // log text never starts a line: it cannot pass for a header or a group of its own
                text.append(indent).append(i == 0 && !group.continues() ? line(labels.sample(Text.log(sample.get(i))))
                        : "   " + clean(sample.get(i))).append('\n');
            }
            if (group.moreLines() > 0) {
                text.append(indent).append("   ").append(labels.moreLines(group.moreLines())).append('\n');
            }
            text.append(indent).append(line(group.details())).append('\n');
        }
        layout.omitted().ifPresent(omitted -> text.append("  ").append(omitted).append('\n'));
        for (Text note : layout.silenced()) {
            text.append("  ").append(line(note)).append('\n');
        }
        return text.toString();
    }

    private static String line(Text text) {
        return text.render(ConsoleSink::clean, UnaryOperator.identity());
    }

    /**
     * Log text on one line and without control characters: a line break would let it print a line of its own, an
     * escape sequence could colour or rewrite what the terminal shows, and invisible format characters could
     * disguise it.
     */
    private static String clean(String logged) {
        StringBuilder clean = new StringBuilder(logged.length());
        logged.codePoints().forEach(cp -> {
            if (cp == '\n' || cp == '\r' || cp == '\t') {
                clean.append(' ');
            } else if (!Character.isISOControl(cp) && cp != 0x2028 && cp != 0x2029
                    && Character.getType(cp) != Character.FORMAT) {
                clean.appendCodePoint(cp);
            }
        });
        return clean.toString();
    }

    @Override
    public String name() {
        return name;
    }
}

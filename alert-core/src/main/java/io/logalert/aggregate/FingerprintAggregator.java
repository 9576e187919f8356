package io.logalert.aggregate;

import io.logalert.ErrorGroup;
import io.logalert.LogEvent;
import io.logalert.spi.Aggregation;
import io.logalert.spi.Aggregator;
import java.util.List;

/**
 * Groups records of one project whose first message lines are the same once their variable parts are masked, and
 * whose exception types agree: {@code order 8812 failed} and {@code order 9017 failed} become one group,
 * {@code order <*> failed}. See {@link MessageMasker} for what is masked.
 *
 * <p>Type {@code fingerprint}; no configuration. The key depends only on the record, so it is the same in every
 * window and every JVM. Stateless and thread-safe; each {@link Aggregation} is not.
 */
public final class FingerprintAggregator implements Aggregator {

    /** The type name of this aggregator. */
    public static final String TYPE = "fingerprint";

    /** Characters of the first line that take part in the key; the rest rarely tells errors apart. */
    static final int MAX_KEY_CHARS = 1_000;

    @Override
    public Aggregation start() {
        GroupTable table = new GroupTable();
        return new Aggregation() {
            @Override
            public String add(LogEvent event) {
                String template = template(event.message());
                return table.add(event.project(), ExceptionType.of(event), template, template, event);
            }

            @Override
            public List<ErrorGroup> groups() {
                return table.groups();
            }
        };
    }

    /** The masked first line of {@code message}, at most {@link #MAX_KEY_CHARS} of it. */
    static String template(String message) {
        int end = 0;
        int length = message.length();
        // skip leading blank lines: some appenders start the message with a newline
        int start = 0;
        while (start < length && Character.isWhitespace(message.charAt(start))) {
            start++;
        }
        end = start;
        while (end < length && message.charAt(end) != '\n' && message.charAt(end) != '\r') {
            end++;
        }
        return MessageMasker.mask(message, start, MessageMasker.cutAt(message, start, end, MAX_KEY_CHARS));
    }

    @Override
    public String name() {
        return TYPE;
    }
}

package io.logalert.guarantees;

import io.logalert.DeliveryResult;
import io.logalert.Digest;
import io.logalert.sink.dingtalk.DingTalkEmulator;
import io.logalert.spi.AlertSink;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** What the fault tests share: documents as the script's logs look, a recording sink, robot messages read back. */
final class Faults {

    /**
     * The title the DingTalk sinks of these tests use, so that each message the robot accepted says its project,
     * window and count: {@code checkout / 2026-03-01 09:58:30 +00:00 / 2026-03-01 09:59:30 +00:00 / 12}.
     */
    static final String TITLE = "{project} / {from} / {to} / {events}";

    private static final Pattern TITLE_PATTERN = Pattern.compile(
            "(\\S+) / (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d) \\+00:00 / "
                    + "(\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d) \\+00:00 / ([\\d,]+)");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ROOT);
    private static final AtomicInteger INDICES = new AtomicInteger();

    private Faults() {
    }

    /** A fresh index name. */
    static String index(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + INDICES.incrementAndGet();
    }

    /** An ERROR document of {@code project} logged at {@code at}, with the field names of the script's logs. */
    static Map<String, Object> error(Instant at, String project, String message) {
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("@timestamp", at.toString());
        document.put("projectname", project);
        document.put("loglevel", "ERROR");
        document.put("threadname", "http-nio-8080-exec-1");
        document.put("msg", message);
        return document;
    }

    /**
     * {@code count} errors of {@code project} spread over {@code [from, to)}, of three kinds, with varying ids as in
     * production: {@code order 8812 failed}, {@code payment gateway timeout after 3012 ms}, {@code stock service
     * unavailable}.
     */
    static List<Map<String, Object>> errors(Random random, String project, int count, Instant from, Instant to) {
        long span = to.toEpochMilli() - from.toEpochMilli();
        List<Map<String, Object>> documents = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant at = from.plusMillis(span * i / count);
            String message = switch (i % 3) {
                case 0 -> "order " + (1000 + random.nextInt(9000)) + " failed";
                case 1 -> "payment gateway timeout after " + (200 + random.nextInt(5000)) + " ms";
                default -> "stock service unavailable";
            };
            documents.add(error(at, project, message));
        }
        return documents;
    }

    /** A digest as one message the robot accepted says it: project, window and count. */
    record RobotDigest(String project, Instant from, Instant to, long events) {

        /** The message's digest, read from its title ({@link #TITLE}). */
        static RobotDigest of(DingTalkEmulator.Accepted accepted) {
            Matcher m = TITLE_PATTERN.matcher(accepted.title());
            if (!m.find()) {
                throw new AssertionError("not a title of " + TITLE + ": " + accepted.title());
            }
            return new RobotDigest(m.group(1), time(m.group(2)), time(m.group(3)),
                    Long.parseLong(m.group(4).replace(",", "")));
        }

        boolean overlaps(RobotDigest other) {
            return project.equals(other.project) && from.isBefore(other.to) && other.from.isBefore(to);
        }

        private static Instant time(String text) {
            return LocalDateTime.parse(text, TIME).toInstant(ZoneOffset.UTC);
        }
    }

    /** The digests every message the robot accepted says, in order. */
    static List<RobotDigest> robotDigests(DingTalkEmulator robot) {
        return robot.accepted().stream().map(RobotDigest::of).toList();
    }

    /** Wraps a real sink and records the digests it answered DELIVERED for. */
    static final class RecordingSink implements AlertSink {

        private final AlertSink delegate;
        private final List<Digest> delivered = new ArrayList<>();

        RecordingSink(AlertSink delegate) {
            this.delegate = delegate;
        }

        @Override
        public List<DeliveryResult> deliver(List<Digest> digests) {
            List<DeliveryResult> results = delegate.deliver(digests);
            synchronized (this) {
                results.stream().filter(DeliveryResult::isDelivered).map(DeliveryResult::digest)
                        .forEach(delivered::add);
            }
            return results;
        }

        synchronized List<Digest> delivered() {
            return List.copyOf(delivered);
        }

        @Override
        public String name() {
            return delegate.name();
        }

        @Override
        public void close() {
            delegate.close();
        }
    }
}

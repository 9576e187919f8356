package io.logalert.guarantees;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.DeliveryResult;
import io.logalert.Digest;
import io.logalert.TimeWindow;
import io.logalert.sink.dingtalk.DingTalkEmulator;
import io.logalert.sink.dingtalk.DingTalkSink;
import io.logalert.source.elasticsearch.BulkLoader;
import io.logalert.source.elasticsearch.ElasticsearchNode;
import io.logalert.spi.AlertSink;
import io.logalert.spi.PluginConfig;
import java.time.Duration;
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
import java.util.concurrent.TimeUnit;
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

    /** The configuration of an {@code elasticsearch} source, or state store, on {@code index} of {@code node}. */
    static PluginConfig on(ElasticsearchNode node, String index) {
        return PluginConfig.of(Map.of("hosts", hosts(node), "index", index));
    }

    /** The {@code hosts} value for {@code node}. */
    static String hosts(ElasticsearchNode node) {
        return "http://127.0.0.1:" + node.uri().getPort();
    }

    /** A DingTalk sink to {@code robot} whose messages {@link RobotDigest#of} reads back: {@link #TITLE}, UTC times. */
    static DingTalkSink robotSink(DingTalkEmulator robot) {
        return DingTalkSink.builder().webhook(robot.url()).title(TITLE).timeZone(ZoneOffset.UTC).build();
    }

    /** Loads {@code count} errors of {@code project} spread over {@code window} into {@code index}; how many. */
    static long load(ElasticsearchNode node, String index, Random random, String project, int count,
            TimeWindow window) {
        return BulkLoader.loadDocuments(node, index, errors(random, project, count, window.from(), window.to())
                .stream());
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

    /**
     * Asserts that no two of {@code digests} count the same records: none of them overlaps another of its project.
     * {@code story} ends each failure message.
     */
    static void assertNoneCountTheSameRecords(List<RobotDigest> digests, String story) {
        for (int i = 0; i < digests.size(); i++) {
            for (int j = i + 1; j < digests.size(); j++) {
                assertThat(digests.get(i).overlaps(digests.get(j)))
                        .as("%s and %s count the same records%s", digests.get(i), digests.get(j), story).isFalse();
            }
        }
    }

    /** The digests every message the robot accepted says, in order. */
    static List<RobotDigest> robotDigests(DingTalkEmulator robot) {
        return robot.accepted().stream().map(RobotDigest::of).toList();
    }

    /**
     * Whether the robot's message is a late digest: records of an earlier window indexed after it was read. A title
     * template hides the layout's title, so this reads the totals line the English labels write.
     */
    static boolean isLate(DingTalkEmulator.Accepted accepted) {
        return accepted.text().contains("indexed after this window was read");
    }

    /** The digests of the robot's messages that are not late digests, in order. */
    static List<RobotDigest> regularDigests(DingTalkEmulator robot) {
        return robot.accepted().stream().filter(a -> !isLate(a)).map(RobotDigest::of).toList();
    }

    /** The late digests of the robot's messages, in order. */
    static List<RobotDigest> lateDigests(DingTalkEmulator robot) {
        return robot.accepted().stream().filter(Faults::isLate).map(RobotDigest::of).toList();
    }

    /** The records every message the robot accepted counts, late ones included. */
    static long robotEvents(DingTalkEmulator robot) {
        return robotDigests(robot).stream().mapToLong(RobotDigest::events).sum();
    }

    /**
     * A start for a {@code ManualClock} behind the real one: the last full minute an hour ago. The node's clock is the
     * real one and caps where windows end, so a pipeline clock behind it leaves the windows to the test.
     */
    static Instant anHourAgo() {
        return Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MINUTES).minus(Duration.ofHours(1));
    }

    /**
     * Kills the node's processes with SIGKILL, as the kernel's OOM killer or a lost host would, and waits until they
     * are gone: the launcher the node was started with (found among this JVM's children by its {@code http.port}) and
     * every process under it. {@link ElasticsearchNode#restart()} then starts it again on the same data.
     *
     * @return how many processes were killed
     * @throws IllegalStateException when no child process of this JVM runs the node
     */
    static int killNode(ElasticsearchNode node) throws InterruptedException {
        String port = "http.port=" + node.uri().getPort();
        ProcessHandle launcher = ProcessHandle.current().children()
                .filter(p -> p.info().arguments().map(List::of).orElse(List.of()).contains(port))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no child process of this JVM runs the node at "
                        + node.uri()));
        List<ProcessHandle> tree = new ArrayList<>(launcher.descendants().toList());
        tree.add(launcher);
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle process : tree) {
            try {
                process.onExit().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
                throw new IllegalStateException("process " + process.pid() + " of the node survived SIGKILL", e);
            }
        }
        return tree.size();
    }

    /** Sends {@code signal} ({@code STOP}, {@code CONT}) to process {@code pid} with {@code kill}. */
    static void signal(long pid, String signal) throws InterruptedException {
        try {
            Process kill = new ProcessBuilder("kill", "-" + signal, String.valueOf(pid)).redirectErrorStream(true)
                    .start();
            String output = new String(kill.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
                throw new IllegalStateException("kill -" + signal + " " + pid + " failed: " + output);
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot run kill -" + signal, e);
        }
    }

    /** Waits up to {@code timeout} for {@code condition}, checking every 100 ms; whether it came true. */
    static boolean poll(Duration timeout, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(100);
        }
        return true;
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

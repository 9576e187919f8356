package io.logalert.guarantees;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.TimeWindow;
import io.logalert.guarantees.Faults.RobotDigest;
import io.logalert.sink.dingtalk.DingTalkEmulator;
import io.logalert.source.elasticsearch.BulkLoader;
import io.logalert.source.elasticsearch.ElasticsearchNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several instances of one pipeline under a lease, as separate processes: child JVMs run the same pipeline id on the
 * real clock, with the {@code elasticsearch} state store in one index of the shared node, the real Elasticsearch
 * source and a DingTalk sink to one emulator here, while this JVM indexes errors stamped with the current time.
 *
 * <p>Two instances start together: one takes the lease, the other stands by. The owner is killed with SIGKILL between
 * two runs: the other takes over once the lease has expired (within one of its intervals after that). A third
 * instance joins; the new owner is stopped with SIGSTOP in the middle of a run for longer than its lease, the third
 * takes over, and the owner, continued with SIGCONT, sends nothing: its report says the lease ran out. Counted at the
 * robot: every window's digest arrived once, from one sender, and summed over every message the counts equal the
 * documents indexed.
 */
class LeaseFaultIT {

    private static final Duration INTERVAL = Duration.ofSeconds(2);
    private static final Duration LEASE_TTL = Duration.ofSeconds(6);
    private static final Duration QUERY_DELAY = Duration.ofSeconds(1);
    /** Margin for a JVM start, a run and the reading of a line on a busy machine. */
    private static final Duration SLACK = Duration.ofMillis(1500);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final Pattern RUN = Pattern.compile("RUN instance=(\\S+) at=(\\S+) window=(\\S+) events=(\\d+) "
            + "late=(\\d+) digests=(\\d+) delivered=(\\d+) standby=(yes|no) failure=(.*)");
    private static final Pattern VIA = Pattern.compile(" via (\\S+)$");

    private final ElasticsearchNode node = ElasticsearchNode.shared();

    /** One {@code RUN} line of a lease child. */
    record Run(String instance, Instant at, Optional<TimeWindow> window, long events, long late, long delivered,
            boolean standby, Optional<String> failure) {

        static Run of(String line) {
            Matcher m = RUN.matcher(line);
            if (!m.matches()) {
                throw new AssertionError("not a RUN line: " + line);
            }
            Optional<TimeWindow> window = m.group(3).equals("none") ? Optional.empty() : Optional.of(
                    new TimeWindow(Instant.parse(m.group(3).split("\\.\\.")[0]),
                            Instant.parse(m.group(3).split("\\.\\.")[1])));
            return new Run(m.group(1), Instant.parse(m.group(2)), window, Long.parseLong(m.group(4)),
                    Long.parseLong(m.group(5)), Long.parseLong(m.group(7)), m.group(8).equals("yes"),
                    m.group(9).equals("none") ? Optional.empty() : Optional.of(m.group(9)));
        }

        static boolean isRun(String line) {
            return line.startsWith("RUN ");
        }

        /** A run of the lease's owner that read its window and went through. */
        boolean owned() {
            return !standby && failure.isEmpty() && window.isPresent();
        }
    }

    @Test
    void oneSenderPerWindowAKilledOwnerIsReplacedWithinTheLeaseAndAPausedOwnerSendsNothing(@TempDir Path dir)
            throws Exception {
        String index = Faults.index("lease");
        String stateIndex = ".logalert-state-" + Faults.index("lease");
        String id = "lease-orders-" + ProcessHandle.current().pid();
        String hosts = Faults.hosts(node);
        // the first owner's first window reaches back ten minutes: the index must exist before
        BulkLoader.loadDocuments(node, index, Faults.errors(new Random(1), "checkout", 3,
                Instant.now().minus(Duration.ofMinutes(5)), Instant.now().minus(Duration.ofMinutes(4))).stream());
        long indexedBefore = 3;

        try (DingTalkEmulator robot = DingTalkEmulator.builder().messagesPerMinute(1_000).start();
                Producer producer = new Producer(node, index)) {
            List<ChildJvm> children = new ArrayList<>();
            try {
                ChildJvm a = start(children, dir, "a", id, hosts, index, stateIndex, robot);
                ChildJvm b = start(children, dir, "b", id, hosts, index, stateIndex, robot);
                producer.start();

                // started together, one takes the lease and the other stands by
                assertThat(Faults.poll(TIMEOUT, () -> owned(a) >= 1 || owned(b) >= 1))
                        .as("an owner within %s%s%s", TIMEOUT, a.describe(), b.describe()).isTrue();
                ChildJvm owner = owned(a) >= 1 ? a : b;
                ChildJvm other = owner == a ? b : a;
                String otherName = owner == a ? "b" : "a";
                other.awaitLine(0, l -> Run.isRun(l) && Run.of(l).standby(), "standby RUN", TIMEOUT);

                // the owner runs a few windows, then is killed between two runs
                assertThat(Faults.poll(TIMEOUT, () -> owned(owner) >= 3)).as(owner.describe()).isTrue();
                owner.awaitLine(owner.lineCount(), Run::isRun, "RUN", TIMEOUT);
                Instant killedAt = Instant.now();
                int otherFrom = other.lineCount();
                assertThat(owner.kill()).as("exit code of a SIGKILL").isEqualTo(137);

                // the other waits for the lease to expire, and takes over within one interval after
                Run takeover = Run.of(other.line(other.awaitLine(otherFrom, l -> Run.isRun(l) && Run.of(l).owned(),
                        "owner RUN", LEASE_TTL.plus(INTERVAL).plus(TIMEOUT))));
                assertThat(takeover.at()).as("the takeover of %s", otherName)
                        .isAfter(killedAt.plus(LEASE_TTL).minus(SLACK))
                        .isBefore(killedAt.plus(LEASE_TTL).plus(INTERVAL).plus(SLACK));
                assertThat(runs(other).stream().filter(r -> r.at().isAfter(killedAt)
                        && r.at().isBefore(takeover.at()))).as("runs of %s before it took over", otherName)
                        .isNotEmpty().allSatisfy(r -> assertThat(r.standby()).isTrue());

                // a replacement joins and stands by
                ChildJvm c = start(children, dir, "c", id, hosts, index, stateIndex, robot);
                c.awaitLine(0, l -> Run.isRun(l) && Run.of(l).standby(), "standby RUN", TIMEOUT);

                // the owner is stopped in the middle of a run, for longer than its lease
                int pausedFrom = other.lineCount();
                other.send("pause");
                // a run already under way when "pause" arrived may still print its line: the paused one reads next
                int readingAt = other.awaitLine(pausedFrom, l -> l.startsWith("READING"), "READING", TIMEOUT);
                Faults.signal(other.pid(), "STOP");
                Instant stoppedAt = Instant.now();
                other.send("go");
                int cFrom = c.lineCount();
                Run cTakes = Run.of(c.line(c.awaitLine(cFrom, l -> Run.isRun(l) && Run.of(l).owned(), "owner RUN",
                        LEASE_TTL.plus(INTERVAL).plus(TIMEOUT))));
                assertThat(cTakes.at()).isAfter(stoppedAt.plus(LEASE_TTL).minus(SLACK))
                        .isBefore(stoppedAt.plus(LEASE_TTL).plus(INTERVAL).plus(SLACK));
                Faults.signal(other.pid(), "CONT");

                // continued, it finishes the run it was in without sending or saving, then stands by
                int resumedAt = other.awaitLine(readingAt + 1, Run::isRun, "RUN", TIMEOUT);
                Run resumed = Run.of(other.line(resumedAt));
                assertThat(resumed.failure()).as(other.describe())
                        .hasValueSatisfying(f -> assertThat(f).contains("lease ran out"));
                assertThat(resumed.delivered()).isZero();
                Run after = Run.of(other.line(other.awaitLine(resumedAt + 1, Run::isRun, "RUN", TIMEOUT)));
                assertThat(after.standby()).as(other.describe()).isTrue();

                // no more errors: everything indexed reaches the robot
                producer.close();
                long indexed = indexedBefore + producer.indexed();
                // (a run prints its line after it delivered and saved: wait for both)
                boolean drained = Faults.poll(TIMEOUT, () -> Faults.robotEvents(robot) == indexed
                        && children.stream().flatMap(child -> runs(child).stream()).filter(Run::owned)
                                .mapToLong(r -> r.events() + r.late()).sum() == indexed);
                List<Run> runs = new ArrayList<>();
                for (ChildJvm child : children) {
                    runs.addAll(runs(child));
                }
                String story = story(runs, robot);
                assertThat(drained).as("the robot's count and the runs' reached the %d documents indexed%s", indexed,
                        story).isTrue();

                // every window read once by one owner: contiguous, never overlapping
                List<Run> owned = runs.stream().filter(Run::owned)
                        .sorted(Comparator.comparing(r -> r.window().orElseThrow().from())).toList();
                for (int i = 1; i < owned.size(); i++) {
                    assertThat(owned.get(i).window().orElseThrow().from()).as("window %d%s", i, story)
                            .isEqualTo(owned.get(i - 1).window().orElseThrow().to());
                }
                assertThat(owned).extracting(Run::instance).as(story).contains("a", "b", "c");
                assertThat(owned.stream().mapToLong(r -> r.events() + r.late()).sum()).as("events read" + story)
                        .isEqualTo(indexed);

                // at the robot: one digest per window with records, from the instance that owned the window
                List<DingTalkEmulator.Accepted> accepted = robot.accepted();
                List<RobotDigest> regular = Faults.regularDigests(robot);
                Faults.assertNoneCountTheSameRecords(regular, story);
                assertThat(regular).as("digests of windows%s", story)
                        .hasSize((int) owned.stream().filter(r -> r.events() > 0).count());
                for (Run run : owned.stream().filter(r -> r.events() > 0).toList()) {
                    TimeWindow window = run.window().orElseThrow();
                    List<DingTalkEmulator.Accepted> ofWindow = accepted.stream().filter(m -> !Faults.isLate(m))
                            .filter(m -> RobotDigest.of(m).from().equals(window.from().truncatedTo(
                                    java.time.temporal.ChronoUnit.SECONDS))
                                    && RobotDigest.of(m).events() == run.events()).toList();
                    assertThat(ofWindow).as("messages of %s, read by %s%s", window, run.instance(), story)
                            .singleElement().satisfies(m -> assertThat(sender(m)).isEqualTo(run.instance()));
                }
                assertThat(accepted).as("messages sent by %s after it was stopped%s", otherName, story)
                        .noneSatisfy(m -> {
                            assertThat(sender(m)).isEqualTo(otherName);
                            assertThat(m.receivedAt()).isAfter(stoppedAt);
                        });
            } finally {
                children.forEach(ChildJvm::close);
            }
        }
    }

    private static ChildJvm start(List<ChildJvm> children, Path dir, String instance, String id, String hosts,
            String index, String stateIndex, DingTalkEmulator robot) {
        ChildJvm child = ChildJvm.start(dir.resolve(instance + ".log"), "lease", id, instance, hosts, index,
                stateIndex, robot.url(), String.valueOf(INTERVAL.toMillis()), String.valueOf(LEASE_TTL.toMillis()),
                String.valueOf(QUERY_DELAY.toMillis()));
        children.add(child);
        return child;
    }

    private static List<Run> runs(ChildJvm child) {
        return child.lines().stream().filter(Run::isRun).map(Run::of).toList();
    }

    private static long owned(ChildJvm child) {
        return runs(child).stream().filter(Run::owned).count();
    }

    private static String sender(DingTalkEmulator.Accepted message) {
        Matcher m = VIA.matcher(message.title());
        return m.find() ? m.group(1) : "?";
    }

    /** What every instance did and what the robot received, for a failure message. */
    private static String story(List<Run> runs, DingTalkEmulator robot) {
        StringBuilder story = new StringBuilder("\n--- runs:");
        runs.stream().sorted(Comparator.comparing(Run::at)).forEach(r -> story.append("\n").append(r));
        story.append("\n--- robot:");
        robot.accepted().forEach(m -> story.append("\n").append(m.receivedAt()).append(' ').append(m.title())
                .append(Faults.isLate(m) ? " (late)" : ""));
        return story.toString();
    }

    /** Indexes a few errors stamped with the current time every half second, as an application logs them. */
    private static final class Producer implements AutoCloseable {

        private final ElasticsearchNode node;
        private final String index;
        private final Random random = new Random(3);
        private final AtomicLong indexed = new AtomicLong();
        private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "producer");
            thread.setDaemon(true);
            return thread;
        });

        Producer(ElasticsearchNode node, String index) {
            this.node = node;
            this.index = index;
        }

        void start() {
            executor.scheduleWithFixedDelay(this::produce, 0, 500, TimeUnit.MILLISECONDS);
        }

        private void produce() {
            Instant now = Instant.now();
            int count = 1 + random.nextInt(4);
            indexed.addAndGet(BulkLoader.loadDocuments(node, index, Faults.errors(random, "checkout", count,
                    now.minusMillis(200), now).stream()));
        }

        long indexed() {
            return indexed.get();
        }

        @Override
        public void close() throws InterruptedException {
            executor.shutdown();
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the producer did not stop");
            }
        }
    }
}

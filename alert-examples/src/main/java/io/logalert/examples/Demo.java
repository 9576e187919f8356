package io.logalert.examples;

import io.logalert.AlertPipeline;
import io.logalert.ConsoleSink;
import io.logalert.LogEvent;
import io.logalert.RunReport;
import io.logalert.aggregate.ExactAggregator;
import io.logalert.testing.InMemoryLogSource;
import io.logalert.sink.dingtalk.DingTalkEmulator;
import io.logalert.sink.dingtalk.DingTalkSink;
import io.logalert.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Random;

/**
 * The demo: two runs of a pipeline over an in-memory log of three projects. Digests go to the console sink and,
 * through the real DingTalk sink over HTTP, to the DingTalk robot emulator on loopback, which checks the signature,
 * the keyword, the message shape and the rate limit as DingTalk does. It shows the same error with different ids
 * counted as one group, and a second run that counts only what is new.
 */
public final class Demo {

    private static final String[] PROJECTS = {"checkout", "billing", "search"};

    private Demo() {
    }

    /** Runs the demo; no arguments. */
    public static void main(String[] args) {
        Instant start = Instant.parse("2026-03-01T10:00:00Z");
        ManualClock clock = new ManualClock(start);
        InMemoryLogSource source = new InMemoryLogSource();
        Random random = new Random(42);
        addErrors(source, random, start.minus(Duration.ofMinutes(10)), start.minusSeconds(30), 400);

        String token = "demo-access-token";
        String secret = "SECdemo0123456789abcdef";
        try (DingTalkEmulator robot = DingTalkEmulator.builder().accessToken(token).secret(secret)
                .keywords("alert").clock(clock).start();
             AlertPipeline pipeline = AlertPipeline.builder()
                .id("demo")
                .source(source)
                .addSink(new ConsoleSink())
                .addSink(DingTalkSink.builder().accessToken(token).baseUrl(robot.baseUrl()).secret(secret)
                        .keywords(List.of("alert")).timeZone(ZoneId.of("Asia/Shanghai")).clock(clock).build())
                .clock(clock)
                .queryDelay(Duration.ofSeconds(30))
                .interval(Duration.ofMinutes(1))
                .initialLookback(Duration.ofMinutes(10))
                .build()) {
            System.out.println("Run 1: the last ten minutes, 400 errors logged with ids in them.\n");
            RunReport first = pipeline.runOnce();
            summary(first, exactGroups(source, first));

            addErrors(source, random, start.minusSeconds(30), start.plusSeconds(30), 60);
            clock.advance(Duration.ofMinutes(1));
            System.out.println("\nRun 2, a minute later: 60 more errors; nothing of run 1 is counted again.\n");
            summary(pipeline.runOnce(), -1);

            robotSummary(robot);
        }
    }

    private static void robotSummary(DingTalkEmulator robot) {
        List<DingTalkEmulator.Exchange> exchanges = robot.exchanges();
        int largest = exchanges.stream().mapToInt(DingTalkEmulator.Exchange::bodyBytes).max().orElse(0);
        System.out.printf("%nThe DingTalk robot emulator at %s accepted %d of %d messages (largest body %,d bytes,"
                + " limit 20,000), throttled 0 of them: %d answers of 410100.%n", robot.baseUrl(),
                robot.accepted().size(), exchanges.size(), largest, robot.answered(410100));
        DingTalkEmulator.Accepted first = robot.accepted().get(0);
        System.out.println("The first one, as the group sees it (markdown):\n");
        System.out.println("  # " + first.title());
        first.text().lines().forEach(line -> System.out.println("  " + line));
    }

    private static void summary(RunReport report, long exactGroups) {
        System.out.printf("-> window %s: %d errors in %d groups, %d digests, %d deliveries to 2 sinks, %d pending%n",
                report.window().map(Object::toString).orElse("(none due)"), report.eventsRead(),
                report.groupCount(), report.digests().size(), report.delivered(), report.pending());
        if (exactGroups >= 0) {
            System.out.printf("   (counting identical strings, as the old script did, would have made %d groups)%n",
                    exactGroups);
        }
    }

    private static long exactGroups(InMemoryLogSource source, RunReport report) {
        var exact = new ExactAggregator().start();
        source.read(report.window().orElseThrow(), exact::add);
        return exact.groups().size();
    }

    private static void addErrors(InMemoryLogSource source, Random random, Instant from, Instant to, int count) {
        long span = Duration.between(from, to).toMillis();
        for (int i = 0; i < count; i++) {
            String project = PROJECTS[random.nextInt(PROJECTS.length)];
            Instant at = from.plusMillis((long) (random.nextDouble() * span));
            source.add(LogEvent.builder().timestamp(at).project(project).thread("http-nio-8080-exec-" + random.nextInt(20))
                    .message(message(project, random)).build());
        }
    }

    private static String message(String project, Random random) {
        int kind = random.nextInt(4);
        return switch (project + kind) {
            case "checkout0", "checkout1" -> "order " + (10_000 + random.nextInt(90_000)) + " failed: payment timed out after "
                    + (1_000 + random.nextInt(4_000)) + "ms";
            case "checkout2" -> "java.lang.IllegalStateException: cart " + Long.toHexString(random.nextLong())
                    + " is locked by user" + random.nextInt(1_000) + "\n\tat shop.Cart.lock(Cart.java:88)"
                    + "\n\tat shop.CheckoutService.submit(CheckoutService.java:142)";
            case "billing0", "billing1" -> "card declined for customer " + (random.nextInt(900) + 100)
                    + "@example.com, amount " + random.nextInt(500) + "." + random.nextInt(100) + " EUR";
            case "billing2" -> "invoice service at 10.0." + random.nextInt(255) + "." + random.nextInt(255)
                    + ":8443 unreachable";
            case "search0", "search1", "search2" -> "query timeout after " + (random.nextInt(30) + 1) + "s on shard "
                    + random.nextInt(12) + " of index logs-2026.03." + (random.nextInt(28) + 1);
            default -> "upstream returned HTTP " + (500 + random.nextInt(4)) + " for /api/v1/items/"
                    + random.nextInt(100_000);
        };
    }
}

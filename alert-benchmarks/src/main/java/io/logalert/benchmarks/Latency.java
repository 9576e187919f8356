package io.logalert.benchmarks;

import io.logalert.AlertPipeline;
import io.logalert.sink.dingtalk.DingTalkEmulator;
import io.logalert.sink.dingtalk.DingTalkSink;
import io.logalert.source.elasticsearch.ElasticsearchLogSource;
import io.logalert.source.elasticsearch.ElasticsearchNode;
import io.logalert.spi.PluginConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Time from an error being indexed to its digest accepted by the DingTalk emulator, on the real clock: a started
 * {@link AlertPipeline} (Elasticsearch source with its default settings, default aggregator, {@link DingTalkSink})
 * runs every {@code interval} while errors are indexed one by one at spread-out instants into an index the node
 * refreshes every second, as it does by default. Each error is the only one of its project, so the first accepted
 * message naming the project carries its digest.
 */
final class Latency {

    /** One setting to measure. */
    record Setting(Duration interval, Duration queryDelay, int errors, Duration spread) {

        Duration goal() {
            return interval.plus(queryDelay).plusSeconds(2);
        }
    }

    /** What was measured: latencies of the delivered errors, in index order; {@code seconds} the part's wall time. */
    record Result(Setting setting, List<Duration> latencies, int missing, double seconds) {

        Duration median() {
            List<Duration> sorted = latencies.stream().sorted().toList();
            int n = sorted.size();
            return n == 0 ? Duration.ZERO : n % 2 == 1 ? sorted.get(n / 2)
                    : sorted.get(n / 2 - 1).plus(sorted.get(n / 2)).dividedBy(2);
        }

        Duration max() {
            return latencies.stream().max(Duration::compareTo).orElse(Duration.ZERO);
        }

        boolean met() {
            return missing == 0 && max().compareTo(setting.goal()) <= 0;
        }
    }

    private Latency() {
    }

    static Result run(ElasticsearchNode node, Setting setting) {
        long started = System.nanoTime();
        String index = "latency-" + setting.interval().toSeconds();
        String hosts = node.uri().toString().replaceAll("/$", "");
        node.request("PUT", "/" + index, EndToEnd.index(1, true));
        Map<String, Instant> acknowledged = new LinkedHashMap<>();
        Map<String, Instant> delivered = new LinkedHashMap<>();
        try (DingTalkEmulator robot = DingTalkEmulator.builder().accessToken("latency-token").secret("SEClatency")
                .keywords("alert").start();
                ElasticsearchLogSource source = ElasticsearchLogSource.create(PluginConfig.of(Map.of("hosts", hosts,
                        "index", index)));
                DingTalkSink sink = DingTalkSink.builder().webhook(robot.url()).secret("SEClatency")
                        .keywords(List.of("alert")).build();
                AlertPipeline pipeline = AlertPipeline.builder().id("latency").source(source).addSink(sink)
                        .interval(setting.interval()).queryDelay(setting.queryDelay())
                        .initialLookback(setting.interval()).build()) {
            pipeline.start();
            Random random = new Random(5);
            Instant begin = Instant.now();
            long step = setting.spread().toMillis() / setting.errors();
            for (int i = 0; i < setting.errors(); i++) {
                // evenly spread, each moved by up to half a step, so that errors fall at every phase of the schedule
                Instant at = begin.plusMillis(i * step + (long) (random.nextDouble() * step * 0.5));
                sleepUntil(at);
                String project = project(i);
                Instant timestamp = Instant.now();
                node.request("POST", "/" + index + "/_doc", String.format(Locale.ROOT, "{\"@timestamp\":\"%s\","
                        + "\"loglevel\":\"ERROR\",\"projectname\":\"%s\",\"threadname\":\"main\",\"logger_name\":"
                        + "\"bench.Latency\",\"msg\":\"Payment failed for order %d\"}", timestamp, project, 1000 + i));
                acknowledged.put(project, Instant.now());
            }
            Instant deadline = Instant.now().plus(setting.goal()).plusSeconds(30);
            while (delivered.size() < acknowledged.size() && Instant.now().isBefore(deadline)) {
                sleepUntil(Instant.now().plusMillis(200));
                for (DingTalkEmulator.Accepted message : robot.accepted()) {
                    String text = message.title() + "\n" + message.text();
                    for (String project : acknowledged.keySet()) {
                        if (!delivered.containsKey(project) && text.contains(project)) {
                            delivered.put(project, message.receivedAt());
                        }
                    }
                }
            }
        } finally {
            node.send("DELETE", "/" + index, null);
        }
        List<Duration> latencies = new ArrayList<>();
        acknowledged.forEach((project, ack) -> {
            Instant at = delivered.get(project);
            if (at != null) {
                latencies.add(Duration.between(ack, at));
            }
        });
        return new Result(setting, latencies, acknowledged.size() - latencies.size(),
                (System.nanoTime() - started) / 1e9);
    }

    /** {@code latency-} and two letters: no digits, which a grouping might mask, and no name inside another. */
    private static String project(int i) {
        return "latency-" + (char) ('a' + i / 26) + (char) ('a' + i % 26);
    }

    private static void sleepUntil(Instant at) {
        long millis = Duration.between(Instant.now(), at).toMillis();
        if (millis > 0) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            }
        }
    }
}

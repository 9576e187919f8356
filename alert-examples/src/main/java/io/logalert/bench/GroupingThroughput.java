package io.logalert.bench;

import io.logalert.LogEvent;
import io.logalert.spi.Aggregation;
import io.logalert.spi.Aggregator;
import io.logalert.spi.AggregatorProvider;
import io.logalert.spi.PluginConfig;
import io.logalert.spi.Plugins;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * A quick throughput check of the aggregators, until the JMH benchmarks exist: one thread counts a generated,
 * realistic mix of messages (ids, hosts, users, durations, some stack traces; a fixed seed) in windows of 100,000
 * records, after a warm-up, and prints messages per second per aggregator.
 *
 * <pre>
 * java -cp logalert-demo.jar io.logalert.bench.GroupingThroughput [TYPE…]
 * </pre>
 */
public final class GroupingThroughput {

    private static final int EVENTS = 200_000;
    private static final int WINDOW = 100_000;
    private static final int WARM_UP_ROUNDS = 8;
    private static final int MEASURED_ROUNDS = 8;

    private GroupingThroughput() {
    }

    /** Prints messages per second for each aggregator type given, or for exact, fingerprint and template. */
    public static void main(String[] args) {
        List<String> types = args.length == 0 ? List.of("exact", "fingerprint", "template") : Arrays.asList(args);
        List<LogEvent> events = mix(EVENTS, 42);
        for (String type : types) {
            Aggregator aggregator = Plugins.create(AggregatorProvider.class, type, PluginConfig.empty(),
                    GroupingThroughput.class.getClassLoader());
            for (int i = 0; i < WARM_UP_ROUNDS; i++) {
                run(aggregator, events);
            }
            double[] rates = new double[MEASURED_ROUNDS];
            for (int i = 0; i < MEASURED_ROUNDS; i++) {
                long start = System.nanoTime();
                long groups = run(aggregator, events);
                long nanos = System.nanoTime() - start;
                rates[i] = events.size() * 1e9 / nanos;
                if (groups == 0) {
                    throw new IllegalStateException("no groups");
                }
            }
            Arrays.sort(rates);
            System.out.printf(Locale.ROOT, "%-12s median %,12.0f msg/s   best %,12.0f msg/s%n", type,
                    rates[rates.length / 2], rates[rates.length - 1]);
        }
    }

    private static long run(Aggregator aggregator, List<LogEvent> events) {
        long groups = 0;
        Aggregation aggregation = aggregator.start();
        for (int i = 0; i < events.size(); i++) {
            if (i > 0 && i % WINDOW == 0) {
                groups += aggregation.groups().size();
                aggregation = aggregator.start();
            }
            aggregation.add(events.get(i));
        }
        return groups + aggregation.groups().size();
    }

    /** {@code n} events of a realistic mix, the same for the same seed. */
    static List<LogEvent> mix(int n, long seed) {
        Random random = new Random(seed);
        String[] users = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi"};
        String[] hosts = {"db-1.internal", "api.example.com", "10.0.3.17", "cache-7.eu-west", "[2001:db8::1]:443"};
        String[] projects = {"orders", "billing", "search", "gateway"};
        List<LogEvent> events = new ArrayList<>(n);
        Instant t = Instant.parse("2024-05-01T00:00:00Z");
        for (int i = 0; i < n; i++) {
            String user = users[random.nextInt(users.length)];
            String host = hosts[random.nextInt(hosts.length)];
            int id = random.nextInt(1_000_000);
            String message = switch (random.nextInt(12)) {
                case 0 -> "order " + id + " failed: payment declined for user " + user;
                case 1 -> "Connection to " + host + " timed out after " + random.nextInt(5000) + "ms";
                case 2 -> "Failed to process request id=" + Integer.toHexString(id) + " status=500 path=/api/v1/orders/"
                        + id;
                case 3 -> "User " + user + " exceeded quota: " + random.nextInt(100) + "% of 10GB used";
                case 4 -> "session closed for user " + user;
                case 5 -> "Retrying job " + java.util.UUID.nameUUIDFromBytes(new byte[] {(byte) id}) + " (attempt "
                        + random.nextInt(5) + " of 5)";
                case 6 -> "Could not acquire lock 'inventory-" + id % 50 + "' within 30s, held by worker-"
                        + random.nextInt(16);
                case 7 -> "Unexpected response from " + host + ": HTTP 503 Service Unavailable";
                case 8 -> "Deadlock detected while updating table orders, transaction " + id + " rolled back";
                case 9 -> "Cache miss ratio " + random.nextInt(100) / 100.0 + " above threshold 0.8 for region "
                        + user;
                case 10 -> "Processing order " + id + " failed\njava.lang.IllegalStateException: order " + id
                        + " is closed\n\tat com.example.orders.OrderService.pay(OrderService.java:" + (100 + id % 7)
                        + ")\n\tat com.example.orders.OrderController.pay(OrderController.java:42)"
                        + "\n\tat jdk.internal.reflect.GeneratedMethodAccessor" + id % 9 + ".invoke(Unknown Source)";
                default -> "GC pause of " + random.nextInt(900) + " ms exceeded the 200 ms target on " + host;
            };
            events.add(LogEvent.builder().timestamp(t.plusMillis(i)).project(projects[random.nextInt(4)])
                    .thread("worker-" + random.nextInt(16)).message(message).build());
        }
        return events;
    }
}

package io.logalert.source.elasticsearch;

import io.logalert.LogEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Generates realistic application logs: several projects and threads, Java exceptions with stack traces, and
 * messages carrying order ids, user ids, durations, IP addresses and URLs, so that nearly every message is distinct,
 * as in production. A share of messages repeats verbatim ({@link #repeating(double)}), and some errors carry their
 * stack trace inside the message, making it longer than a keyword's {@code ignore_above}. Deterministic for a seed.
 *
 * <pre>{@code
 * List<LogGenerator.Log> logs = new LogGenerator(42).errorShare(0.8).generate(10_000, from, to).toList();
 * BulkLoader.load(node, "app-logs-1", logs);
 * }</pre>
 *
 * <p>Not thread-safe.
 */
public final class LogGenerator {

    /** The projects logs come from. */
    public static final List<String> PROJECTS = List.of("checkout", "billing", "inventory", "gateway", "search");

    private static final List<String> THREADS = List.of("http-nio-8080-exec-1", "http-nio-8080-exec-7",
            "scheduling-1", "kafka-consumer-orders-0", "ForkJoinPool.commonPool-worker-3", "main");
    private static final List<String> LOGGERS = List.of("com.example.order.OrderService",
            "com.example.pay.PaymentClient", "com.example.stock.StockRepository", "com.example.web.ApiController",
            "org.hibernate.engine.jdbc.spi.SqlExceptionHelper");
    private static final List<String> CONSTANT = List.of("Database connection pool exhausted",
            "Health check failed: downstream service unavailable", "Scheduled job skipped: previous run still active");
    private static final List<String> EXCEPTIONS = List.of("java.lang.IllegalStateException",
            "java.net.SocketTimeoutException", "java.lang.NullPointerException", "java.sql.SQLTransientConnectionException");

    /**
     * One generated record.
     *
     * @param timestamp  when it was logged
     * @param project    the project
     * @param level      the level, e.g. ERROR
     * @param thread     the thread name
     * @param logger     the logger name
     * @param message    the message, sometimes with a stack trace in it
     * @param stackTrace the stack trace kept apart, or empty
     */
    public record Log(Instant timestamp, String project, String level, String thread, String logger, String message,
            String stackTrace) {

        /** The document as the script this project replaces indexes it: {@code @timestamp}, {@code msg}, .... */
        public Map<String, Object> document() {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("@timestamp", timestamp.toString());
            document.put("projectname", project);
            document.put("loglevel", level);
            document.put("threadname", thread);
            document.put("logger_name", logger);
            document.put("msg", message);
            if (!stackTrace.isEmpty()) {
                document.put("stack_trace", stackTrace);
            }
            return document;
        }

        /** Whether the level is ERROR in any case. */
        public boolean isError() {
            return level.equalsIgnoreCase("ERROR");
        }

        /** The record as a source hands it over. */
        public LogEvent event() {
            return LogEvent.builder().timestamp(timestamp).project(project).level(level).thread(thread)
                    .logger(logger).message(message).stackTrace(stackTrace).build();
        }
    }

    private final Random random;
    private double errorShare = 1.0;
    private double repeatingShare = 0.05;
    private static final double STACK_IN_MESSAGE_SHARE = 0.05;

    /** A generator whose output depends only on {@code seed}. */
    public LogGenerator(long seed) {
        this.random = new Random(seed);
    }

    /** The share of records at level ERROR (the rest are WARN and INFO). Default: 1. */
    public LogGenerator errorShare(double share) {
        this.errorShare = share;
        return this;
    }

    /** The share of messages that repeat verbatim (no ids in them). Default: 0.05. */
    public LogGenerator repeatingShare(double share) {
        this.repeatingShare = share;
        return this;
    }

    /** {@code count} records with timestamps spread over {@code [from, to)}, in time order. */
    public Stream<Log> generate(int count, Instant from, Instant to) {
        Objects.requireNonNull(from, "from");
        long span = Duration.between(from, to).toMillis();
        if (span <= 0) {
            throw new IllegalArgumentException("from must be before to");
        }
        return java.util.stream.IntStream.range(0, count).mapToObj(i -> next(from.plusMillis(span * i / count)));
    }

    /** One record logged at {@code timestamp}. */
    public Log next(Instant timestamp) {
        String project = pick(PROJECTS);
        String level = random.nextDouble() < errorShare ? "ERROR" : (random.nextBoolean() ? "WARN" : "INFO");
        String thread = pick(THREADS);
        String logger = pick(LOGGERS);
        double kind = random.nextDouble();
        if (kind < repeatingShare) {
            return new Log(timestamp, project, level, thread, logger, pick(CONSTANT), "");
        }
        if (kind < repeatingShare + STACK_IN_MESSAGE_SHARE) {
            String trace = stackTrace();
            return new Log(timestamp, project, level, thread, logger, "Unhandled exception while handling "
                    + url() + "\n" + trace, "");
        }
        String message = switch (random.nextInt(6)) {
            case 0 -> "Failed to process order " + (100_000 + random.nextInt(900_000)) + " for user u-"
                    + random.nextInt(50_000) + ": timeout after " + (200 + random.nextInt(5_000)) + " ms";
            case 1 -> "Request to " + url() + " failed with status " + pick(List.of("500", "502", "503", "504"))
                    + " from " + ip();
            case 2 -> "Payment gateway declined card ****" + (1000 + random.nextInt(9000)) + " (trace "
                    + new UUID(random.nextLong(), random.nextLong()) + ")";
            case 3 -> "Connection to " + ip() + ":5432 refused, retrying in " + (1 + random.nextInt(30)) + "s";
            case 4 -> "Stock reservation conflict for sku-" + random.nextInt(100_000) + " after "
                    + random.nextInt(10) + " retries in " + random.nextInt(3_000) + " ms";
            default -> "Unhandled exception in " + logger.substring(logger.lastIndexOf('.') + 1) + " for request "
                    + new UUID(random.nextLong(), random.nextLong());
        };
        return new Log(timestamp, project, level, thread, logger, message,
                random.nextInt(3) == 0 ? stackTrace() : "");
    }

    private String stackTrace() {
        StringBuilder trace = new StringBuilder(pick(EXCEPTIONS)).append(": ")
                .append(pick(List.of("boom", "Read timed out", "Connection is not available, request timed out "
                        + "after 30000ms", "Cannot invoke \"Order.id()\" because \"order\" is null")));
        int frames = 5 + random.nextInt(10);
        for (int i = 0; i < frames; i++) {
            String logger = pick(LOGGERS);
            trace.append("\n\tat ").append(logger).append('.').append(pick(List.of("handle", "process", "call",
                    "execute", "lambda$run$0"))).append('(').append(logger.substring(logger.lastIndexOf('.') + 1))
                    .append(".java:").append(10 + random.nextInt(400)).append(')');
        }
        return trace.toString();
    }

    private String url() {
        return "https://api.example.com/v1/" + pick(List.of("orders", "users", "payments", "stock")) + "/"
                + random.nextInt(1_000_000) + "?attempt=" + (1 + random.nextInt(3));
    }

    private String ip() {
        return "10." + random.nextInt(256) + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    private <T> T pick(List<T> values) {
        return values.get(random.nextInt(values.size()));
    }
}

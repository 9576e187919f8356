package io.logalert.examples.demo;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

/**
 * The demo's logs: four projects of an online shop as its log shipper indexes them (the field names of the script
 * logalert replaces: {@code @timestamp}, {@code loglevel}, {@code projectname}, {@code threadname}, {@code msg},
 * {@code logger_name}, {@code stack_trace}). Messages carry what real ones do: order and user ids, durations
 * ({@code cost=5161ms}), IP addresses, URIs, and Java stack traces, in the message or in their own field. A quarter
 * of the records are INFO and WARN, which the pipeline does not read; {@value #EXCLUDED}, a noisy crawler, logs a
 * third of the errors and is excluded. {@link #newKind(Instant)} is an error none of them logged before.
 *
 * <p>Deterministic for a seed, apart from the timestamps. Not thread-safe.
 */
public final class SampleLogs {

    /** The project the demo's pipeline excludes. */
    public static final String EXCLUDED = "fox-data-spiderman";

    /** The projects that log, the excluded one last. */
    public static final List<String> PROJECTS = List.of("order-api", "payment-gateway", "user-center", EXCLUDED);

    /**
     * One record.
     *
     * @param timestamp when it was logged
     * @param project   its project
     * @param level     its level
     * @param source    the document as indexed
     */
    public record Doc(Instant timestamp, String project, String level, Map<String, Object> source) {

        /** Whether the pipeline reads it: level ERROR. */
        public boolean isError() {
            return level.equals("ERROR");
        }
    }

    private interface Message {
        Doc make(Instant at);
    }

    private record Kind(int weight, Message message) {
    }

    private final Random random;
    private final List<Kind> kinds = new ArrayList<>();
    private int totalWeight;

    /** Logs whose content depends only on {@code seed}. */
    public SampleLogs(long seed) {
        this.random = new Random(seed);
        // order-api
        kind(10, at -> error(at, "order-api", "com.fox.order.service.OrderService",
                "create order failed, orderId=" + (202_611_300_000_000L + random.nextInt(9_999_999)) + ", userId="
                        + (100_000 + random.nextInt(900_000)) + ", cost=" + (800 + random.nextInt(6_000)) + "ms",
                ""));
        kind(6, at -> error(at, "order-api", "com.fox.order.client.InventoryClient",
                "call inventory-service http://" + ip("10.12") + ":8080/api/v2/stock/lock?sku="
                        + (10_000 + random.nextInt(90_000)) + " timed out, cost=" + (3_000 + random.nextInt(40))
                        + "ms", ""));
        kind(4, at -> error(at, "order-api", "com.fox.order.web.GlobalExceptionHandler",
                "Unhandled exception on POST /api/orders/" + (202_611_300_000_000L + random.nextInt(9_999_999))
                        + "/pay\n" + npe(), ""));
        // payment-gateway
        kind(8, at -> error(at, "payment-gateway", "com.fox.pay.alipay.NotifyController",
                "alipay notify verify sign failed, tradeNo=2026113022001" + (400_000_000L + random.nextInt(99_999_999))
                        + ", from " + ip("110.75"), ""));
        kind(5, at -> error(at, "payment-gateway", "com.fox.pay.wechat.RefundService",
                "wechat pay refund " + new UUID(random.nextLong(), random.nextLong()) + " timed out after "
                        + (10_000 + random.nextInt(50)) + "ms, will retry", ""));
        // user-center
        kind(7, at -> error(at, "user-center", "com.fox.user.session.SessionStore",
                "redis GET session:" + Long.toHexString(random.nextLong()) + " failed: Read timed out, cost="
                        + (2_000 + random.nextInt(20)) + "ms", ""));
        kind(4, at -> error(at, "user-center", "com.fox.user.service.UserQueryService",
                "query user " + (100_000 + random.nextInt(900_000)) + " failed", hikari()));
        // fox-data-spiderman, excluded
        kind(16, at -> error(at, EXCLUDED, "com.fox.spider.Fetcher",
                "crawl https://item.example.com/detail/" + random.nextInt(10_000_000) + ".html failed: HTTP 403 via "
                        + "proxy " + ip("47.98") + ":3128", ""));
        kind(5, at -> error(at, EXCLUDED, "com.fox.spider.PageParser",
                "parse page " + random.nextInt(10_000_000) + " failed: unexpected token at line "
                        + random.nextInt(2_000), ""));
        // INFO and WARN, in every project
        kind(14, at -> {
            String project = PROJECTS.get(random.nextInt(PROJECTS.size()));
            return doc(at, project, "INFO", "com.fox.common.web.AccessLog", "GET /api/v1/items/"
                    + random.nextInt(100_000) + " 200 cost=" + random.nextInt(300) + "ms from " + ip("183.14"), "");
        });
        kind(6, at -> {
            String project = PROJECTS.get(random.nextInt(PROJECTS.size()));
            return doc(at, project, "WARN", "com.fox.common.db.SlowSqlInterceptor", "slow sql took "
                    + (1_000 + random.nextInt(4_000)) + "ms: select * from t_order where user_id = "
                    + random.nextInt(900_000), "");
        });
    }

    /** {@code count} records with timestamps spread over {@code [from, to)}, in time order. */
    public List<Doc> between(Instant from, Instant to, int count) {
        long span = Duration.between(from, to).toMillis();
        if (span <= 0) {
            throw new IllegalArgumentException("from must be before to");
        }
        List<Doc> docs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            docs.add(next(from.plusMillis(span * i / count)));
        }
        return docs;
    }

    /** One record of the usual kinds, logged at {@code at}. */
    public Doc next(Instant at) {
        int pick = random.nextInt(totalWeight);
        for (Kind kind : kinds) {
            pick -= kind.weight();
            if (pick < 0) {
                return kind.message().make(at);
            }
        }
        throw new AssertionError("weights");
    }

    /** An error no project logged before: a deadlock while settling payments, with its stack trace. */
    public Doc newKind(Instant at) {
        return error(at, "payment-gateway", "com.fox.pay.settle.SettlementJob", "settle batch "
                + (20_261_130_000L + random.nextInt(99_999)) + " failed: Deadlock found when trying to get lock",
                "org.springframework.dao.DeadlockLoserDataAccessException: PreparedStatementCallback; "
                        + "Deadlock found when trying to get lock; try restarting transaction"
                        + "\n\tat org.springframework.jdbc.core.JdbcTemplate.translateException(JdbcTemplate.java:1575)"
                        + "\n\tat org.springframework.jdbc.core.JdbcTemplate.update(JdbcTemplate.java:1005)"
                        + "\n\tat com.fox.pay.settle.SettlementDao.markSettled(SettlementDao.java:64)"
                        + "\n\tat com.fox.pay.settle.SettlementJob.run(SettlementJob.java:118)"
                        + "\nCaused by: com.mysql.cj.jdbc.exceptions.MySQLTransactionRollbackException: Deadlock "
                        + "found when trying to get lock; try restarting transaction");
    }

    private void kind(int weight, Message message) {
        kinds.add(new Kind(weight, message));
        totalWeight += weight;
    }

    private Doc error(Instant at, String project, String logger, String message, String stackTrace) {
        return doc(at, project, "ERROR", logger, message, stackTrace);
    }

    private Doc doc(Instant instant, String project, String level, String logger, String message,
            String stackTrace) {
        // milliseconds, as a date field keeps them
        Instant at = instant.truncatedTo(ChronoUnit.MILLIS);
        Map<String, Object> source = new LinkedHashMap<>();
        source.put("@timestamp", at.toString());
        source.put("loglevel", level);
        source.put("projectname", project);
        source.put("threadname", thread());
        source.put("logger_name", logger);
        source.put("msg", message);
        if (!stackTrace.isEmpty()) {
            source.put("stack_trace", stackTrace);
        }
        return new Doc(at, project, level, source);
    }

    private String thread() {
        return switch (random.nextInt(4)) {
            case 0 -> "http-nio-8080-exec-" + (1 + random.nextInt(200));
            case 1 -> "XNIO-1 task-" + (1 + random.nextInt(64));
            case 2 -> "kafka-consumer-orders-" + random.nextInt(6);
            default -> "scheduling-" + (1 + random.nextInt(4));
        };
    }

    private String ip(String prefix) {
        return prefix + "." + random.nextInt(256) + "." + (1 + random.nextInt(254));
    }

    private String npe() {
        return "java.lang.NullPointerException: Cannot invoke \"com.fox.order.model.Coupon.getAmount()\" because "
                + "\"coupon\" is null"
                + "\n\tat com.fox.order.service.PriceCalculator.apply(PriceCalculator.java:" + (80 + random.nextInt(3))
                + ")"
                + "\n\tat com.fox.order.service.OrderService.pay(OrderService.java:214)"
                + "\n\tat com.fox.order.web.OrderController.pay(OrderController.java:77)"
                + "\n\tat java.base/jdk.internal.reflect.DirectMethodHandleAccessor.invoke(DirectMethodHandleAccessor.java:103)"
                + "\n\tat org.springframework.web.method.support.InvocableHandlerMethod.doInvoke(InvocableHandlerMethod.java:255)";
    }

    private static String hikari() {
        return "org.springframework.jdbc.CannotGetJdbcConnectionException: Failed to obtain JDBC Connection"
                + "\n\tat org.springframework.jdbc.datasource.DataSourceUtils.getConnection(DataSourceUtils.java:84)"
                + "\n\tat org.springframework.jdbc.core.JdbcTemplate.execute(JdbcTemplate.java:653)"
                + "\n\tat com.fox.user.service.UserQueryService.find(UserQueryService.java:41)"
                + "\nCaused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not available, "
                + "request timed out after 30000ms."
                + "\n\tat com.zaxxer.hikari.pool.HikariPool.createTimeoutException(HikariPool.java:696)";
    }
}

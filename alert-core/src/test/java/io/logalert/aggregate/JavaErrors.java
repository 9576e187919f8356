package io.logalert.aggregate;

import io.logalert.LogEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.function.Function;

/**
 * A labelled generator of the errors Java applications log: ERROR lines with ids, user and host names, amounts and
 * durations, and stack traces with {@code Caused by:} chains, {@code ... N more}, lambdas, proxies and classes
 * generated at run time ({@code $$EnhancerBySpringCGLIB$$…}, {@code $Proxy12}, {@code GeneratedMethodAccessor…}).
 * Each kind is one place in the code that fails one way; every record it makes has fresh ids, so a test can learn on
 * some records and group others it never saw.
 *
 * <p>The kinds are meant to be hard in the ways real ones are: several share an exception type and differ in its
 * message only ({@link #VALIDATION}), several share the log line and the top exception and differ in the root cause
 * only ({@link #ROOT_CAUSES}), several have the same log line and differ in the exception, some carry the trace in
 * the message rather than the stack trace field, some have no trace at all, and some have a variable that is a word
 * (a user, a host, a queue) rather than a number.
 */
final class JavaErrors {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
        "ivan", "judy", "mallory", "niaj", "olivia", "peggy", "rupert", "sybil", "trent", "victor", "walter",
        "xavier", "yvonne", "zoe", "quentin", "ursula", "oscar", "nadia", "liam", "kate", "jonas", "ingrid"};
    private static final String[] QUEUES = {"orders", "refunds", "emails", "invoices", "audit", "search-index",
        "thumbnails", "payouts", "webhooks", "exports", "imports", "reminders"};
    private static final String[] HOSTS = {"db-primary.internal", "db-replica.internal", "cache.internal",
        "search.internal", "payments.example.net", "mail.example.net", "auth.internal", "ledger.internal",
        "s3.eu-west.example.com", "kafka.internal", "inventory.internal", "geo.example.org"};

    /** One kind: its label, how to make a record, and whether its trace is in the message. */
    record Kind(String label, Function<Random, LogEvent> make) {
    }

    /** A labelled record. */
    record Labelled(String label, LogEvent event) {
    }

    /** Kinds that throw the same exception type from the same frames and differ only in its message. */
    static final List<String> VALIDATION = List.of("validate-amount", "validate-currency", "validate-email",
        "validate-quantity", "validate-sku");

    /** Kinds with the same log line and top exception whose root causes differ. */
    static final List<String> ROOT_CAUSES = List.of("inventory-timeout", "inventory-refused", "inventory-unknown-host",
        "inventory-ssl");

    private JavaErrors() {
    }

    /** Every kind. */
    static List<Kind> kinds() {
        List<Kind> kinds = new ArrayList<>();
        plainLines(kinds);
        validation(kinds);
        rootCauses(kinds);
        sameLineOtherException(kinds);
        persistence(kinds);
        generatedClasses(kinds);
        tracesInTheMessage(kinds);
        structuredMessages(kinds);
        return kinds;
    }

    /** {@code count} records of {@code kind}, each with fresh values from {@code random}. */
    static List<Labelled> records(Kind kind, int count, Random random) {
        List<Labelled> records = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            records.add(new Labelled(kind.label(), kind.make().apply(random)));
        }
        return records;
    }

    // ---- kinds without a stack trace: application ERROR lines with ids and names

    private static void plainLines(List<Kind> kinds) {
        line(kinds, "payment-declined", r -> "Payment " + id(r) + " declined by gateway: insufficient funds");
        line(kinds, "payment-expired", r -> "Payment " + id(r) + " declined by gateway: card expired");
        line(kinds, "payment-fraud", r -> "Payment " + id(r) + " declined by gateway: suspected fraud");
        line(kinds, "login-failed", r -> "Login failed for user " + user(r) + " from " + ip(r));
        line(kinds, "login-locked", r -> "Account " + user(r) + " locked after " + (3 + r.nextInt(5))
                + " failed attempts");
        line(kinds, "slow-query", r -> "Slow query on table orders took " + r.nextInt(9000) + " ms (limit 500 ms)");
        line(kinds, "queue-full", r -> "Queue " + pick(r, QUEUES) + " is full (" + (1000 + r.nextInt(9000))
                + " messages), dropping message " + uuid(r));
        line(kinds, "webhook-status", r -> "Webhook delivery to https://hooks.example.com/" + hex(r, 12)
                + " failed with status " + (500 + r.nextInt(4)) + " after " + r.nextInt(5) + " retries");
        line(kinds, "cache-evict", r -> "Cache region sessions evicted " + r.nextInt(100000) + " entries in "
                + r.nextInt(900) + "ms");
        line(kinds, "job-overrun", r -> "Scheduled job reportExport overran its slot by " + r.nextInt(600)
                + "s, run " + uuid(r));
        line(kinds, "rate-limited", r -> "Rate limit exceeded for API key " + hex(r, 16) + " on /api/v2/orders ("
                + (100 + r.nextInt(900)) + " requests in 60s)");
        line(kinds, "upstream-5xx", r -> "Upstream " + pick(r, HOSTS) + " answered 503 for request " + uuid(r));
        line(kinds, "quoted-get", r -> "Request \"GET /api/orders/" + id(r) + " HTTP/1.1\" failed in "
                + r.nextInt(3000) + " ms");
        line(kinds, "quoted-delete", r -> "Request \"DELETE /api/orders/" + id(r) + " HTTP/1.1\" failed in "
                + r.nextInt(3000) + " ms");
        line(kinds, "refund-optional", r -> "Refund " + id(r) + " rejected: amount " + amount(r) + " EUR");
        line(kinds, "refund-optional-reason", r -> "Refund " + id(r) + " rejected: amount " + amount(r)
                + " EUR reason=" + pick(r, USERS));
        line(kinds, "batch-ids", r -> "Batch " + id(r) + " failed for ids " + idList(r));
        line(kinds, "disk-low", r -> "Disk space low on " + pick(r, HOSTS) + ": " + r.nextInt(10) + "."
                + r.nextInt(10) + " GB free");
    }

    // ---- one validator, one exception type, several messages

    private static void validation(List<Kind> kinds) {
        String[] messages = {"amount must be positive, was %s", "unknown currency %s", "invalid e-mail address %s",
            "quantity must be between 1 and 99, was %s", "no product with SKU %s"};
        for (int k = 0; k < VALIDATION.size(); k++) {
            String message = messages[k];
            int kind = k;
            traced(kinds, VALIDATION.get(k), r -> "Request " + uuid(r) + " rejected",
                    r -> "java.lang.IllegalArgumentException: " + String.format(Locale.ROOT, message,
                            switch (kind) {
                                case 0 -> "-" + amount(r);
                                case 1 -> "X" + (char) ('A' + r.nextInt(26)) + (char) ('A' + r.nextInt(26));
                                case 2 -> pick(r, USERS) + "@" + pick(r, HOSTS).replace(".internal", "");
                                case 3 -> Integer.toString(100 + r.nextInt(900));
                                default -> "SKU-" + (10000 + r.nextInt(90000));
                            })
                            + frames(r, "com.shop.api.OrderValidator.validate", "com.shop.api.OrderController.create",
                                    "com.shop.api.OrderController$$EnhancerBySpringCGLIB$$" + hex(r, 8) + ".create")
                            + more(r));
        }
    }

    // ---- same line, same wrapper, different root causes

    private static void rootCauses(List<Kind> kinds) {
        String[][] causes = {
            {"java.net.SocketTimeoutException: Read timed out", "java.net.SocketInputStream.socketRead0"},
            {"java.net.ConnectException: Connection refused", "sun.nio.ch.Net.connect0"},
            {"java.net.UnknownHostException: %h", "java.net.InetAddress.getAllByName0"},
            {"javax.net.ssl.SSLHandshakeException: PKIX path building failed", "sun.security.ssl.Alert.createSSLException"},
        };
        for (int k = 0; k < ROOT_CAUSES.size(); k++) {
            String[] cause = causes[k];
            traced(kinds, ROOT_CAUSES.get(k), r -> "Stock check failed for order " + id(r),
                    r -> "org.springframework.web.client.ResourceAccessException: I/O error on GET request for \""
                            + "http://inventory.internal/api/stock/" + id(r) + "\": " + cause[0].replace("%h",
                                    pick(r, HOSTS)).replaceAll("^[^:]*: ", "")
                            + frames(r, "org.springframework.web.client.RestTemplate.doExecute",
                                    "org.springframework.web.client.RestTemplate.execute",
                                    "com.shop.inventory.StockClient.check",
                                    "com.shop.orders.OrderService.lambda$place$3")
                            + "\nCaused by: " + cause[0].replace("%h", pick(r, HOSTS))
                            + frames(r, cause[1], "java.net.Socket.connect") + more(r));
        }
    }

    // ---- the same log line, different exceptions from different places

    private static void sameLineOtherException(List<Kind> kinds) {
        String line = "Unhandled exception in request ";
        traced(kinds, "unhandled-npe", r -> line + uuid(r), r -> "java.lang.NullPointerException: Cannot invoke "
                + "\"com.shop.model.Customer.getAddress()\" because \"customer\" is null"
                + frames(r, "com.shop.shipping.LabelPrinter.print", "com.shop.shipping.ShippingService.ship"));
        traced(kinds, "unhandled-ise-shipped", r -> line + uuid(r), r -> "java.lang.IllegalStateException: Order "
                + id(r) + " is already shipped"
                + frames(r, "com.shop.orders.Order.cancel", "com.shop.orders.OrderService.cancel"));
        traced(kinds, "unhandled-ise-empty", r -> line + uuid(r), r -> "java.lang.IllegalStateException: Cart "
                + uuid(r) + " is empty"
                + frames(r, "com.shop.cart.CartService.checkout", "com.shop.api.CartController.checkout"));
        traced(kinds, "unhandled-cce", r -> line + uuid(r), r -> "java.lang.ClassCastException: class "
                + "java.lang.String cannot be cast to class java.lang.Long"
                + frames(r, "com.shop.reports.ReportRow.total", "com.shop.reports.ReportService.build"));
        traced(kinds, "unhandled-aioobe", r -> line + uuid(r), r -> "java.lang.ArrayIndexOutOfBoundsException: "
                + "Index " + r.nextInt(20) + " out of bounds for length " + r.nextInt(20)
                + frames(r, "com.shop.csv.CsvParser.field", "com.shop.imports.ImportJob.row"));
        traced(kinds, "unhandled-nfe", r -> line + uuid(r), r -> "java.lang.NumberFormatException: For input "
                + "string: \"" + hex(r, 5) + "\""
                + frames(r, "java.lang.NumberFormatException.forInputString", "java.lang.Integer.parseInt",
                        "com.shop.imports.ImportJob.quantity"));
        traced(kinds, "unhandled-uoe", r -> line + uuid(r), r -> "java.lang.UnsupportedOperationException"
                + frames(r, "java.util.ImmutableCollections.uoe", "java.util.ImmutableCollections$AbstractImmutableList.add",
                        "com.shop.cart.Cart.addLine"));
        traced(kinds, "unhandled-cme", r -> line + uuid(r), r -> "java.util.ConcurrentModificationException"
                + frames(r, "java.util.ArrayList$Itr.checkForComodification", "java.util.ArrayList$Itr.next",
                        "com.shop.promo.PromoEngine.apply"));
        traced(kinds, "unhandled-access", r -> line + uuid(r), r -> "org.springframework.security.access."
                + "AccessDeniedException: Access is denied"
                + frames(r, "org.springframework.security.access.vote.AffirmativeBased.decide",
                        "org.springframework.security.access.intercept.AbstractSecurityInterceptor.beforeInvocation"));
        traced(kinds, "unhandled-timeout", r -> line + uuid(r), r -> "java.util.concurrent.TimeoutException: "
                + "Did not observe any item or terminal signal within " + (1000 + r.nextInt(9000)) + "ms"
                + frames(r, "reactor.core.publisher.FluxTimeout$TimeoutMainSubscriber.handleTimeout",
                        "reactor.core.publisher.FluxTimeout$TimeoutTimeoutSubscriber.onNext"));
    }

    // ---- databases, transactions, messaging

    private static void persistence(List<Kind> kinds) {
        traced(kinds, "duplicate-email", r -> "Could not register customer " + user(r),
                r -> "org.springframework.dao.DataIntegrityViolationException: could not execute statement; SQL "
                        + "[n/a]; constraint [uk_customer_email]"
                        + frames(r, "org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException",
                                "org.springframework.orm.jpa.JpaTransactionManager.doCommit")
                        + "\nCaused by: org.postgresql.util.PSQLException: ERROR: duplicate key value violates unique"
                        + " constraint \"uk_customer_email\"\n  Detail: Key (email)=(" + user(r)
                        + "@example.com) already exists."
                        + frames(r, "org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse") + more(r));
        traced(kinds, "duplicate-order-number", r -> "Could not save order " + id(r),
                r -> "org.springframework.dao.DataIntegrityViolationException: could not execute statement; SQL "
                        + "[n/a]; constraint [uk_order_number]"
                        + frames(r, "org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException",
                                "org.springframework.orm.jpa.JpaTransactionManager.doCommit")
                        + "\nCaused by: org.postgresql.util.PSQLException: ERROR: duplicate key value violates unique"
                        + " constraint \"uk_order_number\"\n  Detail: Key (number)=(" + id(r) + ") already exists."
                        + frames(r, "org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse") + more(r));
        traced(kinds, "deadlock", r -> "Transaction rolled back for order " + id(r),
                r -> "org.springframework.dao.CannotAcquireLockException: could not execute statement"
                        + frames(r, "org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException",
                                "org.springframework.orm.jpa.JpaTransactionManager.doCommit")
                        + "\nCaused by: org.postgresql.util.PSQLException: ERROR: deadlock detected\n  Detail: Process "
                        + r.nextInt(99999) + " waits for ShareLock on transaction " + r.nextInt(999999)
                        + frames(r, "org.postgresql.core.v3.QueryExecutorImpl.receiveErrorResponse") + more(r));
        traced(kinds, "pool-exhausted", r -> "Could not open JPA EntityManager for transaction",
                r -> "org.springframework.transaction.CannotCreateTransactionException: Could not open JPA "
                        + "EntityManager for transaction"
                        + frames(r, "org.springframework.orm.jpa.JpaTransactionManager.doBegin",
                                "org.springframework.transaction.support.AbstractPlatformTransactionManager.startTransaction")
                        + "\nCaused by: java.sql.SQLTransientConnectionException: HikariPool-1 - Connection is not "
                        + "available, request timed out after " + (30000 + r.nextInt(5)) + "ms."
                        + frames(r, "com.zaxxer.hikari.pool.HikariPool.createTimeoutException") + more(r));
        traced(kinds, "optimistic-lock", r -> "Concurrent update of stock for SKU-" + (10000 + r.nextInt(90000)),
                r -> "org.springframework.orm.ObjectOptimisticLockingFailureException: Row was updated or deleted by "
                        + "another transaction (or unsaved-value mapping was incorrect) : [com.shop.inventory.Stock#"
                        + id(r) + "]"
                        + frames(r, "org.springframework.orm.jpa.vendor.HibernateJpaDialect.convertHibernateAccessException",
                                "jdk.proxy2.$Proxy" + (100 + r.nextInt(80)) + ".save",
                                "com.shop.inventory.StockService.reserve"));
        traced(kinds, "entity-not-found", r -> "Lookup failed for customer " + id(r),
                r -> "jakarta.persistence.EntityNotFoundException: Unable to find com.shop.model.Customer with id "
                        + id(r)
                        + frames(r, "org.hibernate.jpa.boot.internal.EntityManagerFactoryBuilderImpl$JpaEntityNotFoundDelegate.handleEntityNotFound",
                                "com.shop.customers.CustomerService.get"));
        traced(kinds, "kafka-send", r -> "Could not publish event " + uuid(r) + " to topic order-events",
                r -> "org.apache.kafka.common.errors.TimeoutException: Expiring " + (1 + r.nextInt(40))
                        + " record(s) for order-events-" + r.nextInt(12) + ":" + (120000 + r.nextInt(9)) + " ms has "
                        + "passed since batch creation"
                        + frames(r, "org.apache.kafka.clients.producer.internals.ProducerBatch.completeExceptionally"));
        traced(kinds, "kafka-deserialize", r -> "Skipping record at offset " + r.nextInt(9999999) + " of "
                        + pick(r, QUEUES) + "-" + r.nextInt(12),
                r -> "org.apache.kafka.common.errors.SerializationException: Error deserializing key/value for "
                        + "partition " + pick(r, QUEUES) + "-" + r.nextInt(12) + " at offset " + r.nextInt(9999999)
                        + frames(r, "org.apache.kafka.clients.consumer.internals.Fetcher.parseRecord")
                        + "\nCaused by: com.fasterxml.jackson.core.JsonParseException: Unexpected character ('"
                        + (char) ('a' + r.nextInt(26)) + "' (code " + (97 + r.nextInt(26)) + ")): expected a valid "
                        + "value\n at [Source: (byte[])\"" + hex(r, 10) + "\"; line: 1, column: " + r.nextInt(80) + "]"
                        + frames(r, "com.fasterxml.jackson.core.JsonParser._constructError") + more(r));
        traced(kinds, "redis-down", r -> "Cache read failed for key session:" + hex(r, 24),
                r -> "org.springframework.data.redis.RedisConnectionFailureException: Unable to connect to Redis"
                        + frames(r, "org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory$ExceptionTranslatingConnectionProvider.translateException")
                        + "\nCaused by: io.lettuce.core.RedisConnectionException: Unable to connect to "
                        + pick(r, HOSTS) + "/" + ip(r) + ":6379"
                        + frames(r, "io.lettuce.core.RedisConnectionException.create") + more(r));
        traced(kinds, "mail-auth", r -> "Could not send confirmation to " + user(r) + "@example.com",
                r -> "org.springframework.mail.MailAuthenticationException: Authentication failed"
                        + frames(r, "org.springframework.mail.javamail.JavaMailSenderImpl.doSend")
                        + "\nCaused by: jakarta.mail.AuthenticationFailedException: 535 5.7.8 Username and Password "
                        + "not accepted"
                        + frames(r, "com.sun.mail.smtp.SMTPTransport$Authenticator.authenticate") + more(r));
        traced(kinds, "s3-denied", r -> "Upload of invoice " + id(r) + ".pdf failed",
                r -> "software.amazon.awssdk.services.s3.model.S3Exception: Access Denied (Service: S3, Status Code: "
                        + "403, Request ID: " + hex(r, 16).toUpperCase(Locale.ROOT) + ")"
                        + frames(r, "software.amazon.awssdk.core.internal.http.CombinedResponseHandler.handleErrorResponse",
                                "com.shop.invoices.InvoiceStore.put"));
        traced(kinds, "oom", r -> "Export " + uuid(r) + " aborted",
                r -> "java.lang.OutOfMemoryError: Java heap space"
                        + frames(r, "java.util.Arrays.copyOf", "java.io.ByteArrayOutputStream.grow",
                                "com.shop.exports.CsvExport.write"));
        traced(kinds, "stack-overflow", r -> "Rendering category tree " + id(r) + " failed",
                r -> "java.lang.StackOverflowError"
                        + frames(r, "com.shop.catalog.CategoryTree.depth", "com.shop.catalog.CategoryTree.depth",
                                "com.shop.catalog.CategoryTree.depth"));
    }

    // ---- proxies, lambdas, reflection, generated classes

    private static void generatedClasses(List<Kind> kinds) {
        traced(kinds, "proxy-payment", r -> "Payment capture " + id(r) + " failed",
                r -> "com.shop.payments.GatewayException: gateway answered 502"
                        + frames(r, "com.shop.payments.StripeGateway.capture",
                                "com.shop.payments.StripeGateway$$EnhancerBySpringCGLIB$$" + hex(r, 8) + ".capture",
                                "jdk.internal.reflect.GeneratedMethodAccessor" + (40 + r.nextInt(300)) + ".invoke",
                                "java.base/jdk.internal.reflect.DelegatingMethodAccessorImpl.invoke") + more(r));
        traced(kinds, "proxy-repository", r -> "Saving basket " + uuid(r) + " failed",
                r -> "org.springframework.dao.InvalidDataAccessApiUsageException: detached entity passed to persist: "
                        + "com.shop.cart.Basket"
                        + frames(r, "com.sun.proxy.$Proxy" + (80 + r.nextInt(60)) + ".save",
                                "com.shop.cart.BasketService.save", "com.shop.cart.BasketService$$FastClassBySpringCGLIB$$"
                                        + hex(r, 8) + ".invoke"));
        traced(kinds, "lambda-stream", r -> "Pricing failed for catalogue " + id(r),
                r -> "java.lang.ArithmeticException: / by zero"
                        + frames(r, "com.shop.pricing.PriceCalculator.lambda$unitPrices$2",
                                "java.util.stream.ReferencePipeline$3$1.accept",
                                "com.shop.pricing.PriceCalculator.unitPrices"));
        traced(kinds, "lambda-async", r -> "Async task " + uuid(r) + " failed",
                r -> "java.util.concurrent.CompletionException: java.lang.IllegalStateException: token expired"
                        + frames(r, "java.util.concurrent.CompletableFuture.encodeThrowable",
                                "java.util.concurrent.CompletableFuture$AsyncSupply.run")
                        + "\nCaused by: java.lang.IllegalStateException: token expired"
                        + frames(r, "com.shop.auth.TokenService.lambda$refresh$0",
                                "com.shop.auth.TokenService$$Lambda$" + (900 + r.nextInt(99)) + "/0x0000000800"
                                        + hex(r, 6) + ".get") + more(r));
        traced(kinds, "reflection-invoke", r -> "Handler for event " + uuid(r) + " threw",
                r -> "java.lang.reflect.InvocationTargetException"
                        + frames(r, "jdk.internal.reflect.NativeMethodAccessorImpl.invoke0",
                                "jdk.internal.reflect.NativeMethodAccessorImpl.invoke")
                        + "\nCaused by: java.lang.IllegalArgumentException: unknown event type "
                        + pick(r, QUEUES).toUpperCase(Locale.ROOT)
                        + frames(r, "com.shop.events.EventRouter.route") + more(r));
        traced(kinds, "inner-class", r -> "Nightly reconciliation failed for ledger " + id(r),
                r -> "com.shop.ledger.ReconciliationException: " + (1 + r.nextInt(50)) + " entries do not balance"
                        + frames(r, "com.shop.ledger.Reconciler$1.visit", "com.shop.ledger.Ledger.walk",
                                "com.shop.ledger.Reconciler.run"));
        traced(kinds, "jackson-unknown", r -> "Webhook payload from partner " + id(r) + " rejected",
                r -> "com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException: Unrecognized field \""
                        + pick(r, QUEUES) + "\" (class com.shop.webhooks.PartnerEvent), not marked as ignorable"
                        + frames(r, "com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException.from",
                                "com.shop.webhooks.WebhookController.receive"));
        traced(kinds, "feign-404", r -> "Customer profile " + id(r) + " unavailable",
                r -> "feign.FeignException$NotFound: [404 Not Found] during [GET] to [http://profiles/api/customers/"
                        + id(r) + "] [ProfileClient#get(Long)]: []"
                        + frames(r, "feign.FeignException.clientErrorStatus", "feign.SynchronousMethodHandler.invoke",
                                "jdk.proxy3.$Proxy" + (150 + r.nextInt(50)) + ".get"));
    }

    // ---- traces inside the message (no stack trace field)

    private static void tracesInTheMessage(List<Kind> kinds) {
        kinds.add(new Kind("message-trace-io", r -> event(r, "Report upload " + id(r) + " failed\n"
                + "java.io.IOException: Broken pipe"
                + frames(r, "sun.nio.ch.FileDispatcherImpl.write0", "com.shop.reports.Uploader.send") + more(r), "")));
        kinds.add(new Kind("message-trace-ise", r -> event(r, "java.lang.IllegalStateException: Coupon "
                + hex(r, 8).toUpperCase(Locale.ROOT) + " already redeemed"
                + frames(r, "com.shop.promo.Coupon.redeem", "com.shop.promo.PromoService.apply"), "")));
        kinds.add(new Kind("message-trace-caused", r -> event(r, "Import " + uuid(r) + " aborted at line "
                + r.nextInt(100000) + "\ncom.shop.imports.ImportException: bad row"
                + frames(r, "com.shop.imports.ImportJob.row")
                + "\nCaused by: java.time.format.DateTimeParseException: Text '" + r.nextInt(40) + "/13/2024' could "
                + "not be parsed at index 0" + frames(r, "java.time.format.DateTimeFormatter.parseResolved0")
                + more(r), "")));
    }

    // ---- messages whose first line holds no word

    private static void structuredMessages(List<Kind> kinds) {
        kinds.add(new Kind("json-payment", r -> event(r, "{\n  \"error\": \"payment_failed\",\n  \"order\": "
                + id(r) + ",\n  \"reason\": \"card declined\"\n}", "")));
        kinds.add(new Kind("json-shipping", r -> event(r, "{\n  \"error\": \"shipping_unavailable\",\n  \"order\": "
                + id(r) + ",\n  \"carrier\": \"dhl\"\n}", "")));
        kinds.add(new Kind("banner-migration", r -> event(r, "------------------------------\nDatabase migration V"
                + (10 + r.nextInt(90)) + " failed on checksum\n------------------------------", "")));
        kinds.add(new Kind("banner-startup", r -> event(r, "******************************\nAPPLICATION FAILED TO START"
                + "\n******************************\nPort " + (8000 + r.nextInt(100)) + " was already in use.", "")));
    }

    // ---- building blocks

    private static void line(List<Kind> kinds, String label, Function<Random, String> message) {
        kinds.add(new Kind(label, r -> event(r, message.apply(r), "")));
    }

    private static void traced(List<Kind> kinds, String label, Function<Random, String> message,
            Function<Random, String> trace) {
        kinds.add(new Kind(label, r -> event(r, message.apply(r), trace.apply(r))));
    }

    private static LogEvent event(Random r, String message, String trace) {
        return LogEvent.builder().timestamp(T0.plusMillis(r.nextInt(60_000))).project("shop").message(message)
                .stackTrace(trace).thread("http-nio-8080-exec-" + (1 + r.nextInt(200))).build();
    }

    /** The frames given, each with a file and a line number that differ between builds, and a few common callers. */
    private static String frames(Random r, String... methods) {
        StringBuilder out = new StringBuilder();
        for (String method : methods) {
            String type = method.substring(0, method.lastIndexOf('.'));
            String file = type.substring(type.lastIndexOf('.') + 1);
            int dollar = file.indexOf('$');
            file = dollar > 0 ? file.substring(0, dollar) : file;
            boolean generated = method.contains("$$") || method.contains("$Proxy") || method.contains("Generated");
            out.append("\n\tat ").append(method).append('(')
                    .append(generated ? "<generated>" : file + ".java:" + (10 + r.nextInt(400))).append(')');
        }
        out.append("\n\tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:")
                .append(880 + r.nextInt(20)).append(')');
        out.append("\n\tat java.base/java.lang.Thread.run(Thread.java:840)");
        return out.toString();
    }

    private static String more(Random r) {
        return "\n\t... " + (20 + r.nextInt(60)) + " more";
    }

    private static String id(Random r) {
        return Integer.toString(100000 + r.nextInt(900000));
    }

    private static String uuid(Random r) {
        return new java.util.UUID(r.nextLong(), r.nextLong()).toString();
    }

    private static String hex(Random r, int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append("0123456789abcdef".charAt(r.nextInt(16)));
        }
        return out.toString();
    }

    private static String ip(Random r) {
        return "10." + r.nextInt(256) + "." + r.nextInt(256) + "." + (1 + r.nextInt(254));
    }

    private static String amount(Random r) {
        return r.nextInt(5000) + "." + (10 + r.nextInt(90));
    }

    private static String user(Random r) {
        return pick(r, USERS);
    }

    private static String pick(Random r, String[] values) {
        return values[r.nextInt(values.length)];
    }

    private static String idList(Random r) {
        StringBuilder out = new StringBuilder("[");
        int n = 1 + r.nextInt(5);
        for (int i = 0; i < n; i++) {
            out.append(i == 0 ? "" : ", ").append(id(r));
        }
        return out.append(']').toString();
    }
}

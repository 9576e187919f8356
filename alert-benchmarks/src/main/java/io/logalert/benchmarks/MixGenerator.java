package io.logalert.benchmarks;

import io.logalert.LogEvent;
import io.logalert.TimeWindow;
import io.logalert.source.elasticsearch.LogGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * The benchmark's log mix: {@code errors} ERROR records over {@value #PROJECTS} projects, drawn from {@code kinds}
 * kinds of error (5,000 by default) with a Zipf(1) popularity, so that a few kinds dominate and every kind still
 * occurs; plus {@code noise} records that the source must skip (INFO/WARN inside the window, and ERRORs just outside
 * it). The {@code alert-source-elasticsearch} {@code LogGenerator} has 5 projects and 9 message shapes, too few for a
 * mix of 5,000 kinds over 50 projects, hence this generator.
 *
 * <p>Each kind belongs to one project and has its own constant text (one of 25 x 20 x 10 combinations), logger and
 * message shape; a third of the kinds carry a stack trace in {@code stack_trace}, and 1 % put it inside the message,
 * making it longer than a dynamic mapping's {@code ignore_above: 256}. In the {@link Mix#VERBATIM} mix a kind's
 * variable parts are fixed, so each kind is one message repeated verbatim; in the {@link Mix#IDS} mix they are drawn
 * per record (order ids, user ids, durations, IPs, UUIDs, URLs), so nearly every message is distinct, except for the
 * 4 % of kinds whose text never carries a value. Deterministic for a seed; error timestamps are spread evenly over
 * the window, in order.
 */
public final class MixGenerator {

    /** The number of projects. */
    public static final int PROJECTS = 50;
    private static final int BLOCK = 10_000;
    /** The default number of kinds of error. */
    public static final int KINDS = 5_000;

    /** How messages vary. */
    public enum Mix {
        /** Every kind is one message, repeated verbatim. */
        VERBATIM,
        /** Messages carry ids, durations and addresses: nearly every message is distinct. */
        IDS;

        /** Lower-case name, used in index names and tables. */
        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    static final List<String> PROJECT_NAMES;

    static {
        List<String> names = new ArrayList<>();
        for (String domain : List.of("order", "payment", "inventory", "gateway", "search", "user", "shipping",
                "pricing", "catalog", "notify")) {
            for (String role : List.of("api", "worker", "sync", "batch", "web")) {
                names.add(domain + "-" + role);
            }
        }
        PROJECT_NAMES = List.copyOf(names);
    }

    private static final List<String> ACTIONS = List.of("Failed to process", "Timeout while loading",
            "Could not reserve", "Rejected", "Unable to parse", "Lost connection while saving",
            "Retry limit exceeded for", "Deadlock detected updating", "Validation failed for", "Unexpected null in",
            "Cache miss storm on", "Duplicate key inserting", "Circuit open calling", "Stale version of",
            "Permission denied reading", "Quota exceeded writing", "Serialization error on", "Lock wait timeout on",
            "Constraint violation on", "Unknown state of", "Checksum mismatch in", "Invalid signature for",
            "Rate limited fetching", "Out of stock for", "Conflict merging");
    private static final List<String> OBJECTS = List.of("order", "payment", "invoice", "refund", "shipment", "cart",
            "coupon", "user profile", "session", "sku", "price rule", "warehouse slot", "ledger entry", "webhook",
            "notification", "report", "export job", "search index", "catalog item", "subscription");
    private static final List<String> CONTEXTS = List.of("in OrderService", "in PaymentClient", "via REST",
            "from Kafka", "in scheduler", "in JDBC batch", "over gRPC", "in cache layer", "in S3 upload",
            "in auth filter");
    private static final List<String> THREADS = List.of("http-nio-8080-exec-1", "http-nio-8080-exec-7",
            "http-nio-8080-exec-12", "scheduling-1", "kafka-consumer-orders-0", "ForkJoinPool.commonPool-worker-3",
            "grpc-default-executor-2", "main");
    private static final List<String> EXCEPTIONS = List.of("java.lang.IllegalStateException",
            "java.net.SocketTimeoutException", "java.lang.NullPointerException",
            "java.sql.SQLTransientConnectionException", "org.springframework.dao.DataIntegrityViolationException",
            "com.fasterxml.jackson.core.JsonParseException");
    private static final List<String> PACKAGES = List.of("com.example.order", "com.example.pay", "com.example.stock",
            "com.example.web", "com.example.notify", "com.example.search");
    private static final List<String> CLASSES = List.of("Service", "Client", "Repository", "Controller", "Handler",
            "Job", "Listener", "Mapper");
    private static final List<String> NOISE = List.of("Processed request %d in %d ms",
            "Cache refreshed for %s (%d entries)", "Slow query on %s: %d ms", "Retrying call %d after %d ms");

    /** One kind of error. */
    record Kind(int id, String project, String logger, int shape, String text, String stackTrace,
            boolean traceInMessage, long valueSeed) {
    }

    private final long seed;
    private final Mix mix;
    private final int errors;
    private final int noise;
    private final TimeWindow window;
    private final List<Kind> kinds;
    private final double[] cumulative;

    /**
     * A mix.
     *
     * @param seed   the seed; same seed, same records
     * @param mix    how messages vary
     * @param errors ERROR records inside the window
     * @param noise  other records: INFO/WARN inside the window, 10 % of them ERRORs just outside it
     * @param kinds  kinds of error
     * @param window the window
     */
    public MixGenerator(long seed, Mix mix, int errors, int noise, int kinds, TimeWindow window) {
        if (kinds < 1 || kinds > ACTIONS.size() * OBJECTS.size() * CONTEXTS.size()) {
            throw new IllegalArgumentException("kinds must be 1.." + ACTIONS.size() * OBJECTS.size()
                    * CONTEXTS.size());
        }
        this.seed = seed;
        this.mix = mix;
        this.errors = errors;
        this.noise = noise;
        this.window = window;
        this.kinds = makeKinds(seed, kinds);
        this.cumulative = new double[kinds];
        double sum = 0;
        for (int rank = 0; rank < kinds; rank++) {
            sum += 1.0 / (rank + 1);
            cumulative[rank] = sum;
        }
        for (int rank = 0; rank < kinds; rank++) {
            cumulative[rank] /= sum;
        }
    }

    /** The default mix: 5,000 kinds, 50 projects. */
    public MixGenerator(long seed, Mix mix, int errors, int noise, TimeWindow window) {
        this(seed, mix, errors, noise, KINDS, window);
    }

    public Mix mix() {
        return mix;
    }

    public int errors() {
        return errors;
    }

    public int noise() {
        return noise;
    }

    public TimeWindow window() {
        return window;
    }

    /** The ERROR records of the window, in time order; lazily generated, for one sequential pass. */
    public Stream<LogGenerator.Log> errorDocs() {
        return errorDocs(0, 1);
    }

    /**
     * Part {@code part} of {@code parts} of the ERROR records, in time order: the same records as the matching
     * slice of {@link #errorDocs()}, so that parts can be loaded concurrently.
     */
    public Stream<LogGenerator.Log> errorDocs(int part, int parts) {
        long span = window.duration().toMillis();
        // slices start at a block boundary, where the block's generator starts
        int blocks = (errors + BLOCK - 1) / BLOCK;
        int from = (int) Math.min(errors, (long) blocks * part / parts * BLOCK);
        int to = (int) Math.min(errors, (long) blocks * (part + 1) / parts * BLOCK);
        Random[] random = new Random[1];
        return IntStream.range(from, to).sequential().mapToObj(i -> {
            if (random[0] == null || i % BLOCK == 0) {
                // a generator per block of records, so that any slice can be made on its own
                random[0] = new Random((seed * 31 + 1) ^ ((i / BLOCK) * 0x9E3779B97F4A7C15L));
            }
            Random r = random[0];
            Instant timestamp = window.from().plusMillis(span * i / errors);
            Kind kind = kinds.get(pickRank(r.nextDouble()));
            String thread = THREADS.get(r.nextInt(THREADS.size()));
            Random values = mix == Mix.VERBATIM ? new Random(kind.valueSeed()) : r;
            String message = message(kind, values);
            return new LogGenerator.Log(timestamp, kind.project(), "ERROR", thread, kind.logger(), message,
                    kind.traceInMessage() ? "" : kind.stackTrace());
        });
    }

    /** The ERROR records as events, for the JMH benchmark. */
    public List<LogEvent> events() {
        List<LogEvent> events = new ArrayList<>(errors);
        errorDocs().forEach(doc -> events.add(doc.event()));
        return events;
    }

    /**
     * The records the source must skip, lazily generated: INFO/WARN inside the window, and every tenth an ERROR
     * within 10 minutes before or after it.
     */
    public Stream<LogGenerator.Log> noiseDocs() {
        Random random = new Random(seed * 31 + 2);
        long span = window.duration().toMillis();
        long margin = Duration.ofMinutes(10).toMillis();
        return IntStream.range(0, noise).sequential().mapToObj(i -> {
            String project = PROJECT_NAMES.get(random.nextInt(PROJECT_NAMES.size()));
            String thread = THREADS.get(random.nextInt(THREADS.size()));
            String logger = PACKAGES.get(random.nextInt(PACKAGES.size())) + ".Noise";
            String text = String.format(java.util.Locale.ROOT, NOISE.get(random.nextInt(NOISE.size())),
                    random.nextInt(1_000_000), random.nextInt(5_000));
            if (i % 10 == 9) {
                Instant timestamp = random.nextBoolean()
                        ? window.from().minusMillis(1 + (long) (random.nextDouble() * margin))
                        : window.to().plusMillis((long) (random.nextDouble() * margin));
                return new LogGenerator.Log(timestamp, project, "ERROR", thread, logger, "Outside the window: " + text, "");
            }
            Instant timestamp = window.from().plusMillis((long) (random.nextDouble() * span));
            return new LogGenerator.Log(timestamp, project, random.nextInt(10) < 7 ? "INFO" : "WARN", thread, logger, text, "");
        });
    }

    int pickRank(double u) {
        int index = java.util.Arrays.binarySearch(cumulative, u);
        int rank = index >= 0 ? index : -index - 1;
        return Math.min(rank, cumulative.length - 1);
    }

    List<Kind> kinds() {
        return kinds;
    }

    private static List<Kind> makeKinds(long seed, int count) {
        Random random = new Random(seed * 31 + 3);
        // kind i gets the constant text number textOf[i]: a seeded permutation, so that popularity and text are
        // unrelated
        int combinations = ACTIONS.size() * OBJECTS.size() * CONTEXTS.size();
        int[] textOf = new int[combinations];
        for (int i = 0; i < combinations; i++) {
            textOf[i] = i;
        }
        for (int i = combinations - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = textOf[i];
            textOf[i] = textOf[j];
            textOf[j] = t;
        }
        List<Kind> kinds = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int t = textOf[i];
            String text = ACTIONS.get(t % ACTIONS.size()) + " " + OBJECTS.get(t / ACTIONS.size() % OBJECTS.size());
            String context = CONTEXTS.get(t / (ACTIONS.size() * OBJECTS.size()));
            String project = PROJECT_NAMES.get(random.nextInt(PROJECT_NAMES.size()));
            String logger = PACKAGES.get(random.nextInt(PACKAGES.size())) + "."
                    + OBJECTS.get(random.nextInt(OBJECTS.size())).replace(" ", "").substring(0, 3).toUpperCase(
                            java.util.Locale.ROOT) + CLASSES.get(random.nextInt(CLASSES.size()));
            // shape 7: no variable part at all (4 % of kinds)
            int shape = random.nextInt(25) == 0 ? 7 : random.nextInt(7);
            boolean withTrace = random.nextInt(3) == 0;
            boolean traceInMessage = random.nextInt(100) == 0;
            String trace = withTrace || traceInMessage ? stackTrace(random) : "";
            kinds.add(new Kind(i, project, logger, shape, text + "\u0001" + context, trace, traceInMessage,
                    random.nextLong()));
        }
        return List.copyOf(kinds);
    }

    private static String stackTrace(Random random) {
        StringBuilder trace = new StringBuilder(EXCEPTIONS.get(random.nextInt(EXCEPTIONS.size()))).append(": ")
                .append(List.of("boom", "Read timed out", "Connection is not available, request timed out after "
                        + "30000ms", "Cannot invoke \"Order.id()\" because \"order\" is null")
                        .get(random.nextInt(4)));
        int frames = 6 + random.nextInt(8);
        for (int i = 0; i < frames; i++) {
            String cls = CLASSES.get(random.nextInt(CLASSES.size()));
            trace.append("\n\tat ").append(PACKAGES.get(random.nextInt(PACKAGES.size()))).append('.').append(cls)
                    .append('.').append(List.of("handle", "process", "call", "execute", "lambda$run$0")
                            .get(random.nextInt(5)))
                    .append('(').append(cls).append(".java:").append(10 + random.nextInt(400)).append(')');
        }
        return trace.toString();
    }

    static String message(Kind kind, Random r) {
        int split = kind.text().indexOf('\u0001');
        String head = kind.text().substring(0, split);
        String context = kind.text().substring(split + 1);
        String message = switch (kind.shape()) {
            case 0 -> head + " " + (100_000 + r.nextInt(900_000)) + " " + context + ": timeout after "
                    + (200 + r.nextInt(5_000)) + " ms";
            case 1 -> head + " " + context + " for user u-" + r.nextInt(50_000);
            case 2 -> head + " " + context + " (trace " + new UUID(r.nextLong(), r.nextLong()) + ")";
            case 3 -> head + " " + context + ": connection to 10." + r.nextInt(256) + "." + r.nextInt(256) + "."
                    + (1 + r.nextInt(254)) + ":5432 refused";
            case 4 -> head + " " + context + ": request https://api.example.com/v1/items/" + r.nextInt(1_000_000)
                    + "?attempt=" + (1 + r.nextInt(3)) + " failed with status " + (500 + r.nextInt(5));
            case 5 -> head + " #" + r.nextInt(10_000_000) + " " + context + " after " + r.nextInt(10) + " retries";
            case 6 -> head + " " + context + ", key=" + Long.toHexString(r.nextLong());
            default -> head + " " + context;
        };
        return kind.traceInMessage() ? message + "\n" + kind.stackTrace() : message;
    }
}

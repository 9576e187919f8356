package io.logalert.examples.demo;

import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The demo's command line. Without options it starts its own Elasticsearch node and DingTalk robot emulator;
 * {@code --es-hosts} points it at a real cluster and {@code --dingtalk-token} at a real robot instead.
 *
 * @param esHosts         a cluster to read instead of starting a node
 * @param index           the indices to read; the demo's own index pattern when empty
 * @param esUser          the cluster's user, with {@code esPassword}
 * @param esPassword      that user's password; secret
 * @param esApiKey        an encoded API key, instead of a user; secret
 * @param indexSampleLogs with {@code esHosts}: index the demo's logs there too (into an index deleted at the end)
 * @param excludeProjects projects the pipeline never reads; {@link SampleLogs#EXCLUDED} with the demo's logs when
 *                        empty
 * @param sourceSettings  further settings of the {@code elasticsearch} source ({@code field.message=message}, ...)
 * @param dingtalkToken   a real robot's access token, instead of the emulator; secret
 * @param dingtalkSecret  that robot's signing secret, if it signs; secret
 * @param dingtalkKeyword that robot's custom keyword, if it has one
 * @param cycles          how many times the pipeline runs
 * @param interval        the time between runs
 * @param timeZone        the zone the digests show times in
 * @param help            whether only the usage is wanted
 */
public record DemoOptions(
        Optional<String> esHosts,
        Optional<String> index,
        Optional<String> esUser,
        Optional<String> esPassword,
        Optional<String> esApiKey,
        boolean indexSampleLogs,
        Optional<List<String>> excludeProjects,
        Map<String, String> sourceSettings,
        Optional<String> dingtalkToken,
        Optional<String> dingtalkSecret,
        Optional<String> dingtalkKeyword,
        int cycles,
        Duration interval,
        ZoneId timeZone,
        boolean help) {

    /** How many times the pipeline runs by default: enough to show a kind held by realert and shown again. */
    public static final int DEFAULT_CYCLES = 6;

    /** The time between runs by default. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(5);

    /** The options of the demo as it runs with no arguments. */
    public static final DemoOptions DEFAULTS = new DemoOptions(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), Optional.empty(), false, Optional.empty(), Map.of(), Optional.empty(), Optional.empty(),
            Optional.empty(), DEFAULT_CYCLES, DEFAULT_INTERVAL, ZoneId.systemDefault(), false);

    /** Validates the options and copies their collections. */
    public DemoOptions {
        Objects.requireNonNull(interval, "interval");
        Objects.requireNonNull(timeZone, "timeZone");
        excludeProjects = excludeProjects.map(List::copyOf);
        sourceSettings = Map.copyOf(sourceSettings);
    }

    /** Whether the demo starts its own node: no {@code --es-hosts}. */
    public boolean startsNode() {
        return esHosts.isEmpty();
    }

    /** Whether the demo indexes its logs: into its own node, or with {@code --index-sample-logs}. */
    public boolean indexesSamples() {
        return startsNode() || indexSampleLogs;
    }

    /** Whether the digests go to the emulator: no {@code --dingtalk-token}. */
    public boolean usesEmulator() {
        return dingtalkToken.isEmpty();
    }

    /** These options with {@code cycles} and {@code interval}. */
    public DemoOptions withCycles(int cycles, Duration interval) {
        return new DemoOptions(esHosts, index, esUser, esPassword, esApiKey, indexSampleLogs, excludeProjects,
                sourceSettings, dingtalkToken, dingtalkSecret, dingtalkKeyword, cycles, interval, timeZone, help);
    }

    /**
     * Parses the command line.
     *
     * @throws IllegalArgumentException naming every problem; never a secret value
     */
    public static DemoOptions parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        Map<String, String> source = new LinkedHashMap<>();
        boolean samples = false;
        boolean help = false;
        List<String> problems = new ArrayList<>();
        List<String> valued = List.of("--es-hosts", "--index", "--es-user", "--es-password", "--es-api-key",
                "--exclude-projects", "--source", "--dingtalk-token", "--dingtalk-secret", "--dingtalk-keyword",
                "--cycles", "--interval", "--time-zone");
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int equals = arg.indexOf('=');
            if (arg.startsWith("--") && equals > 0) {
                name = arg.substring(0, equals);
                value = arg.substring(equals + 1);
            }
            if (name.equals("--help") || name.equals("-h")) {
                help = true;
            } else if (name.equals("--index-sample-logs")) {
                samples = true;
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        problems.add(name + " needs a value");
                        continue;
                    }
                    value = args[++i];
                }
                if (name.equals("--source")) {
                    int eq = value.indexOf('=');
                    if (eq <= 0) {
                        problems.add("--source takes KEY=VALUE, e.g. --source field.message=message");
                    } else {
                        source.put(value.substring(0, eq).strip(), value.substring(eq + 1));
                    }
                } else if (values.put(name, value) != null) {
                    problems.add(name + " is given twice");
                }
            } else {
                // an unknown argument may be a misplaced secret: name it only when it looks like an option
                problems.add(arg.startsWith("-") ? "unknown option " + name : "unexpected argument #" + (i + 1)
                        + " (options start with --)");
            }
        }
        int cycles = integer(values.get("--cycles"), DEFAULT_CYCLES, "--cycles", 1, 100, problems);
        Duration interval = Duration.ofSeconds(integer(values.get("--interval"), (int) DEFAULT_INTERVAL.toSeconds(),
                "--interval", 3, 600, problems));
        ZoneId zone = ZoneId.systemDefault();
        if (values.containsKey("--time-zone")) {
            try {
                zone = ZoneId.of(values.get("--time-zone"));
            } catch (RuntimeException e) {
                problems.add("--time-zone '" + values.get("--time-zone") + "' is not a zone (Asia/Shanghai, +08:00, "
                        + "UTC)");
            }
        }
        Optional<String> hosts = Optional.ofNullable(values.get("--es-hosts"));
        if (hosts.isPresent() && values.get("--index") == null && !samples) {
            problems.add("--es-hosts needs --index (the indices to read, e.g. 'logs-*'), or --index-sample-logs");
        }
        if (hosts.isEmpty()) {
            for (String option : List.of("--index", "--es-user", "--es-password", "--es-api-key")) {
                if (values.containsKey(option)) {
                    problems.add(option + " needs --es-hosts; without it the demo reads its own node");
                }
            }
            if (samples) {
                problems.add("--index-sample-logs needs --es-hosts; the demo's own node always gets them");
            }
        }
        if (values.containsKey("--es-user") != values.containsKey("--es-password")) {
            problems.add("--es-user and --es-password go together");
        }
        if (values.containsKey("--es-api-key") && values.containsKey("--es-user")) {
            problems.add("--es-api-key or --es-user, not both");
        }
        if (values.get("--dingtalk-token") == null) {
            for (String option : List.of("--dingtalk-secret", "--dingtalk-keyword")) {
                if (values.containsKey(option)) {
                    problems.add(option + " needs --dingtalk-token; without it the demo's robot is the emulator");
                }
            }
        }
        for (String key : source.keySet()) {
            if (Set.of("hosts", "index", "exclude-projects", "username", "password", "api-key").contains(key)) {
                problems.add("--source " + key + "=... : use the demo's own option for '" + key + "'");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("\n", problems));
        }
        Optional<List<String>> exclude = Optional.ofNullable(values.get("--exclude-projects"))
                .map(list -> Arrays.stream(list.split(",")).map(String::strip).filter(p -> !p.isEmpty()).toList());
        return new DemoOptions(hosts, Optional.ofNullable(values.get("--index")),
                Optional.ofNullable(values.get("--es-user")), Optional.ofNullable(values.get("--es-password")),
                Optional.ofNullable(values.get("--es-api-key")), samples, exclude, source,
                Optional.ofNullable(values.get("--dingtalk-token")), Optional.ofNullable(values.get("--dingtalk-secret")),
                Optional.ofNullable(values.get("--dingtalk-keyword")), cycles, interval, zone, help);
    }

    private static int integer(String raw, int fallback, String name, int min, int max, List<String> problems) {
        if (raw == null) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(raw.strip());
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(name + " must be a whole number from " + min + " to " + max + ", was '" + raw + "'");
        return fallback;
    }

    /** The usage text. */
    public static String usage() {
        return """
                Usage: java -jar logalert-demo.jar [options]

                Without options: starts a real Elasticsearch %s node (the build unpacks it next to the jar),
                indexes ten minutes of logs of four projects, starts a DingTalk robot emulator on loopback, runs
                the pipeline %d times, %d s apart, while new errors arrive, prints what the robot's group received
                and each RunReport, then stops the node and deletes everything it made.

                A real cluster instead of the node:
                  --es-hosts URL[,URL]     the cluster; no node is started, nothing is indexed
                  --index PATTERN          the indices to read, e.g. 'logs-*' (required with --es-hosts,
                                           unless --index-sample-logs)
                  --es-user NAME --es-password PASSWORD    or    --es-api-key KEY
                  --index-sample-logs      index the demo's logs into logalert-demo-<date> there (deleted at the
                                           end) and read them
                  --exclude-projects LIST  projects never read (default: %s with the demo's logs, none otherwise)
                  --source KEY=VALUE       any other setting of the elasticsearch source, e.g.
                                           --source field.message=message --source ca-certificate=/etc/ca.crt
                A real robot instead of the emulator:
                  --dingtalk-token TOKEN   the robot's access token
                  --dingtalk-secret SEC…   its signing secret, if it signs (加签)
                  --dingtalk-keyword WORD  its custom keyword, if it has one
                The run:
                  --cycles N               runs of the pipeline (default %d)
                  --interval SECONDS       time between runs, 3 or more (default %d)
                  --time-zone ZONE         zone of the times in digests (default: this machine's)
                  --help                   this text

                Tokens, secrets, passwords and keys are never printed.
                """.formatted(io.logalert.source.elasticsearch.ElasticsearchNode.VERSION, DEFAULT_CYCLES,
                DEFAULT_INTERVAL.toSeconds(), SampleLogs.EXCLUDED, DEFAULT_CYCLES, DEFAULT_INTERVAL.toSeconds());
    }

    /** The options, secrets shown as {@code ***}. */
    @Override
    public String toString() {
        return "DemoOptions[esHosts=" + esHosts.orElse("(own node)") + ", index=" + index.orElse("(demo's)")
                + ", esUser=" + esUser.orElse("-") + ", esPassword=" + esPassword.map(p -> "***").orElse("-")
                + ", esApiKey=" + esApiKey.map(p -> "***").orElse("-") + ", indexSampleLogs=" + indexSampleLogs
                + ", excludeProjects=" + excludeProjects.map(Object::toString).orElse("(default)")
                + ", source=" + sourceSettings.keySet() + ", dingtalkToken="
                + dingtalkToken.map(t -> "***").orElse("(emulator)") + ", dingtalkSecret="
                + dingtalkSecret.map(t -> "***").orElse("-") + ", dingtalkKeyword=" + dingtalkKeyword.orElse("-")
                + ", cycles=" + cycles + ", interval=" + interval + ", timeZone=" + timeZone + "]";
    }
}

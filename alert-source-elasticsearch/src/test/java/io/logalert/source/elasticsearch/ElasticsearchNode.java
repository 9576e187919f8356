package io.logalert.source.elasticsearch;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * A real Elasticsearch node, started as a child process for tests, benchmarks and demos; no JUnit needed.
 *
 * <p>The distribution is the {@code integ-test-zip}: the build unpacks it and names the directory in the system
 * property {@value #HOME_PROPERTY}; without it, the zip is taken from the local Maven repository. Each node copies the
 * distribution and its {@code config/} to a fresh directory under the system temp directory (the checkout may sit
 * in a home the node's user cannot read), listens on free loopback ports, has an explicit 512 MB heap and is ready
 * when the cluster health is yellow. Elasticsearch refuses to run as root: when this JVM is root, the node runs as
 * {@code nobody} through {@code runuser}. {@link #stop()} and {@link #restart()} take the node down and bring it back
 * on the same data and port, for outage tests. {@link #close()} ends the process tree and deletes the directory; the
 * {@link #shared()} node is closed by a shutdown hook.
 *
 * <pre>{@code
 * ElasticsearchNode node = ElasticsearchNode.shared();
 * node.request("PUT", "/logs-a", "{}");
 * String hosts = node.uri().toString();
 * }</pre>
 */
public final class ElasticsearchNode implements AutoCloseable {

    /** The system property naming the unpacked distribution's directory. */
    public static final String HOME_PROPERTY = "logalert.elasticsearch.home";

    /** The version of the distribution. */
    public static final String VERSION = "8.19.21";

    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static ElasticsearchNode shared;

    private final Path runDir;
    private final List<String> command;
    private final Map<String, String> env;
    private final Path console;
    private volatile Process process;
    private final URI uri;
    private final Optional<String> authorization;
    private final Optional<TlsCertificates> certificates;
    private final HttpClient http;

    private ElasticsearchNode(Path runDir, List<String> command, Map<String, String> env, Path console,
            Process process, URI uri, Optional<String> authorization, Optional<TlsCertificates> certificates) {
        this.runDir = runDir;
        this.command = List.copyOf(command);
        this.env = Map.copyOf(env);
        this.console = console;
        this.process = process;
        this.uri = uri;
        this.authorization = authorization;
        this.certificates = certificates;
        HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
        certificates.ifPresent(tls -> http.sslContext(tls.sslContext()));
        this.http = http.build();
    }

    /** The node shared by every test of this JVM, started on first use and stopped when the JVM exits. */
    public static synchronized ElasticsearchNode shared() {
        if (shared == null) {
            ElasticsearchNode node = start(Optional.empty());
            Runtime.getRuntime().addShutdownHook(new Thread(node::close, "elasticsearch-node-shutdown"));
            shared = node;
        }
        return shared;
    }

    /** Starts a node without security. The caller closes it. */
    public static ElasticsearchNode start() {
        return start(Optional.empty());
    }

    /**
     * Starts a node with security on (HTTP without TLS) and one file-realm superuser. The caller closes it.
     *
     * @param username the user to create
     * @param password the user's password, at least 6 characters
     */
    public static ElasticsearchNode startSecured(String username, String password) {
        return start(Optional.of(new User(username, password)));
    }

    /**
     * Starts a node as Elasticsearch 8 ships: security on, HTTPS with a certificate signed by a CA made for it
     * ({@link #certificates()}, by the JDK's keytool), and one file-realm superuser. {@link #uri()} is
     * {@code https://127.0.0.1:<port>/}, and {@link #request} trusts that CA. The caller closes it.
     *
     * @param username the superuser to create
     * @param password the superuser's password, at least 6 characters
     * @param others   more users to create in the file realm, e.g. one with no role, who may read nothing: the
     *                 distribution has no native realm (its security index needs a module the integ-test zip lacks),
     *                 so neither users made through the security API nor API keys
     */
    public static ElasticsearchNode startTls(String username, String password, FileUser... others) {
        return start(Optional.of(new User(username, password)), true, List.of(others));
    }

    /**
     * A file-realm user for {@link #startTls}.
     *
     * @param name     the user name
     * @param password at least 6 characters
     * @param roles    built-in roles, e.g. {@code monitoring_user}; none for a user who may read nothing
     */
    public record FileUser(String name, String password, List<String> roles) {
        /** Copies {@code roles}. */
        public FileUser {
            roles = List.copyOf(roles);
        }
    }

    /** The CA and certificate the node serves HTTPS with; empty unless started by {@link #startTls}. */
    public Optional<TlsCertificates> certificates() {
        return certificates;
    }

    /** The node's HTTP address, e.g. {@code http://127.0.0.1:53012}. */
    public URI uri() {
        return uri;
    }

    /**
     * Sends a request to the node as its superuser (if secured) and returns the body.
     *
     * @param body JSON or NDJSON, or null for none
     * @throws IllegalStateException when the node answers with a status of 300 or more
     */
    public String request(String method, String path, String body) {
        HttpResponse<String> response = send(method, path, body);
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    /**
     * Clones {@code source}, which holds documents, into {@code target} with {@code allocation} settings (JSON
     * members) that keep some or all of its primaries unassigned on this one node: a red or partly red index that
     * holds documents once the settings are lifted. A clone's primary is a new shard copy, which the settings hold;
     * an existing primary would be force-allocated on the node holding its data. Leaves {@code source} write-blocked.
     */
    public void cloneUnassigned(String source, String target, String allocation) {
        request("PUT", "/" + source + "/_settings", "{\"index.blocks.write\": true}");
        // no waiting for the shards to start: some never do
        request("POST", "/" + source + "/_clone/" + target + "?wait_for_active_shards=0", "{\"settings\": {"
                + "\"index.number_of_replicas\": 0, \"index.blocks.write\": null, " + allocation + "}}");
    }

    /** Sends a request and returns the whole response, whatever its status. */
    public HttpResponse<String> send(String method, String path, String body) {
        String contentType = path.contains("_bulk") ? "application/x-ndjson" : "application/json";
        HttpRequest.Builder request = HttpRequest.newBuilder(uri.resolve(path)).timeout(Duration.ofMinutes(2))
                .header("Content-Type", contentType)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        authorization.ifPresent(value -> request.header("Authorization", value));
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path + " failed", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * Shuts the node down (SIGTERM, as an operator would) and waits for it to exit, keeping its data directory: until
     * {@link #restart()}, requests to {@link #uri()} are refused. Idempotent.
     */
    public synchronized void stop() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroy);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(30, TimeUnit.SECONDS);
            } catch (Exception e) {
                handle.destroyForcibly();
            }
        }
        tree.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * Starts the stopped node again on the same data directory and ports, and waits until it is yellow: indices and
     * documents indexed before {@link #stop()} are there again.
     *
     * @throws IllegalStateException when the node is running, or is not ready in time
     */
    public synchronized void restart() {
        if (process.isAlive()) {
            throw new IllegalStateException("the node at " + uri + " is running; stop() it first");
        }
        ProcessBuilder builder = new ProcessBuilder(command).directory(runDir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(console.toFile()));
        builder.environment().putAll(env);
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot restart the node at " + uri, e);
        }
        try {
            awaitYellow(console);
        } catch (RuntimeException e) {
            stopProcess();
            throw e;
        }
    }

    /** Ends the node's process tree and deletes its directory. Idempotent. */
    @Override
    public void close() {
        stop();
        deleteTree(runDir);
    }

    // ---- starting

    private record User(String name, String password) {
    }

    private static ElasticsearchNode start(Optional<User> user) {
        return start(user, false, List.of());
    }

    private static ElasticsearchNode start(Optional<User> user, boolean tls, List<FileUser> others) {
        Path distribution = distribution();
        Path runDir = null;
        try {
            runDir = Files.createTempDirectory("logalert-es-");
            Path home = runDir.resolve("home");
            copyTree(distribution, home);
            Path config = runDir.resolve("config");
            copyTree(home.resolve("config"), config);
            for (String dir : List.of("data", "logs", "tmp")) {
                Files.createDirectories(runDir.resolve(dir));
            }
            // in the config directory, the only one the node may read them from; before the chown below
            Optional<TlsCertificates> certificates = tls ? Optional.of(TlsCertificates.create(config.resolve("certs")))
                    : Optional.empty();
            try (Stream<Path> bin = Files.list(home.resolve("bin"))) {
                bin.forEach(ElasticsearchNode::makeExecutable);
            }
            Map<String, String> env = Map.of(
                    "ES_JAVA_HOME", System.getProperty("java.home"),
                    "ES_PATH_CONF", config.toString(),
                    "ES_TMPDIR", runDir.resolve("tmp").toString(),
                    "ES_JAVA_OPTS", "-Xms512m -Xmx512m");
            List<String> asUser = List.of();
            if ("root".equals(System.getProperty("user.name"))) {
                run(List.of("chown", "-R", "nobody", runDir.toString()), Map.of(), runDir);
                runDir.toFile().setReadable(true, false);
                runDir.toFile().setExecutable(true, false);
                asUser = List.of("runuser", "-u", "nobody", "--");
            }
            List<FileUser> fileUsers = new ArrayList<>();
            user.ifPresent(u -> fileUsers.add(new FileUser(u.name(), u.password(), List.of("superuser"))));
            fileUsers.addAll(others);
            for (FileUser fileUser : fileUsers) {
                List<String> command = new ArrayList<>(asUser);
                command.addAll(List.of(home.resolve("bin/elasticsearch-users").toString(), "useradd",
                        fileUser.name(), "-p", fileUser.password()));
                if (!fileUser.roles().isEmpty()) {
                    command.addAll(List.of("-r", String.join(",", fileUser.roles())));
                }
                run(command, env, runDir);
            }
            IllegalStateException last = null;
            for (int attempt = 0; attempt < 3; attempt++) {
                try {
                    return launch(runDir, home, env, asUser, user, certificates);
                } catch (PortTakenException e) {
                    // another process took a port between choosing and binding it: choose again
                    last = e;
                }
            }
            throw last;
        } catch (IOException e) {
            deleteTree(runDir);
            throw new UncheckedIOException("cannot prepare an Elasticsearch node", e);
        } catch (RuntimeException e) {
            deleteTree(runDir);
            throw e;
        }
    }

    private static ElasticsearchNode launch(Path runDir, Path home, Map<String, String> env, List<String> asUser,
            Optional<User> user, Optional<TlsCertificates> certificates) throws IOException {
        int httpPort = freePort();
        int transportPort = freePort();
        List<String> command = new ArrayList<>(asUser);
        command.add(home.resolve("bin/elasticsearch").toString());
        boolean secured = user.isPresent();
        List<String> settings = new ArrayList<>(List.of(
                "discovery.type=single-node",
                "network.host=127.0.0.1",
                "http.port=" + httpPort,
                "transport.port=" + transportPort,
                "path.data=" + runDir.resolve("data"),
                "path.logs=" + runDir.resolve("logs"),
                "cluster.name=logalert-test",
                "cluster.routing.allocation.disk.threshold_enabled=false",
                "xpack.security.enabled=" + secured,
                "xpack.security.http.ssl.enabled=" + certificates.isPresent(),
                "xpack.security.transport.ssl.enabled=false"));
        if (certificates.isPresent()) {
            // relative to the config directory, where start() made them
            settings.add("xpack.security.http.ssl.certificate=certs/" + certificates.get().certificateChain()
                    .getFileName());
            settings.add("xpack.security.http.ssl.key=certs/" + certificates.get().privateKey().getFileName());
        }
        for (String setting : settings) {
            command.add("-E");
            command.add(setting);
        }
        Path console = runDir.resolve("console-" + httpPort + ".log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(runDir.toFile())
                .redirectErrorStream(true).redirectOutput(console.toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        URI uri = URI.create((certificates.isPresent() ? "https" : "http") + "://127.0.0.1:" + httpPort + "/");
        Optional<String> authorization = user.map(u -> "Basic " + Base64.getEncoder().encodeToString(
                (u.name() + ":" + u.password()).getBytes(StandardCharsets.UTF_8)));
        ElasticsearchNode node = new ElasticsearchNode(runDir, command, env, console, process, uri, authorization,
                certificates);
        try {
            node.awaitYellow(console);
            return node;
        } catch (RuntimeException e) {
            node.stopProcess();
            throw e;
        }
    }

    private void awaitYellow(Path console) {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                String output = tail(console);
                if (output.contains("BindException") || output.contains("Address already in use")) {
                    throw new PortTakenException(output);
                }
                throw new IllegalStateException("Elasticsearch exited with " + process.exitValue()
                        + " before it was ready:\n" + output);
            }
            try {
                HttpResponse<String> health = send("GET", "/_cluster/health?wait_for_status=yellow&timeout=2s",
                        null);
                if (health.statusCode() == 200) {
                    return;
                }
            } catch (UncheckedIOException e) {
                // not listening yet
            }
            sleep(Duration.ofMillis(250));
        }
        throw new IllegalStateException("Elasticsearch was not yellow within " + START_TIMEOUT + ":\n"
                + tail(console));
    }

    /** Kills a node that failed to start and waits for it, so that its directory can be deleted (or reused). */
    private void stopProcess() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                // still exiting after 30 s: deleting its directory is best effort anyway
            }
        }
    }

    private static final class PortTakenException extends IllegalStateException {
        PortTakenException(String output) {
            super("a port was taken before Elasticsearch bound it:\n" + output);
        }
    }

    /** The unpacked distribution: the build's, else unpacked here from the local Maven repository. */
    private static Path distribution() {
        String configured = System.getProperty(HOME_PROPERTY);
        if (configured != null && !configured.isBlank()) {
            Path home = Path.of(configured);
            if (!Files.isRegularFile(home.resolve("bin/elasticsearch"))) {
                throw new IllegalStateException(HOME_PROPERTY + "=" + home + " holds no bin/elasticsearch; run the "
                        + "tests through 'mvn verify', which unpacks the distribution");
            }
            return home;
        }
        Path repository = Path.of(System.getProperty("maven.repo.local",
                System.getProperty("user.home") + "/.m2/repository"));
        Path zip = repository.resolve("org/elasticsearch/distribution/integ-test-zip/elasticsearch/" + VERSION
                + "/elasticsearch-" + VERSION + ".zip");
        if (!Files.isRegularFile(zip)) {
            throw new IllegalStateException("no Elasticsearch distribution: set " + HOME_PROPERTY
                    + " or resolve org.elasticsearch.distribution.integ-test-zip:elasticsearch:" + VERSION
                    + ":zip into " + repository);
        }
        Path target = Path.of(System.getProperty("java.io.tmpdir"), "logalert-es-dist-" + VERSION);
        Path home = target.resolve("elasticsearch-" + VERSION);
        if (Files.isRegularFile(home.resolve("bin/elasticsearch"))) {
            return home;
        }
        Path staging = null;
        try {
            // several JVMs (test forks, benchmarks) may unpack at once: each unpacks aside and moves its copy into
            // place in one step, so that nobody ever sees a half-unpacked distribution
            staging = Files.createTempDirectory(target.getParent(), "logalert-es-dist-" + VERSION + "-");
            // readable like a directory made by mkdir, not private like a temp directory
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
            unzip(zip, staging);
            try {
                Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
                staging = null;
            } catch (IOException e) {
                if (!Files.isRegularFile(home.resolve("bin/elasticsearch"))) {
                    throw e;
                }
                // another JVM won the race; its copy is complete, since it arrived by an atomic move
            }
            return home;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack " + zip + " into " + target + " (if an incomplete copy "
                    + "is there, delete it)", e);
        } finally {
            deleteTree(staging);
        }
    }

    // ---- files and processes

    private static void unzip(Path zip, Path target) throws IOException {
        try (ZipFile file = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> entries = file.entries();
            while (entries.hasMoreElements()) {
                ZipEntry entry = entries.nextElement();
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException("zip entry outside the target: " + entry.getName());
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    try (InputStream in = file.getInputStream(entry)) {
                        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        Files.walkFileTree(from, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Files.createDirectories(to.resolve(from.relativize(dir).toString()));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.copy(file, to.resolve(from.relativize(file).toString()), StandardCopyOption.COPY_ATTRIBUTES);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void makeExecutable(Path file) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            permissions.addAll(Set.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OWNER_READ,
                    PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
            Files.setPosixFilePermissions(file, permissions);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void deleteTree(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(path -> path.toFile().delete());
        } catch (IOException | UncheckedIOException e) {
            // best effort: a file still held open by a dying process
        }
    }

    private static void run(List<String> command, Map<String, String> env, Path dir) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0) {
                process.destroyForcibly();
                throw new IllegalStateException(command.get(0) + " " + command.subList(1, Math.min(3,
                        command.size())) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        }
    }

    private static String tail(Path file) {
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no output: " + e.getMessage() + ")";
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}

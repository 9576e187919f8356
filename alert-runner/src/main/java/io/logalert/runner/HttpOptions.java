package io.logalert.runner;

import io.logalert.config.ConfigLoader;
import io.logalert.config.Problems;
import io.logalert.config.Specs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where {@code run} serves {@code /metrics} and {@code /health}: the file's {@code http:} section ({@code port},
 * {@code address}), each overridden by {@code --http-port} and {@code --http-address}. Off unless a port is given;
 * on the loopback address unless another is, so that a port is never opened to the network by accident.
 *
 * @param address  where to listen, or empty when off
 * @param problems what is wrong with the file's {@code http:} section, each at its key
 */
record HttpOptions(Optional<InetSocketAddress> address, List<Problems.Problem> problems) {

    /** Where the port listens unless told otherwise: this machine only. */
    static final String LOOPBACK = "127.0.0.1";

    HttpOptions {
        problems = List.copyOf(problems);
    }

    /**
     * The HTTP options of {@code loaded}, with the command line's {@code port} and {@code address} (null when not
     * given) taking precedence. Values from the command line are checked by {@link #portProblem(int)} and
     * {@link #addressProblem(String)} before.
     */
    static HttpOptions of(ConfigLoader.Loaded loaded, Integer port, String address) {
        Specs.Http http = loaded.spec().map(Specs.File::http).orElse(null);
        List<Problems.Problem> problems = new ArrayList<>();
        Integer filePort = http == null ? null : http.port();
        String fileAddress = http == null ? null : http.address();
        if (filePort != null) {
            portProblem(filePort).ifPresent(p -> problems.add(problem("/http/port", p)));
        }
        if (fileAddress != null) {
            addressProblem(fileAddress).ifPresent(p -> problems.add(problem("/http/address", p)));
        }
        Integer chosenPort = port != null ? port : filePort;
        String chosenAddress = address != null ? address : fileAddress;
        if (chosenPort == null && fileAddress != null && address == null) {
            problems.add(problem("/http/address", "an address without a port serves nothing: set `port` beside it "
                    + "(or --http-port), 0 for any free port"));
        }
        if (!problems.isEmpty() || chosenPort == null) {
            return new HttpOptions(Optional.empty(), problems);
        }
        String host = chosenAddress != null ? chosenAddress.strip() : LOOPBACK;
        return new HttpOptions(Optional.of(new InetSocketAddress(host, chosenPort)), problems);
    }

    /** What is wrong with {@code port}, if anything. */
    static Optional<String> portProblem(int port) {
        if (port < 0 || port > 65_535) {
            return Optional.of("the port must be 0 to 65535 (0 picks any free port), was " + port);
        }
        return Optional.empty();
    }

    /** What is wrong with {@code address}, if anything: it must be an IP address or a name this machine resolves. */
    static Optional<String> addressProblem(String address) {
        if (address.isBlank()) {
            return Optional.of("the address is blank: give an IP address such as " + LOOPBACK + " (this machine "
                    + "only, the default) or 0.0.0.0 (every interface), or a host name");
        }
        try {
            InetAddress.getByName(address.strip());
            return Optional.empty();
        } catch (UnknownHostException e) {
            return Optional.of("`" + address.strip() + "` is neither an IP address nor a host name this machine "
                    + "resolves; give one such as " + LOOPBACK + " (this machine only, the default) or 0.0.0.0 "
                    + "(every interface)");
        }
    }

    /** {@code 127.0.0.1:9464}, {@code [::1]:9464}: an address as a person writes it in a URL. */
    static String display(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    private static Problems.Problem problem(String pointer, String message) {
        return new Problems.Problem(pointer, message, Problems.Kind.CONFIG, Optional.empty());
    }
}

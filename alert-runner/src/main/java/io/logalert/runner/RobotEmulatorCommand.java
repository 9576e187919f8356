package io.logalert.runner;

import io.logalert.sink.dingtalk.DingTalkEmulator;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code logalert robot-emulator}: a DingTalk robot on this machine that checks requests as DingTalk does (token,
 * signature, keywords, message shape, 20 messages a minute) and prints every message it accepts, so that a team can
 * see its digests without a real robot.
 */
@Command(name = "robot-emulator", sortOptions = false,
        description = {"Runs a DingTalk robot emulator and prints every message it accepts (and every request it "
                + "refuses), until SIGTERM or Ctrl-C.",
                "Point a dingtalk sink at it: base-url: http://HOST:PORT, access-token: TOKEN (and secret, "
                        + "keywords as given here)."})
final class RobotEmulatorCommand implements Callable<Integer> {

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", description = "Port to listen on; 0 for a free one. Default: 0.")
    int port;

    @Option(names = "--host", paramLabel = "HOST",
            description = "Address to listen on. Default: 127.0.0.1 (this machine only).")
    String host = "127.0.0.1";

    @Option(names = "--token", required = true, paramLabel = "TOKEN", description = "The access token it accepts.")
    String token;

    @Option(names = "--secret", paramLabel = "SECRET", description = "Makes it check signatures made with SECRET.")
    String secret;

    @Option(names = "--keyword", paramLabel = "WORD", description = "A custom keyword every message must hold "
            + "(repeatable).")
    List<String> keywords = List.of();

    @Option(names = "--messages-per-minute", paramLabel = "N",
            description = "Messages accepted in any 60 s before it blocks for 10 minutes. Default: 20, as DingTalk.")
    int messagesPerMinute = 20;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        HttpOptions.portProblem(port).ifPresent(problem -> {
            throw new CommandLine.ParameterException(spec.commandLine(), "--port: " + problem);
        });
        DingTalkEmulator.Builder builder = DingTalkEmulator.builder().accessToken(token)
                .keywords(keywords.toArray(String[]::new)).messagesPerMinute(messagesPerMinute);
        if (secret != null) {
            builder.secret(secret);
        }
        EmulatorFront front;
        try {
            front = EmulatorFront.start(builder.start(), new InetSocketAddress(host, port), out);
        } catch (IOException e) {
            spec.commandLine().getErr().println("logalert: cannot listen on " + host + ":" + port + ": " + e);
            return Main.FAILED;
        }
        synchronized (out) {
            out.println("DingTalk robot emulator listening on " + front.baseUrl() + " (use it as a dingtalk sink's "
                    + "base-url, with the access token given)" + (secret != null ? "; signatures checked" : "")
                    + (keywords.isEmpty() ? "" : "; keywords: " + String.join(", ", keywords)));
            out.flush();
        }
        return main.serveUntilStopped(front);
    }
}

package io.logalert.examples;

import io.logalert.examples.demo.DemoOptions;
import io.logalert.examples.demo.DemoRun;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The demo, the README's first command: starts a real Elasticsearch node (the integ-test zip the build unpacks
 * beside the jar), indexes ten minutes of logs of four projects (one excluded), starts the DingTalk robot emulator,
 * runs the pipeline every few seconds while new errors arrive, and prints what the robot's group received and each
 * {@code RunReport}. It ends by itself within two minutes and leaves no process or temporary directory behind, also
 * on Ctrl-C. {@code --es-hosts} and {@code --dingtalk-token} point it at a real cluster and a real robot instead;
 * {@code --help} lists the options. Exit codes: 0 done, 1 failed, 2 bad options.
 *
 * @see DemoRun
 */
public final class Demo {

    private Demo() {
    }

    /** Runs the demo. */
    public static void main(String[] args) {
        // the library logs warnings and errors only, so that the demo's own lines stay readable
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
        DemoOptions options;
        try {
            options = DemoOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.println("Try --help.");
            System.exit(2);
            return;
        }
        if (options.help()) {
            out.print(DemoOptions.usage());
            return;
        }
        int status = 0;
        try {
            DemoRun.run(options, out, DemoRun.Listener.NONE);
        } catch (RuntimeException e) {
            if (DemoRun.interrupted()) {
                out.println("Interrupted; what the demo made is removed.");
                return;
            }
            out.flush();
            System.err.println("The demo failed: " + e);
            status = 1;
        }
        // clients of the source and the sink may leave threads behind; the demo is over
        System.exit(status);
    }
}

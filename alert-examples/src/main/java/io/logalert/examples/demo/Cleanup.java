package io.logalert.examples.demo;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;

/**
 * What the demo must undo, whichever way it ends: steps run once each, the last added first, by the demo's own
 * {@code finally} or by its shutdown hook (Ctrl-C), whichever comes first.
 *
 * <p>While the node starts, the node is not yet the demo's to close: on Ctrl-C the hook ends the processes this JVM
 * started since ({@link #nodeStarting()}), so that the start fails and deletes its own directory, and waits for it.
 *
 * <p>Thread-safe.
 */
final class Cleanup {

    /** Something to undo. */
    interface Action {
        void run() throws Exception;
    }

    /** One step; {@link #run()} runs it at most once. */
    static final class Step {
        private final String what;
        private final Action action;
        private volatile boolean ran;
        private volatile String failure;

        private Step(String what, Action action) {
            this.what = what;
            this.action = action;
        }

        /**
         * Runs the step if it has not run; failures are kept, not thrown. A caller that finds the step running in
         * another thread waits until it is done: the shutdown hook must not end before the demo's own cleanup does.
         */
        synchronized void run() {
            if (ran) {
                return;
            }
            ran = true;
            try {
                action.run();
            } catch (Exception e) {
                failure = e.toString();
            } catch (Error e) {
                failure = e.toString();
                throw e;
            }
        }
    }

    private final List<Step> steps = new ArrayList<>();
    private static final AtomicBoolean ANY_INTERRUPTED = new AtomicBoolean();
    private final AtomicBoolean interrupted = new AtomicBoolean();
    private volatile Set<Long> before = Set.of();
    private volatile CountDownLatch starting;

    /** Adds a step; it runs before the steps added earlier. */
    synchronized Step add(String what, Action action) {
        Step step = new Step(what, action);
        steps.add(step);
        return step;
    }

    /** Runs every step not run yet, the last added first. */
    void runAll() {
        List<Step> copy;
        synchronized (this) {
            copy = new ArrayList<>(steps);
        }
        for (int i = copy.size() - 1; i >= 0; i--) {
            copy.get(i).run();
        }
    }

    /** What was undone, in order. */
    synchronized List<String> done() {
        List<String> done = new ArrayList<>();
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step step = steps.get(i);
            if (step.ran && step.failure == null) {
                done.add(step.what);
            }
        }
        return done;
    }

    /** What failed to be undone, one line each. */
    synchronized List<String> failures() {
        return steps.stream().filter(s -> s.failure != null).map(s -> "'" + s.what + "': " + s.failure).toList();
    }

    /** Whether the demo was interrupted (Ctrl-C, SIGTERM). */
    boolean interrupted() {
        return interrupted.get();
    }

    /** Whether the shutdown hook of any demo of this JVM ran. */
    static boolean anyInterrupted() {
        return ANY_INTERRUPTED.get();
    }

    /** The node is about to start: processes this JVM starts from now on are the node's. */
    void nodeStarting() {
        before = descendants();
        starting = new CountDownLatch(1);
    }

    /** The node's start returned or failed; what it started is a step now, or already cleaned up by the start. */
    void nodeStartEnded() {
        CountDownLatch latch = starting;
        if (latch != null) {
            latch.countDown();
        }
    }

    /** The shutdown hook's work. */
    void onShutdown() {
        interrupted.set(true);
        ANY_INTERRUPTED.set(true);
        CountDownLatch latch = starting;
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        Map<Long, ProcessHandle> killed = new HashMap<>();
        try {
            // a node half started is no one's to close yet: kill its processes at once (its data is throw-away),
            // so that its start fails and deletes its directory, and wait for that
            while (latch != null && latch.getCount() > 0 && Instant.now().isBefore(deadline)) {
                killNew(killed);
                latch.await(200, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runAll();
        // last resort: nothing the demo started outlives it
        killNew(killed);
        for (ProcessHandle process : killed.values()) {
            try {
                process.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // it was sent SIGKILL; nothing more to do
            }
        }
    }

    /** Kills the processes this JVM started since the node began starting, leaves first. */
    private void killNew(Map<Long, ProcessHandle> killed) {
        List<ProcessHandle> found = ProcessHandle.current().descendants().filter(p -> !before.contains(p.pid()))
                .collect(Collectors.toCollection(ArrayList::new));
        Collections.reverse(found);
        for (ProcessHandle process : found) {
            process.destroyForcibly();
            killed.put(process.pid(), process);
        }
    }

    private static Set<Long> descendants() {
        return ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
    }
}

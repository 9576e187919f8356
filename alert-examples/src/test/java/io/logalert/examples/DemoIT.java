package io.logalert.examples;

import static org.assertj.core.api.Assertions.assertThat;

import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.Mark;
import io.logalert.RunReport;
import io.logalert.examples.demo.DemoOptions;
import io.logalert.examples.demo.DemoRun;
import io.logalert.examples.demo.SampleLogs;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The demo's main logic, against a real node it starts itself and the DingTalk emulator, with a shorter
 * configuration than the README's command (runs 3 s apart, five of them): what the robot's group received, that
 * nothing was lost, and that nothing is left behind.
 */
class DemoIT {

    private static final Pattern RUN_DIR = Pattern.compile("path\\.data=(\\S+)/data");

    @Test
    void theDemoShowsNewAndHeldKindsLosesNothingAndLeavesNothingBehind() {
        Set<Long> processesBefore = descendants();
        List<ProcessHandle> nodeProcesses = new ArrayList<>();
        List<String> nodeCommands = new ArrayList<>();
        ByteArrayOutputStream printed = new ByteArrayOutputStream();

        DemoRun.Result result = DemoRun.run(DemoOptions.DEFAULTS.withCycles(5, Duration.ofSeconds(3)),
                new PrintStream(printed, true, StandardCharsets.UTF_8), (cycle, report) -> {
                    if (cycle == 1) {
                        ProcessHandle.current().descendants().filter(p -> !processesBefore.contains(p.pid()))
                                .forEach(p -> {
                                    nodeProcesses.add(p);
                                    p.info().commandLine().ifPresent(nodeCommands::add);
                                });
                    }
                });
        String output = printed.toString(StandardCharsets.UTF_8);

        List<RunReport> reports = result.reports();
        assertThat(reports).hasSize(5).allSatisfy(r -> assertThat(r.failure()).isEmpty());
        // the robot's group got digests of the three watched projects, none of the excluded one
        List<String> watched = List.of("order-api", "payment-gateway", "user-center");
        assertThat(result.watchedProjects()).containsExactlyElementsOf(watched);
        assertThat(result.delivered()).extracting(Digest::project).containsAll(watched)
                .doesNotContain(SampleLogs.EXCLUDED);
        assertThat(result.accepted()).hasSize(result.delivered().size());
        for (String project : watched) {
            assertThat(result.accepted()).anySatisfy(m -> assertThat(m.text()).contains(project));
        }
        assertThat(result.accepted()).noneSatisfy(m -> assertThat(m.text()).contains(SampleLogs.EXCLUDED));
        assertThat(result.excludedErrors()).isPositive();
        // the first run marks every kind new; realert holds the recurring ones, then shows them with "+N since"
        assertThat(reports.get(0).digests()).hasSize(3).allSatisfy(d -> assertThat(d.groups())
                .extracting(ErrorGroup::mark).containsOnly(Mark.NEW));
        assertThat(reports.get(1).heldByRealert()).isPositive();
        List<ErrorGroup> heldBack = reports.subList(1, 5).stream().flatMap(r -> r.digests().stream())
                .flatMap(d -> d.groups().stream()).filter(g -> g.heldBack().isPresent()).toList();
        assertThat(heldBack).isNotEmpty();
        assertThat(result.accepted()).anySatisfy(m -> assertThat(m.text()).containsPattern("\\(\\+\\d+ since "));
        // a kind first seen after the first run is marked new: the deadlock the logs start in time for run 3
        assertThat(reports.subList(1, 5)).flatExtracting(RunReport::digests).flatExtracting(Digest::groups)
                .anySatisfy(g -> {
                    assertThat(g.mark()).isEqualTo(Mark.NEW);
                    assertThat(g.sampleMessage()).contains("Deadlock found");
                });
        // nothing lost: what the robot was shown plus what is still held equals the errors indexed
        assertThat(result.watchedErrors()).isPresent();
        long indexed = result.watchedErrors().orElseThrow();
        assertThat(result.eventsRead()).isEqualTo(indexed);
        assertThat(result.shownEvents() + result.stillHeld() + result.pendingEvents()).isEqualTo(indexed);
        assertThat(result.pendingEvents()).isZero();
        assertThat(result.stillHeld()).isPositive();
        assertThat(output).contains("nothing lost, nothing counted twice.").contains("RunReport[logalert-demo")
                .contains("The group received")
                .contains("Cleaned up: ").contains("stopped the Elasticsearch node and deleted its directory");
        // nothing left behind: no process of the node, no temporary directory
        assertThat(nodeProcesses).as("the node's processes during the run").isNotEmpty();
        assertThat(nodeProcesses).noneMatch(ProcessHandle::isAlive);
        assertThat(ProcessHandle.current().descendants().filter(p -> !processesBefore.contains(p.pid()))
                .map(p -> p.info().commandLine().orElse(p.toString()))).isEmpty();
        assertThat(result.stateFile().getParent()).doesNotExist();
        Set<Path> nodeDirectories = nodeCommands.stream()
                .flatMap(line -> RUN_DIR.matcher(line).results().map(m -> Path.of(m.group(1))))
                .collect(Collectors.toSet());
        assertThat(nodeDirectories).as("the node's directory, from its command line").hasSize(1);
        assertThat(nodeDirectories.iterator().next()).doesNotExist();
        // wall-clock time depends on the machine (the node's start above all): reported, not asserted
        System.out.printf("DemoIT: the demo took %d ms (node start, 5 runs 3 s apart, clean-up)%n",
                result.elapsed().toMillis());
    }

    private static Set<Long> descendants() {
        return ProcessHandle.current().descendants().map(ProcessHandle::pid).collect(Collectors.toSet());
    }
}

package io.logalert.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.logalert.AlertPipeline;
import io.logalert.Digest;
import io.logalert.ErrorGroup;
import io.logalert.HeldBack;
import io.logalert.LogEvent;
import io.logalert.Mark;
import io.logalert.RunReport;
import io.logalert.Silence;
import io.logalert.testing.InMemoryLogSource;
import io.logalert.testing.ManualClock;
import io.logalert.testing.RecordingAlertSink;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How an application unit-tests its alerting: its own rules ({@link AlertingOfMyApp}) run over an in-memory log,
 * with recording sinks in place of the robots and a clock the test moves. No Elasticsearch, no network, no sleeping:
 * each run is one call to {@code runOnce()}, and time passes when the test says so.
 *
 * <p>To copy it into an application: depend on alert-core (its {@code io.logalert.testing} package holds
 * {@link InMemoryLogSource}, {@link RecordingAlertSink} and {@link ManualClock}), and pass your own rules where this
 * test passes {@link AlertingOfMyApp#rules}.
 */
class MyAppAlertingTest {

    /** The on-call engineer of the checkout team, whom its robot @-mentions. */
    private static final String ONCALL = "13800000000";

    /**
     * Now, for the test. With the rules' 30-second query delay and the default 10-minute first look back, the first
     * run reads the window [09:49:30, 09:59:30).
     */
    private static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");

    private ManualClock clock;
    private InMemoryLogSource log;
    private RecordingAlertSink checkoutRobot;
    private RecordingAlertSink opsWebhook;
    private AlertPipeline pipeline;

    @BeforeEach
    void buildTheAppsPipelineWithTestParts() {
        clock = new ManualClock(NOW);
        log = new InMemoryLogSource();
        // The recording sinks carry the names the rules route to, so the routes are the application's own.
        checkoutRobot = new RecordingAlertSink(AlertingOfMyApp.CHECKOUT_ROBOT);
        opsWebhook = new RecordingAlertSink(AlertingOfMyApp.OPS_WEBHOOK);
        pipeline = AlertingOfMyApp.rules(AlertPipeline.builder()
                        .source(log)
                        .addSink(checkoutRobot)
                        .addSink(opsWebhook)
                        .clock(clock), List.of(ONCALL))
                .build();
    }

    @AfterEach
    void closeThePipeline() {
        pipeline.close();
    }

    @Test
    void theSameErrorWithDifferentOrderNumbersIsOneGroupWithItsCount() {
        // Three failed orders, two order numbers, one kind of error.
        error("09:51:00", "checkout", "order 8812 failed");
        error("09:52:00", "checkout", "order 9017 failed");
        error("09:53:00", "checkout", "order 9017 failed");
        error("09:54:00", "checkout", "cart 77 is locked by another session");

        RunReport report = pipeline.runOnce();

        assertThat(report.eventsRead()).isEqualTo(4);
        Digest digest = onlyDigest(checkoutRobot);
        assertThat(digest.project()).isEqualTo("checkout");
        // Groups come largest first; the order numbers are masked in the template, and one real message is kept.
        assertThat(digest.groups()).extracting(ErrorGroup::template, ErrorGroup::count)
                .containsExactly(tuple("order <*> failed", 3L), tuple("cart <*> is locked by another session", 1L));
        ErrorGroup orders = digest.groups().get(0);
        assertThat(orders.sampleMessage()).isIn("order 8812 failed", "order 9017 failed");
        assertThat(orders.firstSeen()).isEqualTo(at("09:51:00"));
        assertThat(orders.lastSeen()).isEqualTo(at("09:53:00"));
        // Never seen before by this pipeline: the digest says so.
        assertThat(orders.mark()).isEqualTo(Mark.NEW);
        assertThat(digest.totalEvents()).isEqualTo(4);
    }

    @Test
    void eachProjectsDigestGoesToItsTeam() {
        error("09:51:00", "checkout", "order 8812 failed");
        error("09:52:00", "payment-gateway", "upstream answered 502 for charge 77120");
        error("09:53:00", "billing", "invoice 5531 not found");

        pipeline.runOnce();

        // The checkout team's projects (a name and a regular expression) reach its robot, with the on-call
        // engineer @-mentioned...
        assertThat(checkoutRobot.delivered()).extracting(Digest::project)
                .containsExactlyInAnyOrder("checkout", "payment-gateway");
        assertThat(checkoutRobot.delivered()).allSatisfy(d -> assertThat(d.mentions()).containsExactly(ONCALL));
        // ...and every other project goes to operations, mentioning no one: nothing goes to both, nothing nowhere.
        assertThat(opsWebhook.delivered()).extracting(Digest::project).containsExactly("billing");
        assertThat(opsWebhook.delivered().get(0).mentions()).isEmpty();
    }

    @Test
    void realertHoldsARepeatedErrorForAnHourAndThenSaysHowManyWereHeld() {
        error("09:51:00", "checkout", "order 8812 failed");
        // The same kind again, in the second run's window [09:59:30, 10:00:30)...
        error("09:59:45", "checkout", "order 9321 failed");
        // ...and once more, just before the hour is up.
        error("10:59:00", "checkout", "order 9400 failed");

        // Run 1 shows the new kind.
        pipeline.runOnce();
        assertThat(checkoutRobot.delivered()).hasSize(1);

        // Run 2, a minute later: the kind was shown less than an hour ago, so it is held back, not sent, and not
        // dropped either: the report counts it.
        clock.advance(Duration.ofMinutes(1));
        RunReport second = pipeline.runOnce();
        assertThat(second.eventsRead()).isEqualTo(1);
        assertThat(second.heldByRealert()).isEqualTo(1);
        assertThat(checkoutRobot.delivered()).hasSize(1);

        // The scheduler would run every minute; the test does the same for the rest of the hour.
        for (int minute = 0; minute < 59; minute++) {
            clock.advance(Duration.ofMinutes(1));
            pipeline.runOnce();
        }

        // The window that ends an hour after the kind was shown shows it again, with what was held meanwhile:
        // "+1 since 09:59:45".
        assertThat(checkoutRobot.delivered()).hasSize(2);
        Digest again = checkoutRobot.delivered().get(1);
        assertThat(again.window().to()).isEqualTo(at("10:59:30"));
        ErrorGroup orders = again.groups().get(0);
        assertThat(orders.template()).isEqualTo("order <*> failed");
        assertThat(orders.count()).isEqualTo(1);
        assertThat(orders.mark()).isEqualTo(Mark.NONE);
        assertThat(orders.heldBack()).contains(new HeldBack(1, at("09:59:45")));
    }

    @Test
    void aSilenceHoldsAProjectDuringADeployAndItsNextDigestSaysWhatWasHeld() {
        // Billing is being deployed: its errors are expected for a while. An operator silences the project (in an
        // application, from an admin endpoint that calls pipeline.silences()).
        pipeline.silences().add(new Silence("deploy-billing-7.1", Silence.Scope.PROJECT, "billing",
                clock.instant(), clock.instant().plus(Duration.ofHours(1)), "deploying billing 7.1", "alice"));
        error("09:55:00", "billing", "invoice 5531 not found");
        error("09:56:00", "billing", "invoice 5532 not found");
        error("09:57:00", "checkout", "order 8812 failed");

        RunReport during = pipeline.runOnce();

        // Billing's errors are held, and counted in the report; other projects are not affected.
        assertThat(during.heldBySilence()).isEqualTo(2);
        assertThat(opsWebhook.delivered()).isEmpty();
        assertThat(checkoutRobot.delivered()).extracting(Digest::project).containsExactly("checkout");

        // The deploy is done: the silence is removed, and the next run tells operations what it held.
        pipeline.silences().remove("deploy-billing-7.1");
        clock.advance(Duration.ofMinutes(1));
        pipeline.runOnce();

        Digest after = onlyDigest(opsWebhook);
        assertThat(after.project()).isEqualTo("billing");
        assertThat(after.silenced()).singleElement().satisfies(note -> {
            assertThat(note.silenceId()).isEqualTo("deploy-billing-7.1");
            assertThat(note.reason()).isEqualTo("deploying billing 7.1");
            assertThat(note.events()).isEqualTo(2);
        });
    }

    /** Logs an ERROR record of {@code project} at {@code time} today (UTC). */
    private void error(String time, String project, String message) {
        log.add(LogEvent.of(at(time), project, message));
    }

    private static Instant at(String time) {
        return Instant.parse("2026-03-02T" + time + "Z");
    }

    private static Digest onlyDigest(RecordingAlertSink sink) {
        assertThat(sink.delivered()).hasSize(1);
        return sink.delivered().get(0);
    }
}

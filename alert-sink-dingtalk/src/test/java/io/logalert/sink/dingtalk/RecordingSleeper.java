package io.logalert.sink.dingtalk;

import io.logalert.testing.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A sleeper that records the waits and moves a test clock by them instead of waiting. */
final class RecordingSleeper implements Sleeper {

    private final ManualClock clock;
    private final List<Duration> sleeps = new ArrayList<>();

    RecordingSleeper(ManualClock clock) {
        this.clock = clock;
    }

    @Override
    public synchronized void sleep(Duration duration) {
        sleeps.add(duration);
        clock.advance(duration);
    }

    synchronized List<Duration> sleeps() {
        return List.copyOf(sleeps);
    }
}

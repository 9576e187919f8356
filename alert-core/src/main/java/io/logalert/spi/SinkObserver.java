package io.logalert.spi;

import java.time.Duration;

/**
 * What a sink tells about its conversation with the service it posts to, beyond each digest's result: the codes the
 * service answered and the time spent waiting for a rate budget. Metrics listen here; alert-core itself keeps no
 * record. Implementations are cheap and thread-safe, and never throw.
 */
public interface SinkObserver {

    /** Listens to nothing. */
    SinkObserver NONE = new SinkObserver() {
    };

    /**
     * The service answered one message with this platform code: DingTalk's {@code errcode} ({@code "0"} when it took
     * the message), or an HTTP status where the platform has no code of its own.
     */
    default void answered(String code) {
    }

    /** The sink waited this long for a slot of its rate budget before sending one message. */
    default void throttled(Duration waited) {
    }
}

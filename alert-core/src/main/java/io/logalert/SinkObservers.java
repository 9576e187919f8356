package io.logalert;

import io.logalert.spi.SinkObserver;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one observer a sink is given: a sink hears of it once, when the pipeline is built, and any number of parties
 * (metrics bound to several registries, say) listen through {@link AlertPipeline#addSinkObserver} later. An observer
 * that throws is logged, so that it can never fail a delivery.
 */
final class SinkObservers implements SinkObserver {

    private static final Logger log = LoggerFactory.getLogger(SinkObservers.class);

    private final String pipelineId;
    private final String sink;
    private final List<SinkObserver> observers = new CopyOnWriteArrayList<>();

    SinkObservers(String pipelineId, String sink) {
        this.pipelineId = pipelineId;
        this.sink = sink;
    }

    void add(SinkObserver observer) {
        observers.add(observer);
    }

    @Override
    public void answered(String code) {
        for (SinkObserver observer : observers) {
            try {
                observer.answered(code);
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }

    @Override
    public void throttled(Duration waited) {
        for (SinkObserver observer : observers) {
            try {
                observer.throttled(waited);
            } catch (RuntimeException e) {
                failed(e);
            }
        }
    }

    private void failed(RuntimeException e) {
        log.warn("pipeline '{}': an observer of sink {} failed", pipelineId, sink, e);
    }
}

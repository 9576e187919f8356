package io.logalert.spi;

/**
 * Another writer saved a pipeline's state since this store loaded it: saving would overwrite what the other writer
 * remembered, so the save is refused. The pipeline reports the run as failed and loads the newer state next run.
 */
public class StateConflictException extends StateStoreException {

    /** A conflict described by {@code message}. */
    public StateConflictException(String message) {
        super(message);
    }
}

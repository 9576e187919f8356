package io.logalert.spi;

/**
 * A state store could not load, save or reset a pipeline's state. The message names the store and where the state
 * is, says what was wrong, and never contains a secret. A pipeline whose state cannot be loaded does not run: it
 * never starts over in silence.
 */
public class StateStoreException extends RuntimeException {

    /** A failure described by {@code message}. */
    public StateStoreException(String message, Throwable cause) {
        super(message, cause);
    }

    /** A failure described by {@code message}. */
    public StateStoreException(String message) {
        super(message);
    }
}

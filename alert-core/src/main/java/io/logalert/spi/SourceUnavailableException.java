package io.logalert.spi;

/**
 * The log store could not be reached or did not answer in time: a passing failure, worth trying again.
 */
public class SourceUnavailableException extends LogSourceException {

    /** The store behind {@code source} is unreachable for {@code message}'s reason. */
    public SourceUnavailableException(String source, String message, Throwable cause) {
        super(source, message, cause);
    }
}

package io.logalert.spi;

/**
 * A source could not read a window completely. The message says what was wrong and never contains a secret.
 */
public class LogSourceException extends RuntimeException {

    private final String source;

    /** A failure of the source named {@code source}. */
    public LogSourceException(String source, String message, Throwable cause) {
        super(source + ": " + message, cause);
        this.source = source;
    }

    /** A failure of the source named {@code source}. */
    public LogSourceException(String source, String message) {
        this(source, message, null);
    }

    /** The name of the source that failed. */
    public String source() {
        return source;
    }
}

package io.logalert.spi;

import java.time.Instant;
import java.util.Objects;

/**
 * The right of one instance to run a pipeline whose state several instances share: the owner reads and sends each
 * window, the others stand by, and one of them takes over when the lease expires. Written with the state, so a
 * store's conditional writes fence it: an owner that lost its lease cannot save.
 *
 * @param owner     the instance holding it: host, process and a random part
 * @param expiresAt when another instance may take over unless the owner renews it
 */
public record Lease(String owner, Instant expiresAt) {

    /** Validates the record. */
    public Lease {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(expiresAt, "expiresAt");
    }

    /** Whether {@code instance} may run at {@code now}: it owns the lease, or the lease has expired. */
    public boolean allows(String instance, Instant now) {
        return owner.equals(instance) || !now.isBefore(expiresAt);
    }
}

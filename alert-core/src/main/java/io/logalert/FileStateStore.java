package io.logalert;

import io.logalert.spi.PipelineState;
import io.logalert.spi.StateCodec;
import io.logalert.spi.StateStore;
import io.logalert.spi.StateStoreException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps pipeline state in files, one JSON document per pipeline ({@code <directory>/<pipelineId>.json}, written by
 * {@link StateCodec}), so that state and pending digests survive a restart. Type {@code file}; its one key,
 * {@code path}, is the directory, created if missing.
 *
 * <p>A save writes a temporary file in the directory, forces it to disk and renames it over the pipeline's file, so a
 * crash leaves either the old state or the new one, never part of one; leftover temporary files are ignored by
 * {@link #load(String)} and removed by the next {@link #save(PipelineState)}. A file that cannot be read or parsed is
 * a {@link StateStoreException} naming the file, never a fresh start.
 *
 * <p>One writer per directory: the store holds an exclusive lock on {@code <directory>/.lock} from creation until
 * {@link #close()}, and creating a second store over the same directory, in this JVM or another process, fails.
 * Thread-safe.
 *
 * <pre>{@code
 * try (StateStore store = new FileStateStore(Path.of("/var/lib/logalert"))) {
 *     AlertPipeline pipeline = AlertPipeline.builder().stateStore(store)...build();
 * }
 * }</pre>
 */
public final class FileStateStore implements StateStore {

    /** The type name of this store. */
    public static final String TYPE = "file";

    /** The name of the lock file in the state directory. */
    public static final String LOCK_FILE = ".lock";

    private static final String JSON = ".json";
    // Temporary files start with a dot, which no pipeline id does, so they never clash with a state file.
    private static final String TEMP_PREFIX = ".";
    private static final String TEMP_SUFFIX = ".tmp";

    /*
     * The directories locked by stores of this JVM, by real path. Checked before the lock file is even opened: on
     * POSIX systems closing any descriptor of a file drops every lock the process holds on it, so merely opening and
     * closing the lock file of a directory that another store of this JVM holds could release that store's lock.
     */
    private static final Set<Path> LOCKED_IN_THIS_JVM = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final Path realDirectory;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Object writes = new Object();
    private volatile boolean closed;

    /**
     * A store keeping state in {@code directory}, created if missing, and locked until {@link #close()}.
     *
     * @throws StateStoreException when the directory cannot be created or opened, or is in use by another store (of
     *                             this JVM or of another process)
     */
    public FileStateStore(Path directory) {
        this.directory = Objects.requireNonNull(directory, "directory").toAbsolutePath().normalize();
        try {
            Files.createDirectories(this.directory);
        } catch (IOException | UnsupportedOperationException e) {
            throw new StateStoreException("cannot create the state directory " + this.directory + ": "
                    + describe(e) + "; create it, or set 'path' to a directory this process can write", e);
        }
        try {
            this.realDirectory = this.directory.toRealPath();
        } catch (IOException e) {
            throw new StateStoreException("cannot open the state directory " + this.directory + ": " + describe(e), e);
        }
        if (!LOCKED_IN_THIS_JVM.add(realDirectory)) {
            throw new StateStoreException("the state directory " + this.directory + " is in use by another file "
                    + "state store of this process (pid " + ProcessHandle.current().pid() + "): two writers of one "
                    + "directory are refused, since each would overwrite what the other saved; close the other "
                    + "store first, or give this one another 'path'");
        }
        FileChannel channel = null;
        try {
            channel = openLockFile();
            this.lock = acquire(channel);
            this.lockChannel = channel;
        } catch (RuntimeException e) {
            if (!(e.getCause() instanceof OverlappingFileLockException)) {
                // Left open otherwise: closing it would drop the lock the other store of this JVM holds.
                closeQuietly(channel);
            }
            LOCKED_IN_THIS_JVM.remove(realDirectory);
            throw e;
        }
    }

    private FileChannel openLockFile() {
        Path lockFile = directory.resolve(LOCK_FILE);
        try {
            // Not TRUNCATE_EXISTING: when another process holds the lock, its pid in the file names it.
            return FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new StateStoreException("cannot open the lock file " + lockFile + ": " + describe(e)
                    + "; the state directory must be writable by this process", e);
        }
    }

    private FileLock acquire(FileChannel channel) {
        Path lockFile = directory.resolve(LOCK_FILE);
        FileLock acquired;
        try {
            acquired = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            // The set above catches this unless two real paths name one directory (a bind mount, say).
            throw inUseInThisJvm(e);
        } catch (IOException e) {
            throw new StateStoreException("cannot lock the state directory " + directory + " (lock file " + lockFile
                    + "): " + describe(e) + "; the file system must support file locks", e);
        }
        if (acquired == null) {
            throw new StateStoreException("the state directory " + directory + " is in use by another process"
                    + holder(lockFile) + ", which holds its lock file " + lockFile + ": two writers of one directory "
                    + "are refused, since each would overwrite what the other saved; stop the other process, or give "
                    + "this one another 'path'");
        }
        try {
            // The pid lets a refused process say who holds the directory; nothing relies on it being there.
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)),
                    0);
        } catch (IOException e) {
            releaseQuietly(acquired);
            throw new StateStoreException("cannot write the lock file " + lockFile + ": " + describe(e), e);
        }
        return acquired;
    }

    private StateStoreException inUseInThisJvm(RuntimeException cause) {
        return new StateStoreException("the state directory " + directory + " is in use by another file state store "
                + "of this process (pid " + ProcessHandle.current().pid() + "): two writers of one directory are "
                + "refused, since each would overwrite what the other saved; close the other store first, or give "
                + "this one another 'path'", cause);
    }

    private static String holder(Path lockFile) {
        try {
            String pid = Files.readString(lockFile, StandardCharsets.UTF_8).strip();
            return pid.matches("\\d{1,19}") ? " (pid " + pid + ")" : "";
        } catch (IOException | RuntimeException e) {
            // Windows locks the content too, and a holder may not have written its pid yet: the pid is a courtesy.
            return "";
        }
    }

    /**
     * The state last saved for {@code pipelineId}, or empty if it has no file.
     *
     * @throws StateStoreException      naming the file when it cannot be read, is not a state of this schema version,
     *                                  or holds another pipeline's state
     * @throws IllegalArgumentException when {@code pipelineId} cannot name a file (see {@link #fileOf(String)})
     * @throws IllegalStateException    when the store is closed
     */
    @Override
    public Optional<PipelineState> load(String pipelineId) {
        Path file = fileOf(pipelineId);
        ensureOpen();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new StateStoreException("cannot read the state file " + file + ": " + describe(e)
                    + "; make it readable, or reset the pipeline to start over", e);
        }
        PipelineState state = StateCodec.read(bytes, file.toString());
        if (!state.pipelineId().equals(pipelineId)) {
            // A file copied or renamed by hand: loading it would give this pipeline another one's checkpoint.
            throw new StateStoreException("the state file " + file + " holds the state of pipeline '"
                    + state.pipelineId() + "', not of '" + pipelineId + "'; move it back to "
                    + state.pipelineId() + JSON + ", or reset the pipeline to start over");
        }
        return Optional.of(state);
    }

    /**
     * Replaces the file of {@code state.pipelineId()} atomically: a temporary file, forced to disk, renamed over it.
     *
     * @throws StateStoreException      naming the file when it cannot be written; the previous state is kept
     * @throws IllegalArgumentException when the pipeline id cannot name a file
     * @throws IllegalStateException    when the store is closed
     */
    @Override
    public void save(PipelineState state) {
        Objects.requireNonNull(state, "state");
        Path file = fileOf(state.pipelineId());
        byte[] bytes = StateCodec.write(state);
        synchronized (writes) {
            ensureOpen();
            removeLeftoverTempFiles();
            Path temp = null;
            try {
                temp = Files.createTempFile(directory, TEMP_PREFIX + state.pipelineId() + ".", TEMP_SUFFIX);
                try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                    ByteBuffer buffer = ByteBuffer.wrap(bytes);
                    while (buffer.hasRemaining()) {
                        channel.write(buffer);
                    }
                    channel.force(true);
                }
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                temp = null;
            } catch (AtomicMoveNotSupportedException e) {
                throw new StateStoreException("cannot save the state file " + file + ": the file system cannot "
                        + "rename a file atomically, so a crash could leave part of a state; put 'path' on a local "
                        + "file system", e);
            } catch (IOException e) {
                throw new StateStoreException("cannot save the state file " + file + ": " + describe(e)
                        + "; the previous state is kept", e);
            } finally {
                if (temp != null) {
                    deleteQuietly(temp);
                }
            }
            syncDirectory();
        }
    }

    /**
     * Deletes the file of {@code pipelineId}, if any.
     *
     * @throws StateStoreException      naming the file when it cannot be deleted
     * @throws IllegalArgumentException when {@code pipelineId} cannot name a file
     * @throws IllegalStateException    when the store is closed
     */
    @Override
    public void reset(String pipelineId) {
        Path file = fileOf(pipelineId);
        synchronized (writes) {
            ensureOpen();
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                throw new StateStoreException("cannot reset pipeline '" + pipelineId + "': cannot delete its state "
                        + "file " + file + ": " + describe(e), e);
            }
            syncDirectory();
        }
    }

    /**
     * The file that holds the state of {@code pipelineId}.
     *
     * @throws IllegalArgumentException when {@code pipelineId} is not 1 to 64 letters, digits, {@code .}, {@code _}
     *                                  or {@code -} starting with a letter or digit (so it cannot leave the directory)
     */
    public Path fileOf(String pipelineId) {
        Objects.requireNonNull(pipelineId, "pipelineId");
        if (!AlertPipeline.ID.matcher(pipelineId).matches()) {
            throw new IllegalArgumentException("pipeline id '" + pipelineId + "' cannot name a state file in "
                    + directory + ": an id is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or "
                    + "digit");
        }
        return directory.resolve(pipelineId + JSON);
    }

    /** The directory this store keeps state in, as an absolute path. */
    public Path directory() {
        return directory;
    }

    /** {@code file[<directory>]}. */
    @Override
    public String name() {
        return TYPE + "[" + directory + "]";
    }

    /** Releases the directory's lock, after a save in progress ends. Idempotent. */
    @Override
    public void close() {
        synchronized (writes) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                // A stale pid would name the wrong process to the next refused store.
                lockChannel.truncate(0);
            } catch (IOException e) {
                // The pid is a courtesy; releasing the lock is what matters.
            }
            // The lock file stays: deleting it would let a process that opened it just before hold a lock on a file
            // that no longer has a name, while a third process locks a new one.
            releaseQuietly(lock);
            closeQuietly(lockChannel);
            LOCKED_IN_THIS_JVM.remove(realDirectory);
        }
    }

    @Override
    public String toString() {
        return name();
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalStateException("the state store " + name() + " is closed; create a new one to use the "
                    + "directory again");
        }
    }

    private void removeLeftoverTempFiles() {
        // This store holds the directory's lock and saves one at a time, so every temporary file is a crash's.
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory,
                TEMP_PREFIX + "*" + TEMP_SUFFIX)) {
            for (Path leftover : leftovers) {
                deleteQuietly(leftover);
            }
        } catch (IOException e) {
            // Leftovers are ignored by load; the save itself reports a directory it cannot write.
        }
    }

    private void syncDirectory() {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            // Makes the rename or the deletion itself durable, not only the file's content.
            dir.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // Windows cannot open a directory as a channel, and some file systems refuse to force one: there the
            // rename is as durable as the platform makes it, and failing a save that did happen would be worse.
        }
    }

    private static String describe(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException || e instanceof NotDirectoryException) {
            return "a file that is not a directory is in the way (" + ((FileSystemException) e).getFile() + ")";
        }
        if (e instanceof NoSuchFileException n) {
            return "no such file or directory (" + n.getFile() + ")";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason().toLowerCase(Locale.ROOT)
                    + (f.getFile() == null ? "" : " (" + f.getFile() + ")");
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            // A leftover temporary file harms nothing: load ignores it and the next save tries again.
        }
    }

    private static void releaseQuietly(FileLock lock) {
        try {
            lock.release();
        } catch (IOException e) {
            // Closing the channel releases it too.
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel == null) {
            return;
        }
        try {
            channel.close();
        } catch (IOException e) {
            // Nothing left to release: the process's descriptor is gone either way.
        }
    }
}

package dev.anyorder.io;

import java.io.BufferedOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes files so that readers only ever see the old or the new complete content, never a half-written
 * file: the content goes to a hidden temporary file in the same directory ({@code .NAME.XXXX.tmp}),
 * which is flushed to disk ({@code fsync}), renamed over the target with {@link
 * StandardCopyOption#ATOMIC_MOVE}, and the directory is then flushed too where the platform allows it.
 * If writing fails or is interrupted, the temporary file is deleted and the previous file is untouched.
 *
 * <p>For commits of several files, {@link #stage} writes a file without publishing it, and {@link
 * StagedFile#commit()} publishes it later.
 */
public final class AtomicFiles {
  private static final HexFormat HEX = HexFormat.of();

  private AtomicFiles() {}

  /** Produces a file's content onto a stream; the stream must not be closed by the producer. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * A file that was written, with the size and SHA-256 of the bytes written.
   *
   * @param path where the file is (or, for a staged file, will be)
   * @param bytes size in bytes
   * @param sha256 lower-case hex SHA-256 of the content
   */
  public record WrittenFile(Path path, long bytes, String sha256) {
    public WrittenFile {
      Objects.requireNonNull(path, "path must not be null");
      Objects.requireNonNull(sha256, "sha256 must not be null");
      if (bytes < 0) {
        throw new IllegalArgumentException("bytes must be non-negative, got " + bytes);
      }
      if (!sha256.matches("[0-9a-f]{64}")) {
        throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got '" + sha256 + "'");
      }
    }
  }

  /**
   * Content written to a hidden temporary file, flushed to disk but not yet visible under its final name.
   * {@link #commit()} renames it atomically into place; {@link #close()} deletes it unless committed.
   */
  public static final class StagedFile implements AutoCloseable {
    private final Path temporary;
    private final WrittenFile written;
    private boolean committed;

    private StagedFile(Path temporary, WrittenFile written) {
      this.temporary = temporary;
      this.written = written;
    }

    /** The final path, size and checksum this file will have once committed. */
    public WrittenFile written() {
      return written;
    }

    /** Atomically replaces the target with this content and flushes the directory. */
    public WrittenFile commit() throws IOException {
      if (committed) {
        throw new IllegalStateException(written.path() + " is already committed");
      }
      move(temporary, written.path());
      committed = true;
      syncDirectory(written.path().toAbsolutePath().getParent());
      return written;
    }

    /** Deletes the temporary file if it was not committed; never throws. */
    @Override
    public void close() {
      if (!committed) {
        try {
          Files.deleteIfExists(temporary);
        } catch (IOException ignored) {
          // Best effort: a stray hidden .tmp file never shadows a real one.
        }
      }
    }
  }

  /** Atomically replaces {@code target} with what {@code content} writes. */
  public static WrittenFile write(Path target, Content content) throws IOException {
    try (StagedFile staged = stage(target, content)) {
      return staged.commit();
    }
  }

  /** Atomically replaces {@code target} with {@code bytes}. */
  public static WrittenFile writeBytes(Path target, byte[] bytes) throws IOException {
    Objects.requireNonNull(bytes, "bytes must not be null");
    return write(target, out -> out.write(bytes));
  }

  /** Atomically replaces {@code target} with {@code text} encoded as UTF-8. */
  public static WrittenFile writeString(Path target, String text) throws IOException {
    return writeBytes(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /** Atomically replaces {@code target} with the rest of {@code in} (which is not closed). */
  public static WrittenFile copy(Path target, InputStream in) throws IOException {
    Objects.requireNonNull(in, "input stream must not be null");
    return write(target, in::transferTo);
  }

  /**
   * Writes {@code content} to a temporary file next to {@code target} and flushes it to disk, without
   * touching {@code target}. The caller must {@link StagedFile#commit()} or {@link StagedFile#close()} it.
   */
  public static StagedFile stage(Path target, Content content) throws IOException {
    Objects.requireNonNull(target, "target must not be null");
    Objects.requireNonNull(content, "content must not be null");
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    if (dir == null || absolute.getFileName() == null) {
      throw new IllegalArgumentException("cannot write to " + target + ": not a file path");
    }
    Path temporary = createTemporary(dir, absolute.getFileName().toString());
    boolean done = false;
    try {
      WrittenFile written;
      try (FileChannel channel = FileChannel.open(temporary, StandardOpenOption.WRITE)) {
        DigestingStream out = new DigestingStream(
            new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
        content.writeTo(out);
        out.flush();
        channel.force(true);
        written = new WrittenFile(target, out.count, HEX.formatHex(out.digest.digest()));
      }
      done = true;
      return new StagedFile(temporary, written);
    } finally {
      if (!done) {
        Files.deleteIfExists(temporary);
      }
    }
  }

  /** Lower-case hex SHA-256 and size of an existing file, read in a stream. */
  public static WrittenFile digest(Path file) throws IOException {
    MessageDigest digest = sha256();
    long count = 0;
    byte[] buffer = new byte[1 << 16];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buffer)) > 0) {
        digest.update(buffer, 0, n);
        count += n;
      }
    }
    return new WrittenFile(file, count, HEX.formatHex(digest.digest()));
  }

  /** Lower-case hex SHA-256 of {@code bytes}. */
  public static String sha256Hex(byte[] bytes) {
    return HEX.formatHex(sha256().digest(bytes));
  }

  private static Path createTemporary(Path dir, String name) throws IOException {
    for (int attempt = 0; ; attempt++) {
      String suffix = Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 4);
      Path candidate = dir.resolve("." + name + "." + suffix + ".tmp");
      try {
        // Not Files.createTempFile: its owner-only permissions would survive the rename.
        FileChannel.open(candidate, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
        return candidate;
      } catch (FileAlreadyExistsException e) {
        if (attempt >= 100) {
          throw e;
        }
      }
    }
  }

  private static void move(Path from, Path to) throws IOException {
    try {
      Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } catch (AtomicMoveNotSupportedException e) {
      // Same directory, so this is still a rename on every common file system.
      Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
    }
  }

  private static void syncDirectory(Path dir) {
    if (dir == null) {
      return;
    }
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    } catch (IOException | UncheckedIOException ignored) {
      // Some platforms (Windows) cannot open or flush directories; the rename itself is still atomic.
    }
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }

  /** Counts and hashes what passes through; closing only flushes, so producers cannot close the file. */
  private static final class DigestingStream extends FilterOutputStream {
    final MessageDigest digest = sha256();
    long count;

    DigestingStream(OutputStream out) {
      super(out);
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      digest.update((byte) b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      digest.update(b, off, len);
      count += len;
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }

  /** Deletes {@code dir} and everything below it; nothing happens when it does not exist. */
  public static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (java.util.stream.Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not delete " + dir, e);
    }
  }
}

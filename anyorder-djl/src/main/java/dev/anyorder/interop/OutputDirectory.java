package dev.anyorder.interop;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Writes a whole output directory of an σ-GPT (Pannatier, Courdier, Fleuret, 2024) import or export so that
 * it appears complete or not at all: the content goes to a hidden sibling directory which is renamed to the
 * target at the end. The target must not exist or be an empty directory; an existing model is never
 * overwritten.
 */
final class OutputDirectory {
  private OutputDirectory() {}

  /** Writes the content of a directory. */
  @FunctionalInterface
  interface Content {
    void writeInto(Path directory) throws IOException;
  }

  /** Fails unless {@code out} is absent or an empty directory. */
  static void checkWritable(Path out) {
    if (!Files.exists(out)) {
      return;
    }
    if (!Files.isDirectory(out)) {
      throw new InteropException("output " + out + " exists and is not a directory; refusing to overwrite it");
    }
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(out)) {
      if (entries.iterator().hasNext()) {
        throw new InteropException("output directory " + out + " already exists and is not empty; refusing to overwrite it"
            + " (choose a new --out)");
      }
    } catch (IOException e) {
      throw new InteropException("cannot list " + out + ": " + e, e);
    }
  }

  /** Writes {@code content} beside {@code out} and renames it to {@code out}; on failure nothing is left. */
  static void publish(Path out, Content content) {
    checkWritable(out);
    Path target = out.toAbsolutePath().normalize();
    Path parent = target.getParent();
    Path staging = parent.resolve("." + target.getFileName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
        + ".tmp");
    try {
      Files.createDirectories(parent);
      Files.createDirectory(staging);
      content.writeInto(staging);
      checkWritable(out);
      Files.deleteIfExists(target); // only ever an empty directory here
      Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new InteropException("cannot write " + out + ": " + e, e);
    } finally {
      deleteQuietly(staging);
    }
  }

  private static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try {
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException ignored) {
      // Best effort: a hidden staging directory never shadows the real output.
    }
  }
}

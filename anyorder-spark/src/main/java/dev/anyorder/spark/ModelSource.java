package dev.anyorder.spark;

import java.io.IOException;
import java.io.OutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.spark.SparkContext;
import org.apache.spark.SparkFiles;

/**
 * Where executors find a model directory: shipped with the job as an archive ({@code SparkContext.addArchive},
 * unpacked by Spark on each executor and found through {@link SparkFiles}), or at a path every executor can
 * read (a shared file system, or the driver's own disk in local mode).
 *
 * @param path the directory as the driver names it
 * @param shippedName the name of the shipped archive, or null when executors read {@code path}
 */
public record ModelSource(String path, String shippedName) implements Serializable {
  public ModelSource {
    Objects.requireNonNull(path, "path");
  }

  /** A directory every executor reads at {@code dir}. */
  public static ModelSource shared(Path dir) {
    return new ModelSource(checked(dir).toString(), null);
  }

  /**
   * Ships the model directory {@code dir} (its files, not subdirectories) to the executors of {@code context}
   * as a zip archive that Spark unpacks on each of them.
   */
  public static ModelSource ship(SparkContext context, Path dir) {
    Path checked = checked(dir);
    try {
      Path zip = Files.createTempDirectory("anyorder-model").resolve(checked.getFileName() + ".zip");
      try (OutputStream out = Files.newOutputStream(zip); ZipOutputStream z = new ZipOutputStream(out);
          Stream<Path> listing = Files.list(checked)) {
        List<Path> files = listing.filter(Files::isRegularFile).sorted().toList();
        for (Path f : files) {
          z.putNextEntry(new ZipEntry(f.getFileName().toString()));
          Files.copy(f, z);
          z.closeEntry();
        }
      }
      zip.toFile().deleteOnExit();
      zip.getParent().toFile().deleteOnExit();
      context.addArchive(zip.toUri().toString());
      return new ModelSource(checked.toString(), zip.getFileName().toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot pack model directory " + dir + " for the executors", e);
    }
  }

  /** The directory on this JVM: the unpacked archive when the model was shipped, else {@code path}. */
  public Path resolve() {
    if (shippedName != null) {
      Path shipped = Path.of(SparkFiles.get(shippedName));
      if (Files.isDirectory(shipped)) {
        return shipped;
      }
      throw new IllegalStateException("the shipped model " + shippedName + " is not unpacked at " + shipped);
    }
    return Path.of(path);
  }

  private static Path checked(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    if (!Files.isDirectory(absolute)) {
      throw new IllegalArgumentException("model directory " + dir + " does not exist");
    }
    return absolute;
  }
}

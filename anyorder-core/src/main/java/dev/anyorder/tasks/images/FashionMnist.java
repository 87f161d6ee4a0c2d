package dev.anyorder.tasks.images;

import dev.anyorder.tasks.Split;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Locates and loads Fashion-MNIST (Xiao, Rasul, Vollgraf 2017; 28×28 gray clothing images, 10 classes,
 * 60 000 train / 10 000 test) from a directory of IDX files, gzip-compressed or not: files whose names
 * start with {@code train-images}, {@code train-labels}, {@code t10k-images}, {@code t10k-labels}, found
 * in the directory or up to two levels below it. The Debian package {@code dataset-fashion-mnist}
 * installs them under {@link #DEFAULT_DIRECTORY}.
 */
public final class FashionMnist {

  /** Where the Debian package {@code dataset-fashion-mnist} puts the files. */
  public static final Path DEFAULT_DIRECTORY = Path.of("/usr/share/datasets/fashion-mnist");

  /** The class names, by label. */
  public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
      "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

  private FashionMnist() {}

  /** The published train or test half from a directory. */
  public static LabeledImages load(Path directory, Split split) throws IOException {
    String prefix = split == Split.TRAIN ? "train" : "t10k";
    Path images = find(directory, prefix + "-images");
    Path labels = find(directory, prefix + "-labels");
    return LabeledImages.of(IdxReader.readImages(images), IdxReader.readLabels(labels));
  }

  /** The file under {@code directory} whose name starts with {@code prefix}; gzip and plain both count. */
  static Path find(Path directory, String prefix) throws IOException {
    if (!Files.isDirectory(directory)) {
      throw new IOException("Fashion-MNIST directory " + directory + " does not exist; install the Debian package"
          + " dataset-fashion-mnist or pass the directory holding the IDX files");
    }
    List<Path> hits;
    try (Stream<Path> files = Files.walk(directory, 3)) {
      hits = files.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().startsWith(prefix))
          .sorted()
          .collect(Collectors.toList());
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    if (hits.isEmpty()) {
      throw new IOException("no file named " + prefix + "* under " + directory + " (expected e.g. " + prefix
          + "-idx" + (prefix.endsWith("images") ? "3" : "1") + "-ubyte.gz)");
    }
    if (hits.size() > 1) {
      // prefer the uncompressed copy when both exist; otherwise the choice must be unambiguous
      List<Path> plain = hits.stream().filter(p -> !p.toString().endsWith(".gz")).collect(Collectors.toList());
      if (plain.size() == 1) {
        return plain.get(0);
      }
      throw new IOException("several files named " + prefix + "* under " + directory + ": " + hits);
    }
    return hits.get(0);
  }
}

package dev.anyorder.tasks.images;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads IDX files, the format of MNIST and Fashion-MNIST (Xiao, Rasul, Vollgraf 2017): a big-endian magic
 * {@code 0x0000TTNN} (type {@code TT}, only {@code 0x08} unsigned byte is supported; {@code NN}
 * dimensions), {@code NN} big-endian int sizes, then the data. Gzip-compressed files are recognised by
 * their magic bytes, whatever their name. Every error names the file and the problem.
 */
public final class IdxReader {

  /** Magic of an image file: unsigned bytes, 3 dimensions (count, rows, cols). */
  public static final int IMAGES_MAGIC = 0x00000803;
  /** Magic of a label file: unsigned bytes, 1 dimension (count). */
  public static final int LABELS_MAGIC = 0x00000801;

  private IdxReader() {}

  /** Reads an unsigned-byte IDX file of any dimension count. */
  public static IdxArray read(Path file) throws IOException {
    byte[] bytes = readMaybeGzipped(file);
    if (bytes.length < 4) {
      throw new IdxFormatException(file, "truncated header: " + bytes.length + " bytes, need at least 4 for the magic");
    }
    ByteBuffer buf = ByteBuffer.wrap(bytes); // big-endian by default
    int magic = buf.getInt();
    int type = (magic >>> 8) & 0xFF;
    int dims = magic & 0xFF;
    if ((magic >>> 16) != 0 || type != 0x08 || dims == 0) {
      throw new IdxFormatException(file, String.format(
          "bad magic 0x%08X; expected 0x000008NN (unsigned bytes, NN dimensions), e.g. 0x%08X images or 0x%08X labels",
          magic, IMAGES_MAGIC, LABELS_MAGIC));
    }
    if (bytes.length < 4 + 4 * dims) {
      throw new IdxFormatException(file, "truncated header: " + dims + " dimensions need " + (4 + 4 * dims)
          + " header bytes, file has " + bytes.length);
    }
    int[] sizes = new int[dims];
    long expected = 1;
    for (int i = 0; i < dims; i++) {
      sizes[i] = buf.getInt();
      if (sizes[i] < 0) {
        throw new IdxFormatException(file, "dimension " + i + " is negative (" + sizes[i] + ")");
      }
      expected *= sizes[i];
      if (expected > Integer.MAX_VALUE - 16) {
        throw new IdxFormatException(file, "dimensions describe more than 2^31 bytes");
      }
    }
    int actual = buf.remaining();
    if (actual < expected) {
      throw new IdxFormatException(file, "truncated data: dimensions " + Arrays.toString(sizes) + " need "
          + expected + " bytes after the header, found " + actual);
    }
    if (actual > expected) {
      throw new IdxFormatException(file, "dimension mismatch: " + (actual - expected)
          + " bytes beyond the " + expected + " that dimensions " + Arrays.toString(sizes) + " describe");
    }
    byte[] data = new byte[actual];
    buf.get(data);
    return new IdxArray(file, sizes, data);
  }

  /** Reads an image file (magic {@code 0x00000803}): dimensions {@code [count, rows, cols]}. */
  public static IdxArray readImages(Path file) throws IOException {
    IdxArray a = read(file);
    if (a.dimensions().length != 3) {
      throw new IdxFormatException(file, "expected an image file with 3 dimensions (magic 0x00000803), found "
          + a.dimensions().length + " dimensions");
    }
    return a;
  }

  /** Reads a label file (magic {@code 0x00000801}): one label 0..255 per item. */
  public static int[] readLabels(Path file) throws IOException {
    IdxArray a = read(file);
    if (a.dimensions().length != 1) {
      throw new IdxFormatException(file, "expected a label file with 1 dimension (magic 0x00000801), found "
          + a.dimensions().length + " dimensions");
    }
    int[] labels = new int[a.dimension(0)];
    for (int i = 0; i < labels.length; i++) {
      labels[i] = a.unsigned(i);
    }
    return labels;
  }

  private static byte[] readMaybeGzipped(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IdxFormatException(file, "no such file");
    }
    try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
      raw.mark(2);
      int b0 = raw.read();
      int b1 = raw.read();
      raw.reset();
      if (b0 == 0x1F && b1 == 0x8B) {
        try (InputStream gz = new GZIPInputStream(raw)) {
          return gz.readAllBytes();
        } catch (EOFException | ZipException e) {
          throw new IdxFormatException(file, "corrupt or truncated gzip data: " + e.getMessage(), e);
        }
      }
      return raw.readAllBytes();
    }
  }
}

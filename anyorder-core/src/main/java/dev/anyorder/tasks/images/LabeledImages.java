package dev.anyorder.tasks.images;

import java.util.Arrays;

/**
 * A set of equally sized 8-bit grayscale images with class labels, as in one half (train or test) of
 * Fashion-MNIST. Immutable (arrays are copied).
 *
 * @param rows image height
 * @param cols image width
 * @param pixels {@code count·rows·cols} unsigned bytes, image after image, each row-major
 * @param labels one class label per image
 */
public record LabeledImages(int rows, int cols, byte[] pixels, int[] labels) {

  public LabeledImages {
    if (rows < 1 || cols < 1) {
      throw new IllegalArgumentException("images must be at least 1x1, got " + rows + "x" + cols);
    }
    if ((long) labels.length * rows * cols != pixels.length) {
      throw new IllegalArgumentException(labels.length + " labels need " + (long) labels.length * rows * cols
          + " pixels of " + rows + "x" + cols + " images, got " + pixels.length);
    }
    pixels = pixels.clone();
    labels = labels.clone();
  }

  /** Images from an IDX image file and an IDX label file; their counts must agree. */
  public static LabeledImages of(IdxArray images, int[] labels) throws IdxFormatException {
    int[] dims = images.dimensions();
    if (dims.length != 3) {
      throw new IdxFormatException(images.source(), "expected 3 dimensions, found " + dims.length);
    }
    if (dims[0] != labels.length) {
      throw new IdxFormatException(images.source(), "dimension mismatch: " + dims[0] + " images but "
          + labels.length + " labels");
    }
    return new LabeledImages(dims[1], dims[2], images.data(), labels);
  }

  @Override
  public byte[] pixels() {
    return pixels.clone();
  }

  @Override
  public int[] labels() {
    return labels.clone();
  }

  /** Number of images. */
  public int count() {
    return labels.length;
  }

  /** The gray values 0..255 of one image, row-major. */
  public int[] image(int index) {
    if (index < 0 || index >= count()) {
      throw new IndexOutOfBoundsException("image " + index + " of " + count());
    }
    int n = rows * cols;
    int[] g = new int[n];
    for (int i = 0; i < n; i++) {
      g[i] = pixels[index * n + i] & 0xFF;
    }
    return g;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof LabeledImages l && l.rows == rows && l.cols == cols && Arrays.equals(l.pixels, pixels)
        && Arrays.equals(l.labels, labels);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(pixels) * 31 + Arrays.hashCode(labels);
  }

  @Override
  public String toString() {
    return "LabeledImages[" + count() + " of " + rows + "x" + cols + "]";
  }
}

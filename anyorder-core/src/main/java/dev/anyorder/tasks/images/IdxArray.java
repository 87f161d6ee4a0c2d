package dev.anyorder.tasks.images;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * The contents of an unsigned-byte IDX file (the MNIST / Fashion-MNIST file format of LeCun et al.):
 * its dimensions and its data, row-major. Immutable (arrays are copied).
 *
 * @param source file it was read from, for error messages
 * @param dimensions sizes, outermost first (e.g. {@code [count, rows, cols]} for images)
 * @param data unsigned bytes, {@code product(dimensions)} of them
 */
public record IdxArray(Path source, int[] dimensions, byte[] data) {

  public IdxArray {
    dimensions = dimensions.clone();
    data = data.clone();
    long n = 1;
    for (int d : dimensions) {
      n *= d;
    }
    if (n != data.length) {
      throw new IllegalArgumentException(source + ": dimensions " + Arrays.toString(dimensions) + " need " + n
          + " bytes, got " + data.length);
    }
  }

  @Override
  public int[] dimensions() {
    return dimensions.clone();
  }

  @Override
  public byte[] data() {
    return data.clone();
  }

  /** One value as an unsigned int 0..255, by flat index. */
  public int unsigned(int index) {
    return data[index] & 0xFF;
  }

  /** Size along one dimension. */
  public int dimension(int axis) {
    return dimensions[axis];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof IdxArray a && Arrays.equals(a.dimensions, dimensions) && Arrays.equals(a.data, data);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(dimensions) * 31 + Arrays.hashCode(data);
  }

  @Override
  public String toString() {
    return "IdxArray[" + source + ", dimensions=" + Arrays.toString(dimensions) + "]";
  }
}

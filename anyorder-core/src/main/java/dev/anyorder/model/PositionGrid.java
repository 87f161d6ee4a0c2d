package dev.anyorder.model;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * Coordinates of a task's positions, for {@link PositionEncoding#GRID} position tables: each position has one
 * coordinate per axis (a Sudoku cell its row, column and box; a maze cell its half, row and column), and
 * the model learns one {@code d/2}-wide embedding per coordinate value instead of one per position. A
 * position's row of the table is the sum of its coordinates' embeddings, so what the model learns about a
 * row, a column or a box is shared by every cell in it, which is the structure these puzzles are made of.
 *
 * <p>The learned table ({@link WeightLayout#WPE_GRID}) holds the values of axis 0, then of axis 1, and so on,
 * and, for a model with a start slot, a last row for the position "none". {@link #positionTable} expands it
 * into the ordinary per-position table both backends read; {@link #incidence} is the same expansion as a
 * 0/1 matrix, for an engine that trains through it.
 *
 * @param axes names of the axes, for people ({@code row}, {@code column}, {@code box})
 * @param sizes number of values of each axis
 * @param coordinates for each position, its value on each axis, in {@code [0, sizes[a])}
 */
public record PositionGrid(List<String> axes, int[] sizes, int[][] coordinates) {

  public PositionGrid {
    Objects.requireNonNull(axes, "axes");
    Objects.requireNonNull(sizes, "sizes");
    Objects.requireNonNull(coordinates, "coordinates");
    axes = List.copyOf(axes);
    if (axes.isEmpty() || axes.size() != sizes.length) {
      throw new IllegalArgumentException("a position grid needs at least one axis and one size per axis, got " + axes.size()
          + " axes and " + sizes.length + " sizes");
    }
    if (coordinates.length == 0) {
      throw new IllegalArgumentException("a position grid needs at least one position");
    }
    sizes = sizes.clone();
    for (int a = 0; a < sizes.length; a++) {
      if (sizes[a] < 1) {
        throw new IllegalArgumentException("axis " + axes.get(a) + " needs at least one value, got " + sizes[a]);
      }
    }
    int[][] copy = new int[coordinates.length][];
    for (int p = 0; p < coordinates.length; p++) {
      if (coordinates[p] == null || coordinates[p].length != sizes.length) {
        throw new IllegalArgumentException("position " + p + " needs " + sizes.length + " coordinates");
      }
      for (int a = 0; a < sizes.length; a++) {
        if (coordinates[p][a] < 0 || coordinates[p][a] >= sizes[a]) {
          throw new IllegalArgumentException("position " + p + " has " + axes.get(a) + " " + coordinates[p][a] + ", outside [0, "
              + sizes[a] + ")");
        }
      }
      copy[p] = coordinates[p].clone();
    }
    coordinates = copy;
  }

  /** A two-dimensional grid, row-major: position {@code r·width + c} has row {@code r} and column {@code c}. */
  public static PositionGrid rowsAndColumns(int height, int width) {
    int[][] coordinates = new int[height * width][];
    for (int p = 0; p < coordinates.length; p++) {
      coordinates[p] = new int[] {p / width, p % width};
    }
    return new PositionGrid(List.of("row", "column"), new int[] {height, width}, coordinates);
  }

  /** Number of positions. */
  public int positions() {
    return coordinates.length;
  }

  /** Rows of the learned table: every axis value, plus the position "none" when the model has a start slot. */
  public int tableRows(boolean startSlot) {
    return Arrays.stream(sizes).sum() + (startSlot ? 1 : 0);
  }

  /** The learned table's row of value {@code value} of axis {@code axis}. */
  public int row(int axis, int value) {
    int offset = 0;
    for (int a = 0; a < axis; a++) {
      offset += sizes[a];
    }
    return offset + value;
  }

  /**
   * The per-position table, {@code (positions [+1 for "none"], width)} row-major, from the learned table
   * {@code (tableRows, width)}: each position's row is the sum of its coordinates' rows, in axis order.
   */
  public float[] positionTable(float[] learned, int width, boolean startSlot) {
    if (learned.length != tableRows(startSlot) * width) {
      throw new IllegalArgumentException("a grid table of " + tableRows(startSlot) + " rows of " + width + " needs "
          + tableRows(startSlot) * width + " numbers, got " + learned.length);
    }
    int rows = positions() + (startSlot ? 1 : 0);
    float[] out = new float[rows * width];
    for (int p = 0; p < positions(); p++) {
      for (int a = 0; a < sizes.length; a++) {
        int from = row(a, coordinates[p][a]) * width;
        for (int i = 0; i < width; i++) {
          out[p * width + i] += learned[from + i];
        }
      }
    }
    if (startSlot) {
      System.arraycopy(learned, (tableRows(true) - 1) * width, out, positions() * width, width);
    }
    return out;
  }

  /**
   * The expansion as a matrix {@code (positions [+1], tableRows)}: 1 where a position has a coordinate value
   * (and "none" its own row), 0 elsewhere; {@code incidence · learned} is {@link #positionTable}.
   */
  public float[] incidence(boolean startSlot) {
    int cols = tableRows(startSlot);
    int rows = positions() + (startSlot ? 1 : 0);
    float[] m = new float[rows * cols];
    for (int p = 0; p < positions(); p++) {
      for (int a = 0; a < sizes.length; a++) {
        m[p * cols + row(a, coordinates[p][a])] = 1f;
      }
    }
    if (startSlot) {
      m[positions() * cols + cols - 1] = 1f;
    }
    return m;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PositionGrid g && axes.equals(g.axes) && Arrays.equals(sizes, g.sizes)
        && Arrays.deepEquals(coordinates, g.coordinates);
  }

  @Override
  public int hashCode() {
    return 31 * (31 * axes.hashCode() + Arrays.hashCode(sizes)) + Arrays.deepHashCode(coordinates);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    for (int a = 0; a < sizes.length; a++) {
      s.append(a == 0 ? "" : " + ").append(axes.get(a)).append(" (").append(sizes[a]).append(')');
    }
    return s.toString();
  }

  @Override
  public int[] sizes() {
    return sizes.clone();
  }

  @Override
  public int[][] coordinates() {
    int[][] copy = new int[coordinates.length][];
    for (int p = 0; p < copy.length; p++) {
      copy[p] = coordinates[p].clone();
    }
    return copy;
  }
}

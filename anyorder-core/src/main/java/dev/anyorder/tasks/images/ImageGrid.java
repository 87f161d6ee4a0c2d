package dev.anyorder.tasks.images;

import dev.anyorder.tasks.Task;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;

/**
 * Tiles the pictures of several sequences of any {@link Task} into one PNG (sample sheets of generated
 * mazes, sudokus or images), written atomically: a temporary file in the target directory, then a move, so
 * a reader never sees half a PNG.
 */
public final class ImageGrid {

  private static final int BACKGROUND = 0xFFFFFF;

  private ImageGrid() {}

  /** Tiles images left to right, top to bottom, {@code columns} per row, {@code gap} pixels apart. */
  public static BufferedImage compose(List<BufferedImage> tiles, int columns, int gap) {
    if (tiles.isEmpty()) {
      throw new IllegalArgumentException("no images to tile");
    }
    if (columns < 1 || gap < 0) {
      throw new IllegalArgumentException("columns must be >= 1 and gap >= 0, got " + columns + ", " + gap);
    }
    int cellW = 0;
    int cellH = 0;
    for (BufferedImage t : tiles) {
      cellW = Math.max(cellW, t.getWidth());
      cellH = Math.max(cellH, t.getHeight());
    }
    int cols = Math.min(columns, tiles.size());
    int rows = (tiles.size() + cols - 1) / cols;
    BufferedImage sheet = new BufferedImage(cols * cellW + (cols + 1) * gap, rows * cellH + (rows + 1) * gap,
        BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < sheet.getHeight(); y++) {
      for (int x = 0; x < sheet.getWidth(); x++) {
        sheet.setRGB(x, y, BACKGROUND);
      }
    }
    for (int i = 0; i < tiles.size(); i++) {
      BufferedImage t = tiles.get(i);
      int x0 = gap + (i % cols) * (cellW + gap);
      int y0 = gap + (i / cols) * (cellH + gap);
      for (int y = 0; y < t.getHeight(); y++) {
        for (int x = 0; x < t.getWidth(); x++) {
          sheet.setRGB(x0 + x, y0 + y, t.getRGB(x, y));
        }
      }
    }
    return sheet;
  }

  /** Draws each sequence with {@link Task#image} and writes the tiled sheet as a PNG. */
  public static void write(Task task, List<int[]> sequences, int columns, Path png) throws IOException {
    List<BufferedImage> tiles = new ArrayList<>(sequences.size());
    for (int[] s : sequences) {
      tiles.add(task.image(s));
    }
    writePng(compose(tiles, columns, 4), png);
  }

  /** Writes an image as PNG atomically (temporary file in the same directory, then move). */
  public static void writePng(BufferedImage image, Path png) throws IOException {
    Path dir = png.toAbsolutePath().getParent();
    Files.createDirectories(dir);
    Path tmp = Files.createTempFile(dir, "." + png.getFileName(), ".tmp");
    try {
      if (!ImageIO.write(image, "png", tmp.toFile())) {
        throw new IOException("no PNG writer available for " + png);
      }
      try {
        Files.move(tmp, png, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, png, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}

package dev.anyorder.tasks.images;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.tasks.Split;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.tasks.TaskScore;
import dev.anyorder.tasks.maze.MazeConfig;
import dev.anyorder.tasks.maze.MazeTask;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImagesTest {

  @TempDir Path dir;

  /** An IDX file: magic, sizes, data. */
  static byte[] idx(int magic, int[] sizes, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(4 + 4 * sizes.length + data.length);
    b.putInt(magic);
    for (int s : sizes) {
      b.putInt(s);
    }
    b.put(data);
    return b.array();
  }

  static byte[] gzip(byte[] raw) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(raw);
    }
    return out.toByteArray();
  }

  /** {@code count} 4x4 images where image k has pixel i equal to 16·i + k. */
  static byte[] images(int count) {
    byte[] data = new byte[count * 16];
    for (int k = 0; k < count; k++) {
      for (int i = 0; i < 16; i++) {
        data[k * 16 + i] = (byte) (16 * i + k);
      }
    }
    return idx(IdxReader.IMAGES_MAGIC, new int[] {count, 4, 4}, data);
  }

  static byte[] labels(int count) {
    byte[] data = new byte[count];
    for (int k = 0; k < count; k++) {
      data[k] = (byte) k;
    }
    return idx(IdxReader.LABELS_MAGIC, new int[] {count}, data);
  }

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p.getParent());
    Files.write(p, bytes);
    return p;
  }

  @Test
  void readsPlainAndGzippedFiles() throws IOException {
    IdxArray plain = IdxReader.readImages(write("a-idx3-ubyte", images(3)));
    IdxArray gz = IdxReader.readImages(write("b-idx3-ubyte.gz", gzip(images(3))));
    assertArrayEquals(new int[] {3, 4, 4}, plain.dimensions());
    assertEquals(plain, gz);
    assertEquals(16 * 15 + 2, plain.unsigned(2 * 16 + 15));
    assertArrayEquals(new int[] {0, 1, 2}, IdxReader.readLabels(write("l.gz", gzip(labels(3)))));
  }

  @Test
  void reportsBadMagicTruncationAndMismatchNamingTheFile() throws IOException {
    byte[] good = images(3);
    byte[] badMagic = good.clone();
    badMagic[2] = 0x0D; // float type
    Path bad = write("bad-magic", badMagic);
    IdxFormatException e = assertThrows(IdxFormatException.class, () -> IdxReader.read(bad));
    assertTrue(e.getMessage().contains("bad magic 0x00000D03") && e.getMessage().contains(bad.toString()),
        e.getMessage());

    Path truncated = write("truncated", java.util.Arrays.copyOf(good, good.length - 5));
    e = assertThrows(IdxFormatException.class, () -> IdxReader.read(truncated));
    assertTrue(e.getMessage().contains("truncated data") && e.getMessage().contains("truncated"), e.getMessage());
    assertTrue(e.getMessage().contains("need 48 bytes") && e.getMessage().contains("found 43"), e.getMessage());

    Path shortHeader = write("short-header", java.util.Arrays.copyOf(good, 9));
    e = assertThrows(IdxFormatException.class, () -> IdxReader.read(shortHeader));
    assertTrue(e.getMessage().contains("truncated header"), e.getMessage());

    Path truncatedGz = write("truncated.gz", java.util.Arrays.copyOf(gzip(good), 20));
    e = assertThrows(IdxFormatException.class, () -> IdxReader.read(truncatedGz));
    assertTrue(e.getMessage().contains("gzip"), e.getMessage());

    byte[] longer = java.util.Arrays.copyOf(good, good.length + 3);
    Path trailing = write("trailing", longer);
    e = assertThrows(IdxFormatException.class, () -> IdxReader.read(trailing));
    assertTrue(e.getMessage().contains("dimension mismatch"), e.getMessage());

    Path labelsAsImages = write("labels", labels(3));
    e = assertThrows(IdxFormatException.class, () -> IdxReader.readImages(labelsAsImages));
    assertTrue(e.getMessage().contains("3 dimensions"), e.getMessage());

    IdxArray three = IdxReader.readImages(write("three", images(3)));
    e = assertThrows(IdxFormatException.class, () -> LabeledImages.of(three, new int[] {1, 2}));
    assertTrue(e.getMessage().contains("3 images but 2 labels"), e.getMessage());

    assertThrows(IdxFormatException.class, () -> IdxReader.read(dir.resolve("missing")));
  }

  @Test
  void downsamplesAndQuantizesAKnownImage() {
    int[] gray = {
      0, 10, 100, 110,
      20, 30, 120, 131,
      255, 255, 60, 64,
      255, 254, 64, 64,
    };
    int[] pooled = FashionMnistTask.downsample(gray, 4, 4, 2);
    assertArrayEquals(new int[] {15, 115, 255, 63}, pooled); // 115.25 -> 115, 254.75 -> 255, 63 -> 63
    assertArrayEquals(new int[] {0, 1, 3, 0}, FashionMnistTask.quantize(pooled, 4));
    assertArrayEquals(new int[] {0, 0, 1, 1}, FashionMnistTask.quantize(new int[] {0, 127, 128, 255}, 2));
    assertArrayEquals(gray, FashionMnistTask.downsample(gray, 4, 4, 1));
    assertThrows(IllegalArgumentException.class, () -> FashionMnistTask.downsample(gray, 4, 4, 3));
    assertThrows(IllegalArgumentException.class, () -> FashionMnistTask.quantize(new int[] {256}, 4));
  }

  @Test
  void masksCoverTheRightPixels() {
    boolean[] box = new ImageMask.Box(1, 1, 2, 2).known(4, 4);
    assertEquals(12, count(box));
    assertFalse(box[5] || box[6] || box[9] || box[10]);
    boolean[] border = new ImageMask.Border(1).known(4, 4);
    assertEquals(4, count(border));
    assertTrue(border[5] && border[6] && border[9] && border[10]);
    boolean[] right = new ImageMask.RightHalf().known(4, 4);
    assertTrue(right[0] && right[1] && !right[2] && !right[3]);
    boolean[] bottom = new ImageMask.BottomHalf().known(4, 4);
    assertTrue(bottom[7] && !bottom[8]);
    assertEquals(0, count(new ImageMask.Unconditional().known(4, 4)));
    assertThrows(IllegalArgumentException.class, () -> new ImageMask.Box(3, 3, 2, 2).known(4, 4));
    assertThrows(IllegalArgumentException.class, () -> new ImageMask.Border(2).known(4, 4));
    assertThrows(IllegalArgumentException.class, () -> new ImageMask.Border(0));
    assertThrows(IllegalArgumentException.class, () -> new ImageTaskConfig(1, 1, new ImageMask.Unconditional()));
    assertThrows(NullPointerException.class, () -> new ImageTaskConfig(4, 1, null));
  }

  private static int count(boolean[] mask) {
    int n = 0;
    for (boolean b : mask) {
      n += b ? 1 : 0;
    }
    return n;
  }

  private FashionMnistTask fixtureTask(ImageMask mask) throws IOException {
    write("fashion/train-images-idx3-ubyte.gz", gzip(images(5)));
    write("fashion/train-labels-idx1-ubyte.gz", gzip(labels(5)));
    write("fashion/sub/t10k-images-idx3-ubyte", images(3));
    write("fashion/sub/t10k-labels-idx1-ubyte", labels(3));
    return FashionMnistTask.load(new ImageTaskConfig(4, 2, mask), dir.resolve("fashion"));
  }

  @Test
  void loadsADirectoryAndGeneratesInstances() throws IOException {
    FashionMnistTask task = fixtureTask(new ImageMask.RightHalf());
    assertEquals("fashion-mnist-2x2-l4", task.name());
    assertEquals(4, task.length());
    assertEquals(5, task.size(Split.TRAIN));
    assertEquals(3, task.size(Split.TEST));
    // image 0 pixels 16*i: pooled blocks average (0+16+64+80)/4=40, 72, 168, 200 -> levels 0, 1, 2, 3
    assertArrayEquals(new int[] {0, 1, 2, 3}, task.instance(Split.TRAIN, 0).sequence());
    List<TaskInstance> a = task.generate(Split.TRAIN, 5, 3);
    assertEquals(a, task.generate(Split.TRAIN, 5, 3));
    Set<TaskInstance> distinct = new HashSet<>(a);
    assertEquals(1, distinct.size(), "the fixture's images differ by under one level, so all encode alike");
    assertArrayEquals(new boolean[] {true, false, true, false}, a.get(0).known());
    assertThrows(IllegalArgumentException.class, () -> task.generate(Split.TEST, 4, 0));
    assertThrows(IOException.class, () -> FashionMnist.load(dir.resolve("nowhere"), Split.TRAIN));
  }

  @Test
  void drawsWithoutReplacementInSeedOrder() throws IOException {
    write("many/train-images-idx3-ubyte", images(16));
    write("many/train-labels-idx1-ubyte", labels(16));
    write("many/t10k-images-idx3-ubyte", images(2));
    write("many/t10k-labels-idx1-ubyte", labels(2));
    FashionMnistTask task =
        FashionMnistTask.load(new ImageTaskConfig(256, 1, new ImageMask.Unconditional()), dir.resolve("many"));
    Set<Integer> firstPixels = task.generate(Split.TRAIN, 16, 5).stream().map(i -> i.token(0))
        .collect(Collectors.toSet());
    assertEquals(16, firstPixels.size(), "every image exactly once");
    assertNotEquals(task.generate(Split.TRAIN, 16, 5), task.generate(Split.TRAIN, 16, 6));
  }

  @Test
  void checksUnknownPixels() throws IOException {
    FashionMnistTask task = fixtureTask(new ImageMask.RightHalf());
    TaskInstance inst = task.instance(Split.TRAIN, 0);
    TaskScore exact = task.check(inst, inst.sequence());
    assertTrue(exact.is("knownKept"));
    assertEquals(1.0, exact.get("pixelAccuracy"));
    TaskScore half = task.check(inst, new int[] {0, 1, 2, 1});
    assertEquals(0.5, half.get("pixelAccuracy"));
    assertEquals(1.0, half.get("meanLevelError"));
    assertFalse(task.check(inst, new int[] {3, 1, 2, 3}).is("knownKept"));
  }

  @Test
  void rendersAndWritesAGridAtomically() throws IOException {
    FashionMnistTask task = fixtureTask(new ImageMask.Unconditional());
    TaskInstance inst = task.instance(Split.TRAIN, 0);
    assertEquals(" -\n*@\n", task.render(inst.sequence()));
    BufferedImage img = task.image(new int[] {0, 3, dev.anyorder.tasks.Task.UNKNOWN, 1});
    assertEquals(0x000000, img.getRGB(0, 0) & 0xFFFFFF);
    assertEquals(0xFFFFFF, img.getRGB(4, 0) & 0xFFFFFF);
    assertEquals(0xC04080, img.getRGB(0, 4) & 0xFFFFFF);
    Path png = dir.resolve("out/sheet.png");
    ImageGrid.write(task, List.of(inst.sequence(), inst.prompt(), inst.sequence()), 2, png);
    BufferedImage back = ImageIO.read(png.toFile());
    assertEquals(4 + 2 * (8 + 4), back.getWidth());
    assertEquals(4 + 2 * (8 + 4), back.getHeight());
    MazeTask maze = new MazeTask(MazeConfig.defaults());
    ImageGrid.write(maze, List.of(maze.generate(Split.TRAIN, 1, 0).get(0).sequence()), 4, png);
    assertTrue(ImageIO.read(png.toFile()).getWidth() > 100);
    try (Stream<Path> files = Files.list(png.getParent())) {
      assertEquals(List.of(png), files.collect(Collectors.toList()), "no temporary files left");
    }
  }
}

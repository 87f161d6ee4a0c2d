package dev.anyorder.tasks.images;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.tasks.Split;
import dev.anyorder.tasks.Task;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.tasks.TaskKind;
import dev.anyorder.tasks.TaskScore;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;

/**
 * Gray-image generation on Fashion-MNIST (Xiao, Rasul, Vollgraf 2017) for any-order models: random-order
 * generation plus zero-shot inpainting/outpainting as in RandAR and ARPG. A sequence is the row-major
 * pixels of a downsampled, quantized image; the known set comes from the configured {@link ImageMask}.
 *
 * <p>Train/test: the data set's own split (train file vs t10k file). {@link #check} reports {@code
 * knownKept}, {@code pixelAccuracy} and {@code meanLevelError} over the unknown pixels.
 */
public final class FashionMnistTask implements Task {

  private static final int PIXEL_SCALE = 4;
  private static final int UNKNOWN_RGB = 0xC04080;

  private final ImageTaskConfig config;
  private final LabeledImages train;
  private final LabeledImages test;
  private final int height;
  private final int width;
  private final boolean[] known;

  /** A task over already loaded images; train and test must have the same image size. */
  public FashionMnistTask(ImageTaskConfig config, LabeledImages train, LabeledImages test) {
    this.config = Objects.requireNonNull(config, "config");
    this.train = Objects.requireNonNull(train, "train");
    this.test = Objects.requireNonNull(test, "test");
    if (train.rows() != test.rows() || train.cols() != test.cols()) {
      throw new IllegalArgumentException("train images are " + train.rows() + "x" + train.cols()
          + " but test images are " + test.rows() + "x" + test.cols());
    }
    int f = config.downsample();
    if (train.rows() % f != 0 || train.cols() % f != 0) {
      throw new IllegalArgumentException("downsample factor " + f + " does not divide the image size "
          + train.rows() + "x" + train.cols());
    }
    this.height = train.rows() / f;
    this.width = train.cols() / f;
    this.known = config.mask().known(height, width);
  }

  /** Loads both halves of Fashion-MNIST from a directory (see {@link FashionMnist}). */
  public static FashionMnistTask load(ImageTaskConfig config, Path directory) throws IOException {
    return new FashionMnistTask(config, FashionMnist.load(directory, Split.TRAIN), FashionMnist.load(directory,
        Split.TEST));
  }

  public ImageTaskConfig config() {
    return config;
  }

  /** Height of an encoded image, after downsampling. */
  public int height() {
    return height;
  }

  /** Width of an encoded image, after downsampling. */
  public int width() {
    return width;
  }

  /** An image task needs its data set, which lives outside the model: a record names it for people only. */
  public static final TaskKind KIND = (name, params) -> {
    if (name.startsWith("fashion-mnist")) {
      throw new IllegalArgumentException("the image task needs its data set and cannot be rebuilt from a record alone");
    }
    return Optional.empty();
  };

  @Override
  public ObjectNode record() {
    ImageTaskConfig c = config();
    return JsonNodeFactory.instance.objectNode().put("kind", "fashion-mnist").put("name", name()).put("levels", c.levels())
        .put("downsample", c.downsample()).put("mask", String.valueOf(c.mask()));
  }

  @Override
  public String name() {
    return "fashion-mnist-" + height + "x" + width + "-l" + config.levels();
  }

  @Override
  public int vocabSize() {
    return config.levels();
  }

  @Override
  public int length() {
    return height * width;
  }

  /** Row and column of each pixel. */
  @Override
  public java.util.Optional<dev.anyorder.model.PositionGrid> positionGrid() {
    return java.util.Optional.of(dev.anyorder.model.PositionGrid.rowsAndColumns(height, width));
  }

  /** The known mask of every instance, from the configured {@link ImageMask}. */
  public boolean[] knownMask() {
    return known.clone();
  }

  /** Number of images in a split. */
  public int size(Split split) {
    return images(split).count();
  }

  /** The encoded image at an index of a split. */
  public TaskInstance instance(Split split, int index) {
    LabeledImages set = images(split);
    int[] gray = downsample(set.image(index), set.rows(), set.cols(), config.downsample());
    return new TaskInstance(quantize(gray, config.levels()), known);
  }

  /** {@code count} distinct images of a split, drawn without replacement in an order fixed by the seed. */
  @Override
  public List<TaskInstance> generate(Split split, int count, long seed) {
    int n = size(split);
    if (count < 0 || count > n) {
      throw new IllegalArgumentException("asked for " + count + " images but the " + split + " split has " + n);
    }
    int[] order = new int[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Random rng = new Random(seed);
    List<TaskInstance> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      int j = i + rng.nextInt(n - i);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
      out.add(instance(split, order[i]));
    }
    return out;
  }

  @Override
  public TaskScore check(TaskInstance instance, int[] generated) {
    if (generated.length != length() || instance.length() != length()) {
      throw new IllegalArgumentException(name() + " sequences have " + length() + " tokens, got "
          + generated.length);
    }
    int open = 0;
    int right = 0;
    double error = 0;
    for (int i = 0; i < generated.length; i++) {
      if (!instance.isKnown(i)) {
        open++;
        right += generated[i] == instance.token(i) ? 1 : 0;
        boolean valid = generated[i] >= 0 && generated[i] < config.levels();
        error += valid ? Math.abs(generated[i] - instance.token(i)) : config.levels() - 1;
      }
    }
    return TaskScore.builder()
        .put("knownKept", instance.keepsKnown(generated))
        .put("pixelAccuracy", open == 0 ? 1.0 : (double) right / open)
        .put("meanLevelError", open == 0 ? 0.0 : error / open)
        .build();
  }

  /**
   * Average-pools a row-major gray image by an integer factor (rounding to nearest); the factor must divide
   * both sides.
   */
  public static int[] downsample(int[] gray, int rows, int cols, int factor) {
    if (gray.length != rows * cols) {
      throw new IllegalArgumentException("a " + rows + "x" + cols + " image has " + rows * cols + " pixels, got "
          + gray.length);
    }
    if (factor < 1 || rows % factor != 0 || cols % factor != 0) {
      throw new IllegalArgumentException("factor " + factor + " does not divide " + rows + "x" + cols);
    }
    int h = rows / factor;
    int w = cols / factor;
    int cell = factor * factor;
    int[] out = new int[h * w];
    for (int r = 0; r < h; r++) {
      for (int c = 0; c < w; c++) {
        int sum = 0;
        for (int dy = 0; dy < factor; dy++) {
          for (int dx = 0; dx < factor; dx++) {
            sum += gray[(r * factor + dy) * cols + c * factor + dx];
          }
        }
        out[r * w + c] = (sum + cell / 2) / cell;
      }
    }
    return out;
  }

  /** Maps gray values 0..255 to {@code levels} equal-width bands, tokens {@code 0..levels-1}. */
  public static int[] quantize(int[] gray, int levels) {
    if (levels < 2 || levels > 256) {
      throw new IllegalArgumentException("gray levels must be in 2..256, got " + levels);
    }
    int[] out = new int[gray.length];
    for (int i = 0; i < gray.length; i++) {
      if (gray[i] < 0 || gray[i] > 255) {
        throw new IllegalArgumentException("gray value " + gray[i] + " at " + i + " is outside 0..255");
      }
      out[i] = gray[i] * levels / 256;
    }
    return out;
  }

  /** The display gray 0..255 of a token: 0 is black, {@code levels-1} white. */
  public int grayOf(int token) {
    return Math.round(token * 255f / (config.levels() - 1));
  }

  /** Pixels as characters from dark to light; unknown positions as '?'. */
  @Override
  public String render(int[] sequence) {
    requireLength(sequence);
    String ramp = " .:-=+*#%@";
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < height; r++) {
      for (int c = 0; c < width; c++) {
        int t = sequence[r * width + c];
        sb.append(t < 0 || t >= config.levels() ? '?' : ramp.charAt(grayOf(t) * (ramp.length() - 1) / 255));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** The image at {@value #PIXEL_SCALE}× scale; unknown positions in magenta. */
  @Override
  public BufferedImage image(int[] sequence) {
    requireLength(sequence);
    BufferedImage img = new BufferedImage(width * PIXEL_SCALE, height * PIXEL_SCALE, BufferedImage.TYPE_INT_RGB);
    for (int i = 0; i < sequence.length; i++) {
      int t = sequence[i];
      int rgb;
      if (t < 0 || t >= config.levels()) {
        rgb = UNKNOWN_RGB;
      } else {
        int g = grayOf(t);
        rgb = (g << 16) | (g << 8) | g;
      }
      for (int dy = 0; dy < PIXEL_SCALE; dy++) {
        for (int dx = 0; dx < PIXEL_SCALE; dx++) {
          img.setRGB((i % width) * PIXEL_SCALE + dx, (i / width) * PIXEL_SCALE + dy, rgb);
        }
      }
    }
    return img;
  }

  @Override
  public String tokenName(int id) {
    return id >= 0 && id < config.levels() ? "gray" + grayOf(id) : id < 0 ? "?" : "invalid(" + id + ")";
  }

  private LabeledImages images(Split split) {
    return Objects.requireNonNull(split, "split") == Split.TRAIN ? train : test;
  }

  private void requireLength(int[] sequence) {
    if (sequence.length != length()) {
      throw new IllegalArgumentException(name() + " sequences have " + length() + " tokens, got "
          + sequence.length);
    }
  }
}

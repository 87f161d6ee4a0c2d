package dev.anyorder.tasks.images;

import java.util.Objects;

/**
 * How images become token sequences for the image task (docs/algorithms.md#images, Fashion-MNIST): optional
 * average-pool downsampling by an integer factor, then quantization to a few gray levels; and which
 * pixels are given at solve time.
 *
 * @param levels gray levels, 2..256; token {@code t} is the gray band {@code [t·256/levels,
 *     (t+1)·256/levels)}
 * @param downsample pooling factor, 1..16 (1 keeps the size); must divide the image size
 * @param mask the known pixels at solve time (inpainting, outpainting or unconditional)
 */
public record ImageTaskConfig(int levels, int downsample, ImageMask mask) {

  public ImageTaskConfig {
    if (levels < 2 || levels > 256) {
      throw new IllegalArgumentException("gray levels must be in 2..256, got " + levels);
    }
    if (downsample < 1 || downsample > 16) {
      throw new IllegalArgumentException("downsample factor must be in 1..16, got " + downsample);
    }
    Objects.requireNonNull(mask, "mask must not be null; use new ImageMask.Unconditional()");
  }

  /** 4 gray levels, 28×28 → 14×14 (196 tokens), unconditional. */
  public static ImageTaskConfig defaults() {
    return new ImageTaskConfig(4, 2, new ImageMask.Unconditional());
  }

  /** The same encoding with another known mask. */
  public ImageTaskConfig withMask(ImageMask newMask) {
    return new ImageTaskConfig(levels, downsample, newMask);
  }
}

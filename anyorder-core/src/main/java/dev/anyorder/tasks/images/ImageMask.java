package dev.anyorder.tasks.images;

/**
 * Which pixels of an image are given when an any-order model completes it: the zero-shot inpainting and
 * outpainting settings of RandAR (Pang et al. 2024) and ARPG (Li et al. 2025) in random-order image
 * generation. {@link #known} returns a row-major mask, true where a pixel is given.
 */
public sealed interface ImageMask {

  /** The known mask for an image of the given size. */
  boolean[] known(int height, int width);

  /** Nothing is given: unconditional generation. */
  record Unconditional() implements ImageMask {
    @Override
    public boolean[] known(int height, int width) {
      return new boolean[height * width];
    }
  }

  /**
   * Inpainting: the rectangle is missing, everything else is given.
   *
   * @param top first missing row
   * @param left first missing column
   * @param height missing rows, at least 1
   * @param width missing columns, at least 1
   */
  record Box(int top, int left, int height, int width) implements ImageMask {
    public Box {
      if (top < 0 || left < 0 || height < 1 || width < 1) {
        throw new IllegalArgumentException("inpainting box needs top, left >= 0 and height, width >= 1, got top="
            + top + " left=" + left + " height=" + height + " width=" + width);
      }
    }

    @Override
    public boolean[] known(int imageHeight, int imageWidth) {
      if (top + height > imageHeight || left + width > imageWidth) {
        throw new IllegalArgumentException("inpainting box " + this + " does not fit a " + imageHeight + "x"
            + imageWidth + " image");
      }
      boolean[] k = new boolean[imageHeight * imageWidth];
      for (int r = 0; r < imageHeight; r++) {
        for (int c = 0; c < imageWidth; c++) {
          k[r * imageWidth + c] = r < top || r >= top + height || c < left || c >= left + width;
        }
      }
      return k;
    }
  }

  /**
   * Outpainting: a border of the given width is missing, the centre is given.
   *
   * @param width border thickness in pixels, at least 1
   */
  record Border(int width) implements ImageMask {
    public Border {
      if (width < 1) {
        throw new IllegalArgumentException("outpainting border width must be at least 1, got " + width);
      }
    }

    @Override
    public boolean[] known(int imageHeight, int imageWidth) {
      if (2 * width >= Math.min(imageHeight, imageWidth)) {
        throw new IllegalArgumentException("a border of " + width + " leaves nothing of a " + imageHeight + "x"
            + imageWidth + " image");
      }
      boolean[] k = new boolean[imageHeight * imageWidth];
      for (int r = width; r < imageHeight - width; r++) {
        for (int c = width; c < imageWidth - width; c++) {
          k[r * imageWidth + c] = true;
        }
      }
      return k;
    }
  }

  /** Outpainting: the right half (columns from {@code width/2}) is missing. */
  record RightHalf() implements ImageMask {
    @Override
    public boolean[] known(int height, int width) {
      boolean[] k = new boolean[height * width];
      for (int i = 0; i < k.length; i++) {
        k[i] = i % width < width / 2;
      }
      return k;
    }
  }

  /** Outpainting: the bottom half (rows from {@code height/2}) is missing. */
  record BottomHalf() implements ImageMask {
    @Override
    public boolean[] known(int height, int width) {
      boolean[] k = new boolean[height * width];
      for (int i = 0; i < k.length; i++) {
        k[i] = i / width < height / 2;
      }
      return k;
    }
  }
}

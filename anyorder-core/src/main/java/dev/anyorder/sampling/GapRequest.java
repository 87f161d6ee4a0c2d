package dev.anyorder.sampling;

import dev.anyorder.model.GapLayout;
import dev.anyorder.model.ModelConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * An infilling request whose gaps may have unknown lengths (docs/algorithms.md#gaps-of-unknown-length):
 * {@code template[i]} is a known token id, {@link SampleRequest#UNKNOWN} for one unknown token of a
 * fixed-length gap, or {@link #GAP} for a whole gap of unknown length, between 0 and
 * {@code maxLengths[g]} tokens for the {@code g}-th such entry. Several gaps of either kind may appear
 * anywhere.
 *
 * <p>The record checks its own shape; {@link #validate} checks it against a model and its {@link GapLayout}.
 *
 * @param template the known tokens, unknown tokens and gaps, in text order
 * @param maxLengths the longest fill of each gap of unknown length, in text order
 */
public record GapRequest(int[] template, int[] maxLengths) {
  /** Marks a gap of unknown length in {@link #template}. */
  public static final int GAP = GapLayout.MARKER;

  public GapRequest {
    if (template == null || maxLengths == null) {
      throw new IllegalArgumentException("a gap request needs a template and the longest fill of each gap");
    }
    template = template.clone();
    maxLengths = maxLengths.clone();
    int gaps = 0;
    for (int i = 0; i < template.length; i++) {
      if (template[i] == GAP) {
        gaps++;
      } else if (template[i] < SampleRequest.UNKNOWN) {
        throw new IllegalArgumentException("template[" + i + "] = " + template[i]
            + ": use a token id, SampleRequest.UNKNOWN (-1) or GapRequest.GAP (-2)");
      }
    }
    if (gaps != maxLengths.length) {
      throw new IllegalArgumentException("the template has " + gaps + " gaps of unknown length but " + maxLengths.length
          + " longest fills are given");
    }
    for (int g = 0; g < maxLengths.length; g++) {
      if (maxLengths[g] < 0) {
        throw new IllegalArgumentException("gap " + g + " has a negative longest fill: " + maxLengths[g]);
      }
    }
  }

  @Override
  public int[] template() {
    return template.clone();
  }

  @Override
  public int[] maxLengths() {
    return maxLengths.clone();
  }

  /** Number of gaps of unknown length. */
  public int gaps() {
    return maxLengths.length;
  }

  /** Tokens the content has whatever the lengths: known ones and those of fixed-length gaps. */
  public int fixedTokens() {
    return template.length - maxLengths.length;
  }

  /** The template in the length-phase layout of {@link GapLayout#stream}: gaps as markers, unknown tokens as holes. */
  int[] lengthLayout() {
    return template.clone();
  }

  /**
   * The longest fill gap {@code g} may take once the gaps before it have {@code lengths}: its own bound,
   * and no more than the content block still holds (so every choice of lengths fits the model).
   */
  public int capacity(int block, int[] lengths, int g) {
    int used = fixedTokens();
    for (int h = 0; h < g; h++) {
      used += lengths[h];
    }
    return Math.max(0, Math.min(maxLengths[g], block - used));
  }

  /**
   * Checks the request against a model trained for gaps, naming what does not fit.
   *
   * @throws IllegalArgumentException for more gaps than length slots, a gap longer than the model sizes or
   *     than its block, or a text too long for the block even with every gap empty
   */
  public GapRequest validate(ModelConfig config, GapLayout layout) {
    layout.validate(config);
    int block = layout.block(config);
    if (gaps() > layout.slots()) {
      throw new IllegalArgumentException("the text has " + gaps() + " gaps of unknown length; this model sizes at most "
          + layout.slots() + " per text");
    }
    for (int g = 0; g < gaps(); g++) {
      if (maxLengths[g] > block) {
        throw new IllegalArgumentException("gap " + (g + 1) + " may be up to " + maxLengths[g] + " tokens, longer than the model's block of "
            + block + " tokens");
      }
      if (maxLengths[g] > layout.maxGap()) {
        throw new IllegalArgumentException("gap " + (g + 1) + " may be up to " + maxLengths[g] + " tokens, but this model sizes gaps of at most "
            + layout.maxGap());
      }
    }
    if (template.length > block) {
      throw new IllegalArgumentException("the text has " + fixedTokens() + " tokens besides its " + gaps()
          + " gaps of unknown length, more than fit in the model's block of " + block + " tokens");
    }
    for (int i = 0; i < template.length; i++) {
      if (template[i] >= config.vocabSize()) {
        throw new IllegalArgumentException("known token id " + template[i] + " at index " + i + " is outside the vocabulary 0.."
            + (config.vocabSize() - 1));
      }
    }
    return this;
  }

  /** The fixed-length request once each gap {@code g} has {@code lengths[g]} unknown tokens. */
  public int[] expand(int[] lengths) {
    requireLengths(lengths);
    List<Integer> out = new ArrayList<>();
    int g = 0;
    for (int t : template) {
      if (t == GAP) {
        for (int i = 0; i < lengths[g]; i++) {
          out.add(SampleRequest.UNKNOWN);
        }
        g++;
      } else {
        out.add(t);
      }
    }
    return out.stream().mapToInt(Integer::intValue).toArray();
  }

  /**
   * Where each gap lies in the expanded sequence: {@code [start, end)} of gap {@code g} as
   * {@code spans[g][0]}, {@code spans[g][1]}.
   */
  public int[][] spans(int[] lengths) {
    requireLengths(lengths);
    int[][] spans = new int[gaps()][];
    int at = 0;
    int g = 0;
    for (int t : template) {
      if (t == GAP) {
        spans[g] = new int[] {at, at + lengths[g]};
        at += lengths[g];
        g++;
      } else {
        at++;
      }
    }
    return spans;
  }

  private void requireLengths(int[] lengths) {
    if (lengths.length != gaps()) {
      throw new IllegalArgumentException(lengths.length + " lengths for " + gaps() + " gaps");
    }
    for (int g = 0; g < lengths.length; g++) {
      if (lengths[g] < 0 || lengths[g] > maxLengths[g]) {
        throw new IllegalArgumentException("gap " + g + " has length " + lengths[g] + ", outside 0.." + maxLengths[g]);
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GapRequest r && Arrays.equals(template, r.template) && Arrays.equals(maxLengths, r.maxLengths);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(template) * 31 + Arrays.hashCode(maxLengths);
  }

  @Override
  public String toString() {
    return "GapRequest[template=" + Arrays.toString(template) + ", maxLengths=" + Arrays.toString(maxLengths) + "]";
  }
}

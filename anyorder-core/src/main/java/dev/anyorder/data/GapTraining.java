package dev.anyorder.data;

import dev.anyorder.model.GapLayout;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * How a model learns to size gaps of unknown length (docs/algorithms.md#training-for-gaps): a share of the
 * training windows become <em>gap examples</em>, the rest stay ordinary any-order sequences. A gap example
 * hides one to {@code slots} spans of a window and asks for their lengths in the length stream of
 * {@link GapLayout}; with probability {@link #FIXED_SHARE} one more span is a fixed-length gap, so the model
 * also sees gaps whose length is given beside those it must size. Spans are drawn at several scales, so the
 * lengths the model learns cover what people leave out: nothing (an insertion point), a few characters, a
 * word, a phrase of several words, a verse (a line). With a text vocabulary the word, phrase and verse spans
 * start and end at word and line breaks; otherwise they are runs of typical lengths.
 *
 * <p>Recorded in the model's training config as {@code gaps}, which is also how a loaded model knows its
 * {@link GapLayout}.
 *
 * @param share the fraction of training windows made gap examples, in (0, 1]
 * @param slots the most gaps of unknown length per text
 * @param maxGap the longest gap
 * @param wordBreaks token ids that separate words (a space), possibly none
 * @param lineBreaks token ids that end a verse or line, possibly none
 */
public record GapTraining(double share, int slots, int maxGap, int[] wordBreaks, int[] lineBreaks) {
  /** Probability that a gap example also has a fixed-length gap. */
  public static final double FIXED_SHARE = 0.25;
  /** Share of {@link #defaults}. */
  public static final double DEFAULT_SHARE = 0.25;
  /** Length slots of {@link #defaults}. */
  public static final int DEFAULT_SLOTS = 3;
  /** Longest gap of {@link #defaults}, the 0–32 characters the benchmark asks for. */
  public static final int DEFAULT_MAX_GAP = 32;

  public GapTraining {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("the share of gap examples must be in (0, 1], got " + share);
    }
    new GapLayout(slots, maxGap); // checks both
    wordBreaks = wordBreaks == null ? new int[0] : wordBreaks.clone();
    lineBreaks = lineBreaks == null ? new int[0] : lineBreaks.clone();
  }

  /**
   * {@code share} of the windows as gap examples with {@code slots} length slots and gaps up to
   * {@code maxGap}, breaking words at spaces and verses at line ends when {@code vocabulary} is text.
   */
  public static GapTraining of(double share, int slots, int maxGap, Vocabulary vocabulary) {
    return new GapTraining(share, slots, maxGap, idsOf(vocabulary, " "), idsOf(vocabulary, "\n"));
  }

  /** {@value #DEFAULT_SHARE} of the windows, {@value #DEFAULT_SLOTS} slots, gaps up to {@value #DEFAULT_MAX_GAP}. */
  public static GapTraining defaults(Vocabulary vocabulary) {
    return of(DEFAULT_SHARE, DEFAULT_SLOTS, Math.min(DEFAULT_MAX_GAP, vocabulary.size() - 1), vocabulary);
  }

  private static int[] idsOf(Vocabulary vocabulary, String text) {
    if (!(vocabulary instanceof CharacterVocabulary v)) {
      return new int[0];
    }
    int id = v.idOf(text.codePointAt(0));
    return id < 0 ? new int[0] : new int[] {id};
  }

  /** The layout a model trained this way records. */
  public GapLayout layout() {
    return new GapLayout(slots, maxGap);
  }

  @Override
  public int[] wordBreaks() {
    return wordBreaks.clone();
  }

  @Override
  public int[] lineBreaks() {
    return lineBreaks.clone();
  }

  /**
   * One gap example cut from {@code window}: the window in the length-phase layout of {@link GapLayout}
   * (each gap of unknown length one {@link GapLayout#MARKER}, each fixed-length gap its {@link GapLayout#HOLE}s),
   * at most {@code block} positions, and the true length of each gap of unknown length. Null when no span fits.
   */
  public Example example(int[] window, int block, SplittableRandom rng) {
    int wanted = 1 + rng.nextInt(slots);
    boolean withFixed = rng.nextDouble() < FIXED_SHARE;
    List<int[]> spans = new ArrayList<>(); // {start, length, fixed}
    for (int i = 0; i < wanted + (withFixed ? 1 : 0); i++) {
      boolean fixed = i == wanted;
      for (int attempt = 0; attempt < 8; attempt++) {
        int[] span = span(window, rng, fixed);
        if (span != null && spans.stream().noneMatch(s -> span[0] <= s[0] + s[1] && s[0] <= span[0] + span[1])) {
          spans.add(new int[] {span[0], span[1], fixed ? 1 : 0});
          break;
        }
      }
    }
    spans.sort(Comparator.comparingInt(s -> s[0]));
    List<Integer> layout = new ArrayList<>();
    List<Integer> lengths = new ArrayList<>();
    int at = 0;
    for (int[] s : spans) {
      for (; at < s[0]; at++) {
        layout.add(window[at]);
      }
      if (s[2] == 1) {
        for (int k = 0; k < s[1]; k++) {
          layout.add(GapLayout.HOLE);
        }
      } else {
        layout.add(GapLayout.MARKER);
        lengths.add(s[1]);
      }
      at = s[0] + s[1];
    }
    for (; at < window.length; at++) {
      layout.add(window[at]);
    }
    // Empty gaps add a position each; the window's tail makes room, dropping any gap that falls off it.
    while (layout.size() > block) {
      if (layout.remove(layout.size() - 1) == GapLayout.MARKER) {
        lengths.remove(lengths.size() - 1);
      }
    }
    if (lengths.isEmpty()) {
      return null;
    }
    return new Example(layout.stream().mapToInt(Integer::intValue).toArray(), lengths.stream().mapToInt(Integer::intValue).toArray());
  }

  /** A span {start, length} of the window at a randomly chosen scale, or null when that scale finds none. */
  private int[] span(int[] window, SplittableRandom rng, boolean fixed) {
    int n = window.length;
    int scale = rng.nextInt(fixed ? 4 : 5); // 0 characters, 1 word, 2 phrase, 3 verse, 4 empty
    if (n < 2) {
      return null;
    }
    if (scale == 4) {
      return new int[] {1 + rng.nextInt(n - 1), 0};
    }
    boolean text = wordBreaks.length > 0;
    if (scale == 0 || !text) {
      int[][] ranges = {{1, 4}, {3, 8}, {8, 20}, {16, maxGap}};
      int lo = Math.min(ranges[scale][0], maxGap);
      int hi = Math.max(lo, Math.min(ranges[scale][1], maxGap));
      int length = lo + rng.nextInt(hi - lo + 1);
      return length >= n ? null : new int[] {rng.nextInt(n - length + 1), length};
    }
    // A verse runs from a line start to its end; a word or phrase from a word start over 1 or 2-6 words.
    int[] stops = scale == 3 ? lineBreaks : concat(wordBreaks, lineBreaks);
    if (stops.length == 0) {
      return null;
    }
    int words = scale == 2 ? 2 + rng.nextInt(5) : 1;
    int from = rng.nextInt(n);
    while (from < n && (from == 0 || !isIn(window[from - 1], stops))) {
      from++;
    }
    if (from >= n) {
      return null;
    }
    int end = from;
    int seen = 0;
    while (end < n && end - from < maxGap) {
      if (isIn(window[end], stops) && ++seen >= words) {
        break;
      }
      end++;
    }
    int length = end - from;
    return length == 0 ? null : new int[] {from, length};
  }

  private static int[] concat(int[] a, int[] b) {
    int[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static boolean isIn(int token, int[] set) {
    for (int t : set) {
      if (t == token) {
        return true;
      }
    }
    return false;
  }

  /**
   * A gap example: the length-phase layout and the true lengths.
   *
   * @param layout token ids, {@link GapLayout#HOLE} and {@link GapLayout#MARKER}
   * @param lengths the length of each gap of unknown length, left to right
   */
  public record Example(int[] layout, int[] lengths) {
    public Example {
      layout = layout.clone();
      lengths = lengths.clone();
    }

    @Override
    public int[] layout() {
      return layout.clone();
    }

    @Override
    public int[] lengths() {
      return lengths.clone();
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof GapTraining g && Double.compare(share, g.share) == 0 && slots == g.slots && maxGap == g.maxGap
        && Arrays.equals(wordBreaks, g.wordBreaks) && Arrays.equals(lineBreaks, g.lineBreaks);
  }

  @Override
  public int hashCode() {
    return java.util.Objects.hash(share, slots, maxGap) * 31 + Arrays.hashCode(wordBreaks) * 7 + Arrays.hashCode(lineBreaks);
  }

  @Override
  public String toString() {
    return "GapTraining[share=" + share + ", slots=" + slots + ", maxGap=" + maxGap + "]";
  }
}

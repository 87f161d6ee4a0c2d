package dev.anyorder.tasks;

import java.util.Arrays;

/**
 * One instance of a {@link Task}: the full target sequence (what a model is trained on) and which of its
 * positions are given at solve time (the prompt). The known set belongs to the instance because it is
 * not always a function of the sequence: a sudoku's givens are chosen when the puzzle is carved.
 *
 * <p>Immutable: both arrays are copied on the way in and on the way out.
 *
 * @param sequence token ids of the complete instance
 * @param known {@code known[i]} is true when position {@code i} is given; same length as {@code sequence}
 */
public record TaskInstance(int[] sequence, boolean[] known) {

  public TaskInstance {
    if (sequence == null || known == null) {
      throw new IllegalArgumentException("sequence and known mask must not be null");
    }
    if (sequence.length != known.length) {
      throw new IllegalArgumentException(
          "known mask has length " + known.length + " but the sequence has length " + sequence.length);
    }
    sequence = sequence.clone();
    known = known.clone();
  }

  @Override
  public int[] sequence() {
    return sequence.clone();
  }

  @Override
  public boolean[] known() {
    return known.clone();
  }

  /** Number of positions. */
  public int length() {
    return sequence.length;
  }

  /** The token at a position, without copying. */
  public int token(int position) {
    return sequence[position];
  }

  /** Whether a position is given, without copying. */
  public boolean isKnown(int position) {
    return known[position];
  }

  /** The prompt view: the sequence with every unknown position replaced by {@link Task#UNKNOWN}. */
  public int[] prompt() {
    int[] p = sequence.clone();
    for (int i = 0; i < p.length; i++) {
      if (!known[i]) {
        p[i] = Task.UNKNOWN;
      }
    }
    return p;
  }

  /** Whether {@code generated} keeps every known token of this instance. */
  public boolean keepsKnown(int[] generated) {
    if (generated.length != sequence.length) {
      return false;
    }
    for (int i = 0; i < sequence.length; i++) {
      if (known[i] && generated[i] != sequence[i]) {
        return false;
      }
    }
    return true;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskInstance t
        && Arrays.equals(sequence, t.sequence)
        && Arrays.equals(known, t.known);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(sequence) + Arrays.hashCode(known);
  }

  @Override
  public String toString() {
    return "TaskInstance[length=" + sequence.length + ", sequence=" + Arrays.toString(sequence) + "]";
  }
}

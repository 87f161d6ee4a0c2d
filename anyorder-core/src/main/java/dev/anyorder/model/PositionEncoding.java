package dev.anyorder.model;

/** How the two position tables of a σ-GPT are built: trained parameters, fixed sinusoids, or sums of coordinate embeddings. */
public enum PositionEncoding {
  /** A trained table of {@code d/2}-wide rows (the default, as in the σ-GPT paper). */
  LEARNED,
  /** Fixed sinusoids of Vaswani et al. (2017), {@code d/2} wide; nothing to train. */
  SINUSOIDAL,
  /**
   * Each position's row is the sum of one trained embedding per coordinate of the task's {@link PositionGrid}
   * (row, column, box), so what is learned about a row is shared by its cells.
   */
  GRID
}

package dev.anyorder.model;

/** How the two position tables of a σ-GPT are built: trained parameters or fixed sinusoids. */
public enum PositionEncoding {
  /** A trained table of {@code d/2}-wide rows (the default, as in the σ-GPT paper). */
  LEARNED,
  /** Fixed sinusoids of Vaswani et al. (2017), {@code d/2} wide; nothing to train. */
  SINUSOIDAL
}

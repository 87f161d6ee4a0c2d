package dev.anyorder.model;

/**
 * One input step of a σ-GPT: the token it carries, that token's position, and the position whose token
 * the step predicts (the double positional encoding of Pannatier et al., 2024). The start slot is the
 * step {@code (startToken, nonePosition, firstTarget)}.
 */
public record Step(int token, int fromPosition, int toPosition) {

  /** Checks the step against a model's tables, naming what is out of range. */
  public Step validate(ModelConfig c) {
    if (token < 0 || token >= c.embeddingRows()) {
      throw new IllegalArgumentException("token id " + token + " is outside the vocabulary (0.." + (c.vocabSize() - 1) + ")");
    }
    if (fromPosition < 0 || fromPosition >= c.positionRows()) {
      throw new IllegalArgumentException("position " + fromPosition + " is outside 0.." + (c.maxLength() - 1));
    }
    if (toPosition < 0 || toPosition >= c.maxLength()) {
      throw new IllegalArgumentException("target position " + toPosition + " is outside 0.." + (c.maxLength() - 1));
    }
    return this;
  }
}

package dev.anyorder.model;

import java.util.Objects;

/**
 * Shape of a σ-GPT network (Pannatier, Courdier, Fleuret, "σ-GPTs: A New Approach to Autoregressive
 * Models", 2024): a GPT-2 style decoder whose input carries two positions, the position of the token it
 * holds and the position to predict next.
 *
 * <p>With {@code startSlot} the embedding table has one extra row (the start token, id {@link
 * #startToken()}) and the position table one extra row (the position "none", index {@link
 * #nonePosition()}), so every token of a sequence is predicted. Models imported from the published
 * σ-GPT code have no start slot: their first token in an order is always given.
 *
 * @param vocabSize number of real tokens (the start token is not counted)
 * @param maxLength longest sequence the position table covers
 * @param layers number of transformer blocks
 * @param heads attention heads per block; must divide {@code dim}
 * @param dim residual width; must be even (each position half is {@code dim/2} wide)
 * @param mlpRatio hidden width of the MLP as a multiple of {@code dim}
 * @param dropout dropout probability during training, in [0, 1)
 * @param positions learned, sinusoidal or grid position tables
 * @param bias whether linear layers and LayerNorms carry biases
 * @param startSlot whether the model has the start token and the "none" position
 * @param grid the coordinates of the positions when {@code positions} is {@link PositionEncoding#GRID}, else null
 */
public record ModelConfig(
    int vocabSize,
    int maxLength,
    int layers,
    int heads,
    int dim,
    int mlpRatio,
    double dropout,
    PositionEncoding positions,
    boolean bias,
    boolean startSlot,
    PositionGrid grid) {

  public ModelConfig {
    Objects.requireNonNull(positions, "positions must be LEARNED, SINUSOIDAL or GRID");
    require((positions == PositionEncoding.GRID) == (grid != null),
        positions == PositionEncoding.GRID ? "grid positions need the task's coordinates" : "only grid positions take coordinates");
    require(grid == null || grid.positions() == maxLength, grid == null ? "" : "the position grid has " + grid.positions()
        + " positions but maxLength is " + maxLength);
    require(vocabSize >= 1, "vocabSize must be at least 1, got " + vocabSize);
    require(maxLength >= 1, "maxLength must be at least 1, got " + maxLength);
    require(layers >= 1, "layers must be at least 1, got " + layers);
    require(heads >= 1, "heads must be at least 1, got " + heads);
    require(dim >= 2 && dim % 2 == 0, "dim must be even and at least 2 (two position halves), got " + dim);
    require(dim % heads == 0, "dim (" + dim + ") must be divisible by heads (" + heads + ")");
    require(mlpRatio >= 1, "mlpRatio must be at least 1, got " + mlpRatio);
    require(dropout >= 0 && dropout < 1, "dropout must be in [0, 1), got " + dropout);
  }

  /** A model without a position grid (learned or sinusoidal positions). */
  public ModelConfig(int vocabSize, int maxLength, int layers, int heads, int dim, int mlpRatio, double dropout,
      PositionEncoding positions, boolean bias, boolean startSlot) {
    this(vocabSize, maxLength, layers, heads, dim, mlpRatio, dropout, positions, bias, startSlot, null);
  }

  /** This shape with other position tables: {@code grid} for {@link PositionEncoding#GRID}, ignored otherwise. */
  public ModelConfig withPositions(PositionEncoding encoding, PositionGrid coordinates) {
    return new ModelConfig(vocabSize, maxLength, layers, heads, dim, mlpRatio, dropout, encoding, bias, startSlot,
        encoding == PositionEncoding.GRID ? coordinates : null);
  }

  /** A model with the defaults of the σ-GPT paper: learned positions, no bias, start slot, MLP ratio 4. */
  public static ModelConfig of(int vocabSize, int maxLength, int layers, int heads, int dim) {
    return new ModelConfig(vocabSize, maxLength, layers, heads, dim, 4, 0.0, PositionEncoding.LEARNED, false, true);
  }

  /** Rows of the token embedding: the vocabulary plus the start token when there is a start slot. */
  public int embeddingRows() {
    return vocabSize + (startSlot ? 1 : 0);
  }

  /** Rows of the position table: every position plus "none" when there is a start slot. */
  public int positionRows() {
    return maxLength + (startSlot ? 1 : 0);
  }

  /** Token id of the start slot's input token. */
  public int startToken() {
    requireStartSlot();
    return vocabSize;
  }

  /** Position index meaning "none", carried by the start slot. */
  public int nonePosition() {
    requireStartSlot();
    return maxLength;
  }

  public int headDim() {
    return dim / heads;
  }

  /** Number of trainable scalars, counting the tied head once. */
  public long parameterCount() {
    long d = dim;
    long perLayer = 2 * d + 3 * d * d + d * d + 2 * mlpRatio * d * d
        + (bias ? (2 * d + 3 * d + d + mlpRatio * d + d) : 0);
    long table = switch (positions) {
      case LEARNED -> (long) positionRows() * (d / 2);
      case GRID -> (long) grid.tableRows(startSlot) * (d / 2);
      case SINUSOIDAL -> 0;
    };
    long emb = (long) embeddingRows() * d + table;
    return emb + layers * perLayer + d + (bias ? d : 0);
  }

  /** Floating-point operations of one forward pass over {@code tokens} steps (2 per multiply-add). */
  public double forwardFlopsPerToken(int contextLength) {
    double d = dim;
    double matmul = layers * (4 * d * d + 2 * mlpRatio * d * d) + d * vocabSize;
    double attention = layers * 2.0 * d * contextLength; // q·k and p·v, averaged over a causal window
    return 2 * matmul + 2 * attention;
  }

  private void requireStartSlot() {
    if (!startSlot) {
      throw new IllegalStateException("this model has no start slot: its first token must be given");
    }
  }

  private static void require(boolean ok, String message) {
    if (!ok) {
      throw new IllegalArgumentException("invalid model config: " + message);
    }
  }
}

package dev.anyorder.model.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.Activation;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.LayerNorm;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.SinusoidalPositions;
import dev.anyorder.model.WeightLayout;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The σ-GPT transformer on DJL tensors (Pannatier, Courdier, Fleuret, 2024): GPT-2 pre-LayerNorm blocks
 * (Radford et al., 2019) whose input adds a token embedding to the concatenation of two position
 * embeddings, the position of the token carried and the position to predict. The output head is tied to
 * the token embedding.
 *
 * <p>There is one forward function. Training calls it with no cache and a causal mask; decoding calls it
 * with the cached keys and values and a mask that encodes which cached and new steps each row sees
 * (see {@link DjlNetwork}). Parameters live in this object's manager; every intermediate array belongs to
 * the manager of the caller's inputs, so a per-step sub-manager frees everything a step allocates.
 */
public final class SigmaGpt implements AutoCloseable {
  private static final float LN_EPS = 1e-5f;

  private final ModelConfig config;
  private final NDManager manager;
  private final Map<String, NDArray> parameters;
  private final NDArray sinusoids;
  private final NDArray zeroBias;
  private final Shape normalizedShape;
  /** 1/sqrt(head width), a PyTorch-owned scalar: autograd keeps it for backward (see {@link OwnedArrays}). */
  private final NDArray attentionScale;
  /** The parameters of each block, resolved once so the forward pass looks nothing up by name. */
  private final java.util.List<BlockWeights> blocks;
  private final LayerNormWeights finalNorm;
  /** The token embedding, also the output head (tied). */
  private final NDArray tokenEmbedding;
  /** The position table both position halves read: learned, or the fixed sinusoids; null for grid positions. */
  private final NDArray positionTable;
  /**
   * Grid positions: the fixed 0/1 matrix that expands the coordinate embeddings into the position table
   * ({@code PositionGrid.incidence}); the table is rebuilt from the trained embeddings on every forward pass,
   * so gradients reach the coordinates. Null for other position tables.
   */
  private final NDArray gridIncidence;

  /** A LayerNorm's gain and shift (the shared zero shift when the model has no biases). */
  private record LayerNormWeights(NDArray gain, NDArray shift) {}

  /** A linear layer's {@code (out, in)} weight and its bias, null when the model has no biases. */
  private record LinearWeights(NDArray weight, NDArray bias) {}

  /** One GPT-2 block: attention (fused query/key/value projection, output projection) and the MLP. */
  private record BlockWeights(LayerNormWeights attentionNorm, LinearWeights queryKeyValue, LinearWeights attentionOutput,
      LayerNormWeights mlpNorm, LinearWeights expand, LinearWeights contract) {}

  private SigmaGpt(ModelConfig config, NDManager parent, Map<String, float[]> weights, boolean trainable) {
    this.config = config;
    this.manager = parent.newSubManager();
    Map<String, long[]> layout = WeightLayout.expected(config);
    Map<String, NDArray> params = new LinkedHashMap<>();
    for (Map.Entry<String, long[]> e : layout.entrySet()) {
      if (e.getKey().equals(WeightLayout.LM_HEAD)) {
        continue; // tied to the token embedding
      }
      float[] data = weights.get(e.getKey());
      if (data == null) {
        throw new IllegalArgumentException("missing tensor " + e.getKey());
      }
      NDArray a = owned(data, new Shape(e.getValue()));
      if (trainable) {
        a.setRequiresGradient(true);
      }
      params.put(e.getKey(), a);
    }
    this.parameters = Collections.unmodifiableMap(params);
    this.sinusoids = config.positions() == PositionEncoding.SINUSOIDAL
        ? owned(SinusoidalPositions.table(config.positionRows(), config.dim() / 2), new Shape(config.positionRows(), config.dim() / 2))
        : null;
    this.zeroBias = config.bias() ? null : manager.zeros(new Shape(config.dim()));
    this.normalizedShape = new Shape(config.dim());
    this.attentionScale = OwnedArrays.scalar(manager, (float) (1.0 / Math.sqrt(config.headDim())));
    java.util.List<BlockWeights> resolved = new java.util.ArrayList<>(config.layers());
    for (int i = 0; i < config.layers(); i++) {
      String p = WeightLayout.block(i);
      resolved.add(new BlockWeights(layerNormWeights(p + "ln_1"), linearWeights(p + "attn.c_attn"),
          linearWeights(p + "attn.c_proj"), layerNormWeights(p + "ln_2"), linearWeights(p + "mlp.c_fc"),
          linearWeights(p + "mlp.c_proj")));
    }
    this.blocks = java.util.List.copyOf(resolved);
    this.finalNorm = layerNormWeights(WeightLayout.LN_F);
    this.tokenEmbedding = parameters.get(WeightLayout.WTE);
    this.positionTable = sinusoids != null ? sinusoids : parameters.get(WeightLayout.WPE);
    this.gridIncidence = config.positions() == PositionEncoding.GRID
        ? owned(config.grid().incidence(config.startSlot()), new Shape(config.positionRows(), config.grid().tableRows(config.startSlot())))
        : null;
  }

  /** The position table of this pass, in {@code scope}: the stored one, or grid positions expanded from their coordinates. */
  private NDArray positionTable(NDManager scope) {
    if (gridIncidence == null) {
      return positionTable;
    }
    NDArray table = gridIncidence.matMul(parameters.get(WeightLayout.WPE_GRID));
    table.attach(scope); // a product belongs to its first operand's manager, the model's: hand it to the pass
    return table;
  }

  private LayerNormWeights layerNormWeights(String name) {
    return new LayerNormWeights(parameters.get(name + ".weight"), config.bias() ? parameters.get(name + ".bias") : zeroBias);
  }

  private LinearWeights linearWeights(String name) {
    return new LinearWeights(parameters.get(name + ".weight"), config.bias() ? parameters.get(name + ".bias") : null);
  }

  private NDArray owned(float[] data, Shape shape) {
    return OwnedArrays.floats(manager, data, shape);
  }

  /** A freshly initialised model (GPT-2 initialisation, deterministic in {@code seed}). */
  public static SigmaGpt initialize(ModelConfig config, long seed, NDManager parent, boolean trainable) {
    return new SigmaGpt(config, parent, initialWeights(config, seed), trainable);
  }

  /** A model holding the given weights, keyed by {@link WeightLayout} names. */
  public static SigmaGpt fromWeights(ModelConfig config, Map<String, float[]> weights, NDManager parent, boolean trainable) {
    return new SigmaGpt(config, parent, weights, trainable);
  }

  /**
   * GPT-2 initialisation: weights and embeddings N(0, 0.02), the residual projections ({@code c_proj})
   * N(0, 0.02/sqrt(2·layers)), biases zero, LayerNorm gains one.
   */
  public static Map<String, float[]> initialWeights(ModelConfig config, long seed) {
    SplittableRandom root = new SplittableRandom(seed);
    Map<String, float[]> w = new LinkedHashMap<>();
    double residualStd = 0.02 / Math.sqrt(2.0 * config.layers());
    for (Map.Entry<String, long[]> e : WeightLayout.expected(config).entrySet()) {
      String name = e.getKey();
      if (name.equals(WeightLayout.LM_HEAD)) {
        continue;
      }
      long[] shape = e.getValue();
      int n = Math.toIntExact(product(shape));
      float[] data = new float[n];
      SplittableRandom rng = root.split();
      if (name.endsWith(".bias")) {
        // zeros
      } else if (shape.length == 1) {
        java.util.Arrays.fill(data, 1f);
      } else {
        double std = name.endsWith("c_proj.weight") ? residualStd : 0.02;
        for (int i = 0; i < n; i++) {
          data[i] = (float) (std * gaussian(rng));
        }
      }
      w.put(name, data);
    }
    return w;
  }

  public ModelConfig config() {
    return config;
  }

  /** Trainable tensors by {@link WeightLayout} name (the tied head is not repeated). */
  public Map<String, NDArray> parameters() {
    return parameters;
  }

  /** Copies the weights out, keyed by {@link WeightLayout} names, including the tied head. */
  public Map<String, float[]> weights() {
    Map<String, float[]> out = new LinkedHashMap<>();
    for (String name : WeightLayout.expected(config).keySet()) {
      String source = name.equals(WeightLayout.LM_HEAD) ? WeightLayout.WTE : name;
      out.put(name, parameters.get(source).toFloatArray());
    }
    return out;
  }

  /** Replaces every weight in place (used to restore a checkpoint into a live model). */
  public void load(Map<String, float[]> weights) {
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      float[] data = weights.get(e.getKey());
      if (data == null || data.length != e.getValue().size()) {
        throw new IllegalArgumentException("missing or mis-sized tensor " + e.getKey());
      }
      OwnedArrays.copyInto(e.getValue(), data);
    }
  }

  /**
   * Keys and values of one block for a batch: {@code (B, heads, S, headDim)} each.
   */
  public record KeyValues(NDArray keys, NDArray values) {}

  /** Output of {@link #forward}: final hidden states {@code (B, T, d)}. */
  public record Output(NDArray hidden) {}

  /**
   * Where a block's attention reads its keys and values from. Decoding hands the block's new keys and
   * values to the cache, which stores them in place and returns a view of everything the rows may see
   * (the mask then selects per row); without a cache the rows see only each other.
   */
  public interface KeyValueCache {
    /** The keys and values block {@code layer} attends to, after storing {@code fresh} {@code (B, heads, T, headDim)}. */
    KeyValues attended(int layer, KeyValues fresh);
  }

  /**
   * Runs the blocks over {@code T} new steps per sequence.
   *
   * @param tokens {@code (B, T)} int64 input tokens
   * @param from {@code (B, T)} int64 positions of the input tokens
   * @param to {@code (B, T)} int64 positions to predict
   * @param cache where the decoding cache lives, or null for a cache-free pass
   * @param mask additive mask broadcastable to {@code (B, heads, T, S)}, {@code S} the number of keys the
   *     cache returns ({@code T} without one): 0 where a row may look, a large negative number elsewhere
   * @param training whether dropout is active
   */
  public Output forward(NDArray tokens, NDArray from, NDArray to, KeyValueCache cache, NDArray mask, boolean training) {
    long b = tokens.getShape().get(0);
    long t = tokens.getShape().get(1);
    int h = config.heads();
    int hd = config.headDim();
    int d = config.dim();
    NDArray x = Embedding.embedding(tokens, tokenEmbedding, SparseFormat.DENSE).singletonOrThrow();
    NDArray table = positionTable(tokens.getManager());
    NDArray pFrom = Embedding.embedding(from, table, SparseFormat.DENSE).singletonOrThrow();
    NDArray pTo = Embedding.embedding(to, table, SparseFormat.DENSE).singletonOrThrow();
    x = x.add(pFrom.concat(pTo, 2));
    x = dropout(x, training);
    for (int i = 0; i < config.layers(); i++) {
      BlockWeights block = blocks.get(i);
      NDArray a = layerNorm(x, block.attentionNorm());
      NDList qkv = linear(a, block.queryKeyValue()).split(3, 2);
      // Scaling q rather than the scores touches T·hd numbers per row instead of T·S.
      NDArray q = heads(qkv.get(0), b, t, h, hd).mul(attentionScale);
      NDArray k = heads(qkv.get(1), b, t, h, hd);
      NDArray v = heads(qkv.get(2), b, t, h, hd);
      NDArray keys = k;
      NDArray values = v;
      if (cache != null) {
        KeyValues seen = cache.attended(i, new KeyValues(k, v));
        keys = seen.keys();
        values = seen.values();
      }
      NDArray scores = q.matMul(keys.transpose(0, 1, 3, 2)).addi(mask);
      NDArray attention = dropout(scores.softmax(-1), training);
      NDArray y = attention.matMul(values).transpose(0, 2, 1, 3).reshape(b, t, d);
      x = x.add(dropout(linear(y, block.attentionOutput()), training));
      NDArray m = linear(layerNorm(x, block.mlpNorm()), block.expand());
      m = linear(Activation.gelu(m), block.contract());
      x = x.add(dropout(m, training));
    }
    return new Output(layerNorm(x, finalNorm));
  }

  /** Logits over the real vocabulary for hidden states {@code (..., d)}: the tied head. */
  public NDArray logits(NDArray hidden) {
    if (config.embeddingRows() == config.vocabSize()) {
      return Linear.linear(hidden, tokenEmbedding).singletonOrThrow();
    }
    NDArray head = tokenEmbedding.get(new NDIndex("0:{}", config.vocabSize()));
    head.attach(hidden.getManager());
    return Linear.linear(hidden, head).singletonOrThrow();
  }

  /** Additive causal mask {@code (1, 1, T, T)} for a cache-free pass. */
  public static NDArray causalMask(NDManager scope, int t) {
    float[] m = new float[t * t];
    for (int i = 0; i < t; i++) {
      for (int j = i + 1; j < t; j++) {
        m[i * t + j] = MASKED;
      }
    }
    return OwnedArrays.floats(scope, m, new Shape(1, 1, t, t));
  }

  /** Added to a score that must not be seen; finite so a fully padded row never yields NaN. */
  public static final float MASKED = -1e9f;

  private NDArray heads(NDArray x, long b, long t, int h, int hd) {
    return x.reshape(b, t, h, hd).transpose(0, 2, 1, 3);
  }

  private NDArray layerNorm(NDArray x, LayerNormWeights norm) {
    return LayerNorm.layerNorm(x, normalizedShape, norm.gain(), norm.shift(), LN_EPS).singletonOrThrow();
  }

  private static NDArray linear(NDArray x, LinearWeights layer) {
    return layer.bias() != null
        ? Linear.linear(x, layer.weight(), layer.bias()).singletonOrThrow()
        : Linear.linear(x, layer.weight()).singletonOrThrow();
  }

  private NDArray dropout(NDArray x, boolean training) {
    if (!training || config.dropout() == 0) {
      return x;
    }
    return x.getNDArrayInternal().dropout(x, (float) config.dropout(), true).singletonOrThrow();
  }

  static long product(long[] shape) {
    long n = 1;
    for (long s : shape) {
      n *= s;
    }
    return n;
  }

  private static double gaussian(SplittableRandom rng) {
    // Box-Muller: SplittableRandom has no nextGaussian on Java 17.
    double u1 = 1.0 - rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** The manager owning the parameters. */
  public NDManager manager() {
    return manager;
  }

  @Override
  public void close() {
    manager.close();
  }

}

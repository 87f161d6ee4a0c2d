package dev.anyorder.training;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import dev.anyorder.model.WeightLayout;
import dev.anyorder.model.djl.OwnedArrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", 2019) over named DJL tensors,
 * decaying matrices and embeddings only. Written here rather than taken from DJL because DJL's
 * optimizers decay every parameter and keep their moments private, so a checkpoint could not restore
 * them and a resumed run would not continue bit-for-bit.
 */
public final class AdamW implements AutoCloseable {
  private final NDManager manager;
  private final Map<String, NDArray> firstMoments = new LinkedHashMap<>();
  private final Map<String, NDArray> secondMoments = new LinkedHashMap<>();
  private final double beta1;
  private final double beta2;
  private final double epsilon;
  private final double weightDecay;
  private long updates;

  public AdamW(NDManager parent, Map<String, NDArray> parameters, double beta1, double beta2, double epsilon, double weightDecay) {
    this.manager = parent.newSubManager();
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
    for (Map.Entry<String, NDArray> e : parameters.entrySet()) {
      firstMoments.put(e.getKey(), manager.zeros(e.getValue().getShape()));
      secondMoments.put(e.getKey(), manager.zeros(e.getValue().getShape()));
    }
  }

  /** Number of updates applied so far (the bias-correction step count). */
  public long updates() {
    return updates;
  }

  /** The settings of one update, shared by every tensor it touches. */
  public record Update(float learningRate, float correctedRate, float gradScale) {}

  /**
   * Starts an update: counts it and folds the bias corrections into the step size,
   * {@code lr·sqrt(1-β2^t)/(1-β1^t)} (the form of Kingma and Ba's Algorithm 1 note, so ε acts on the
   * uncorrected second moment). Every tensor must then be {@link #apply applied} once.
   */
  public Update prepare(double learningRate, double gradScale) {
    updates++;
    double c1 = 1 - Math.pow(beta1, updates);
    double c2 = 1 - Math.pow(beta2, updates);
    return new Update((float) learningRate, (float) (learningRate * Math.sqrt(c2) / c1), (float) gradScale);
  }

  /**
   * Updates one tensor with its gradient and zeroes the gradient, in one fused native call (DJL's PyTorch
   * {@code adamUpdate}) instead of a dozen array operations. Different tensors may be updated from
   * different threads.
   */
  public void apply(String name, NDArray parameter, Update update) {
    PtNDArray p = (PtNDArray) parameter;
    try (NDManager scope = manager.newSubManager()) {
      PtNDArray g = (PtNDArray) p.getGradient();
      g.attach(scope);
      float decay = weightDecay > 0 && WeightLayout.decayed(name, p.getShape().getShape()) ? (float) weightDecay : 0f;
      JniUtils.adamUpdate(p, g, (PtNDArray) firstMoments.get(name), (PtNDArray) secondMoments.get(name), update.learningRate(),
          update.correctedRate(), decay, update.gradScale(), -1f, (float) beta1, (float) beta2, (float) epsilon, true);
      JniUtils.zeroGrad(p);
    }
  }

  /** Moments as plain arrays, keyed {@code m.<name>} and {@code v.<name>}, for a checkpoint. */
  public Map<String, float[]> state() {
    Map<String, float[]> s = new LinkedHashMap<>();
    firstMoments.forEach((k, a) -> s.put("m." + k, a.toFloatArray()));
    secondMoments.forEach((k, a) -> s.put("v." + k, a.toFloatArray()));
    return s;
  }

  /** Restores moments saved by {@link #state} and the update count. */
  public void restore(Map<String, float[]> state, long updateCount) {
    for (Map.Entry<String, NDArray> e : firstMoments.entrySet()) {
      OwnedArrays.copyInto(e.getValue(), required(state, "m." + e.getKey(), e.getValue()));
    }
    for (Map.Entry<String, NDArray> e : secondMoments.entrySet()) {
      OwnedArrays.copyInto(e.getValue(), required(state, "v." + e.getKey(), e.getValue()));
    }
    this.updates = updateCount;
  }

  private static float[] required(Map<String, float[]> state, String key, NDArray like) {
    float[] a = state.get(key);
    if (a == null) {
      throw new IllegalArgumentException("optimizer state has no tensor " + key);
    }
    if (a.length != like.size()) {
      throw new IllegalArgumentException("optimizer tensor " + key + " has " + a.length + " values, expected " + like.size());
    }
    return a;
  }

  @Override
  public void close() {
    manager.close();
  }
}

package dev.anyorder.training;

import dev.anyorder.model.WeightLayout;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * AdamW (Loshchilov and Hutter, "Decoupled Weight Decay Regularization", 2019) over named tensors, decaying
 * matrices and embeddings only. Written here rather than taken from DJL because DJL's optimizers decay
 * every parameter and keep their moments private, so a checkpoint could not restore them and a resumed
 * run would not continue bit-for-bit; and because DJL's native {@code adamUpdate} is a dozen separate
 * PyTorch kernels (a clone of the gradient and a temporary per operation), which made the optimizer
 * step a seventh of a training step on the small KJV model. Here the update is one pass over each
 * element, reading the gradient and writing the parameter in the tensors' own memory
 * ({@link ParameterSlices}), with the moments in Java arrays.
 */
public final class AdamW {
  private final List<String> names;
  private final boolean[] decayed;
  private final float[][] firstMoments;
  private final float[][] secondMoments;
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float weightDecay;
  private long updates;

  /** An optimizer for tensors of the given shapes, in the order {@link #apply} numbers them. */
  public AdamW(Map<String, long[]> shapes, double beta1, double beta2, double epsilon, double weightDecay) {
    this.names = List.copyOf(shapes.keySet());
    this.decayed = new boolean[names.size()];
    this.firstMoments = new float[names.size()][];
    this.secondMoments = new float[names.size()][];
    int t = 0;
    for (Map.Entry<String, long[]> e : shapes.entrySet()) {
      long size = 1;
      for (long s : e.getValue()) {
        size *= s;
      }
      decayed[t] = weightDecay > 0 && WeightLayout.decayed(e.getKey(), e.getValue());
      firstMoments[t] = new float[Math.toIntExact(size)];
      secondMoments[t] = new float[Math.toIntExact(size)];
      t++;
    }
    this.beta1 = (float) beta1;
    this.beta2 = (float) beta2;
    this.epsilon = (float) epsilon;
    this.weightDecay = (float) weightDecay;
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
   * uncorrected second moment). Every element of every tensor must then be {@link #apply applied} once.
   */
  public Update prepare(double learningRate, double gradScale) {
    updates++;
    double c1 = 1 - Math.pow(beta1, updates);
    double c2 = 1 - Math.pow(beta2, updates);
    return new Update((float) learningRate, (float) (learningRate * Math.sqrt(c2) / c1), (float) gradScale);
  }

  /**
   * Updates elements {@code [from, to)} of tensor {@code tensor}: reads each gradient (times the update's
   * scale), writes the new value into every copy of the parameter (the first one is read) and zeroes the
   * gradient for the next step. Disjoint ranges may be updated from different threads; each element's
   * arithmetic is the same whichever thread does it, so the result does not depend on the split.
   */
  public void apply(Update update, int tensor, int from, int to, ByteBuffer gradient, ByteBuffer[] parameterCopies) {
    float keep = 1 - (decayed[tensor] ? update.learningRate() * weightDecay : 0f);
    OptimizerKernels.adamW(OptimizerKernels.Coefficients.of(update.gradScale(), keep, update.correctedRate(), beta1, beta2, epsilon),
        gradient, parameterCopies, firstMoments[tensor], secondMoments[tensor], from, to);
  }

  /** Moments as plain arrays, keyed {@code m.<name>} and {@code v.<name>}, for a checkpoint. */
  public Map<String, float[]> state() {
    Map<String, float[]> s = new LinkedHashMap<>();
    for (int t = 0; t < names.size(); t++) {
      s.put("m." + names.get(t), firstMoments[t].clone());
    }
    for (int t = 0; t < names.size(); t++) {
      s.put("v." + names.get(t), secondMoments[t].clone());
    }
    return s;
  }

  /** Restores moments saved by {@link #state} and the update count. */
  public void restore(Map<String, float[]> state, long updateCount) {
    List<float[]> first = new ArrayList<>();
    List<float[]> second = new ArrayList<>();
    for (int t = 0; t < names.size(); t++) {
      first.add(required(state, "m." + names.get(t), firstMoments[t].length));
      second.add(required(state, "v." + names.get(t), secondMoments[t].length));
    }
    // copied only once every tensor checked out, so a bad state leaves the optimizer as it was
    for (int t = 0; t < names.size(); t++) {
      System.arraycopy(first.get(t), 0, firstMoments[t], 0, firstMoments[t].length);
      System.arraycopy(second.get(t), 0, secondMoments[t], 0, secondMoments[t].length);
    }
    this.updates = updateCount;
  }

  private static float[] required(Map<String, float[]> state, String key, int size) {
    float[] a = state.get(key);
    if (a == null) {
      throw new IllegalArgumentException("optimizer state has no tensor " + key);
    }
    if (a.length != size) {
      throw new IllegalArgumentException("optimizer tensor " + key + " has " + a.length + " values, expected " + size);
    }
    return a;
  }
}

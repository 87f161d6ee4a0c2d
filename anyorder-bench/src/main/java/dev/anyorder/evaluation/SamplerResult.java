package dev.anyorder.evaluation;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * How one decoding strategy did on the held-out instances of a task, for one model: the mean of every
 * task metric (rates for yes/no metrics), network function evaluations (NFE) per instance, generated
 * tokens per instance and wall time. NFE counts forward passes of the network, as in the σ-GPT paper
 * (Pannatier, Courdier, Fleuret 2024); a batched pass counts once per sequence in it.
 *
 * @param model name of the model (e.g. its training order)
 * @param sampler label of the {@link SamplerVariant}
 * @param instances held-out instances evaluated, at least 1
 * @param metrics mean of each task metric over the instances
 * @param nfePerInstance mean NFE per instance
 * @param tokensPerInstance mean generated tokens per instance
 * @param seconds wall time of the whole evaluation
 */
public record SamplerResult(String model, String sampler, int instances, Map<String, Double> metrics, double nfePerInstance,
    double tokensPerInstance, double seconds) {

  public SamplerResult {
    Objects.requireNonNull(model, "model name");
    Objects.requireNonNull(sampler, "sampler label");
    if (instances < 1) {
      throw new IllegalArgumentException("a sampler result needs at least 1 instance, got " + instances);
    }
    Objects.requireNonNull(metrics, "metrics");
    if (!(nfePerInstance >= 0) || !(tokensPerInstance >= 0) || !(seconds >= 0)) {
      throw new IllegalArgumentException("NFE, tokens and seconds must be non-negative numbers, got " + nfePerInstance + ", "
          + tokensPerInstance + ", " + seconds);
    }
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  /** A metric's mean; throws naming the reported metrics when absent. */
  public double metric(String name) {
    Double v = metrics.get(name);
    if (v == null) {
      throw new IllegalArgumentException("no metric '" + name + "' in result of " + sampler + "; reported: " + metrics.keySet());
    }
    return v;
  }

  /** Generated tokens per network evaluation: 1 for sequential decoding, more for parallel samplers. */
  public double tokensPerNfe() {
    return nfePerInstance == 0 ? Double.NaN : tokensPerInstance / nfePerInstance;
  }
}

package dev.anyorder.evaluation;

import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.sampling.Sample;
import dev.anyorder.sampling.SampleBatch;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.Sampler;
import dev.anyorder.tasks.Task;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.tasks.TaskScore;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Solves held-out task instances with one decoding strategy and scores them with the task's own checker
 * ({@link Task#check}): the prompt of each instance (its known positions) is given to the sampler, the
 * rest is generated, and the task metrics are averaged. Instances are decoded in batches; when a
 * deadline is given, evaluation stops after the batch that crosses it, and the result says how many
 * instances were evaluated.
 *
 * <p>Used for σ-GPT (Pannatier, Courdier, Fleuret 2024) burst sampling, exact speculative decoding and
 * adaptive ordering (Kim et al. 2025, "Train for the Worst, Plan for the Best") alike.
 */
public final class TaskEvaluator {
  private TaskEvaluator() {}

  /**
   * The result and the generated sequences (in instance order; as many as were evaluated).
   *
   * @param result aggregated metrics
   * @param generated the sampler's output for each evaluated instance
   * @param scores the task's score of each evaluated instance
   */
  public record Outcome(SamplerResult result, List<int[]> generated, List<TaskScore> scores) {
    public Outcome {
      Objects.requireNonNull(result, "result");
      generated = List.copyOf(generated);
      scores = List.copyOf(scores);
      if (generated.size() != scores.size() || generated.size() != result.instances()) {
        throw new IllegalArgumentException("one generated sequence and one score per instance are needed, got "
            + generated.size() + " sequences, " + scores.size() + " scores and " + result.instances() + " instances");
      }
    }
  }

  /**
   * Evaluates {@code variant} on {@code instances}.
   *
   * @param deadlineNanos {@link System#nanoTime()} after which no new batch starts; {@code Long.MAX_VALUE} for none
   * @throws IllegalArgumentException if there are no instances or the batch size is not positive
   */
  public static Outcome evaluate(AnyOrderModel model, String modelName, Task task, List<TaskInstance> instances,
      SamplerVariant variant, int batchSize, long deadlineNanos, Progress progress) {
    if (instances.isEmpty()) {
      throw new IllegalArgumentException("no instances to evaluate " + variant.label() + " on");
    }
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be at least 1, got " + batchSize);
    }
    long started = System.nanoTime();
    Sampler sampler = model.sampler(variant.config());
    List<int[]> generated = new ArrayList<>();
    List<TaskScore> scores = new ArrayList<>();
    Map<String, Double> sums = new LinkedHashMap<>();
    long nfe = 0;
    long tokens = 0;
    try (Progress.Bar bar = progress.start(modelName + " " + variant.label(), instances.size())) {
      for (int from = 0; from < instances.size(); from += batchSize) {
        if (from > 0 && System.nanoTime() > deadlineNanos) {
          break;
        }
        List<TaskInstance> chunk = instances.subList(from, Math.min(instances.size(), from + batchSize));
        List<SampleRequest> requests = chunk.stream().map(i -> new SampleRequest(i.prompt())).toList();
        SampleBatch batch = sampler.sample(requests);
        for (int i = 0; i < chunk.size(); i++) {
          Sample s = batch.samples().get(i);
          TaskScore score = task.check(chunk.get(i), s.tokens());
          generated.add(s.tokens());
          scores.add(score);
          score.metrics().forEach((k, v) -> sums.merge(k, v, Double::sum));
          nfe += s.nfe();
          tokens += s.generated();
        }
        bar.stepTo(generated.size(), String.format(" NFE/instance %.1f", (double) nfe / generated.size()));
      }
    }
    int n = generated.size();
    Map<String, Double> means = new LinkedHashMap<>();
    sums.forEach((k, v) -> means.put(k, v / n));
    SamplerResult result = new SamplerResult(modelName, variant.label(), n, means, (double) nfe / n, (double) tokens / n,
        (System.nanoTime() - started) / 1e9);
    return new Outcome(result, generated, scores);
  }
}

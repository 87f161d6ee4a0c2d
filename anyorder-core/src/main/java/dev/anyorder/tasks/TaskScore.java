package dev.anyorder.tasks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Metrics of one generated solution, as returned by {@link Task#check}: an insertion-ordered,
 * unmodifiable map from metric name to value. Yes/no metrics (a maze path is {@code correct}, a sudoku is
 * {@code solved}) are 1.0 or 0.0 so that they average into rates.
 *
 * @param metrics metric name to value, in the order the task reports them
 */
public record TaskScore(Map<String, Double> metrics) {

  public TaskScore {
    Objects.requireNonNull(metrics, "metrics must not be null");
    for (Map.Entry<String, Double> e : metrics.entrySet()) {
      Objects.requireNonNull(e.getKey(), "metric names must not be null");
      Objects.requireNonNull(e.getValue(), "metric '" + e.getKey() + "' has a null value");
    }
    metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
  }

  /** Starts an ordered score. */
  public static Builder builder() {
    return new Builder();
  }

  /** The value of a metric; throws when the task did not report it. */
  public double get(String metric) {
    Double v = metrics.get(metric);
    if (v == null) {
      throw new IllegalArgumentException("no metric '" + metric + "'; reported: " + metrics.keySet());
    }
    return v;
  }

  /** Whether a yes/no metric is yes (value above 0.5). */
  public boolean is(String metric) {
    return get(metric) > 0.5;
  }

  /** Collects metrics in the order they are added. */
  public static final class Builder {
    private final Map<String, Double> metrics = new LinkedHashMap<>();

    private Builder() {}

    /** Adds a numeric metric. */
    public Builder put(String metric, double value) {
      metrics.put(metric, value);
      return this;
    }

    /** Adds a yes/no metric as 1.0 or 0.0. */
    public Builder put(String metric, boolean value) {
      return put(metric, value ? 1.0 : 0.0);
    }

    /** The finished score. */
    public TaskScore build() {
      return new TaskScore(metrics);
    }
  }
}

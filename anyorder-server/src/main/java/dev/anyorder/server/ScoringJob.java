package dev.anyorder.server;

import java.util.Objects;

/** A scoring request on the worker. */
final class ScoringJob extends InferenceJob {
  final ScoringSpec spec;

  ScoringJob(ScoringSpec spec) {
    super(spec.timeout(), spec.clientDeadline());
    this.spec = Objects.requireNonNull(spec, "spec");
  }

  @Override
  long cost() {
    return spec.cost();
  }
}

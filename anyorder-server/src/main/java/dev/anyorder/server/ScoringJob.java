package dev.anyorder.server;

import java.util.Objects;

/** A scoring request on the worker. */
final class ScoringJob extends InferenceJob {
  final ScoringSpec spec;

  ScoringJob(ScoringSpec spec, long cost) {
    super(spec.timeout(), spec.clientDeadline(), cost);
    this.spec = Objects.requireNonNull(spec, "spec");
  }
}

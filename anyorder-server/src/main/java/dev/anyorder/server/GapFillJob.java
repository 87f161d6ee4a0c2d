package dev.anyorder.server;

import java.util.Objects;

/** A request to fill gaps of unknown length, on the worker; it runs alone, not batched with other requests. */
final class GapFillJob extends InferenceJob {
  final GapFillSpec spec;

  GapFillJob(GapFillSpec spec) {
    super(spec.timeout(), spec.clientDeadline());
    this.spec = Objects.requireNonNull(spec, "spec");
  }

  @Override
  long cost() {
    return spec.cost();
  }
}

package dev.anyorder.server;

import java.util.Objects;

/** A request to fill gaps of unknown length, on the worker; it runs alone, not batched with other requests. */
final class GapFillJob extends InferenceJob {
  final GapFillSpec spec;

  GapFillJob(GapFillSpec spec, long cost) {
    super(spec.timeout(), spec.clientDeadline(), cost);
    this.spec = Objects.requireNonNull(spec, "spec");
  }
}

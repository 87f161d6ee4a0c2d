package dev.anyorder.server;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * A generation or infilling request on the worker; when streaming it forwards every commit of its
 * samples to {@code commits} (on the inference thread, so the consumer must not block).
 */
final class GenerationJob extends InferenceJob {
  final GenerationSpec spec;
  private final Consumer<CommitEvent> commits;
  private final int[] steps;

  GenerationJob(GenerationSpec spec, long cost, Consumer<CommitEvent> commits) {
    super(spec.timeout(), spec.clientDeadline(), cost);
    this.spec = Objects.requireNonNull(spec, "spec");
    this.commits = commits;
    this.steps = new int[spec.sampler().numSamples()];
  }

  int samples() {
    return spec.sampler().numSamples();
  }

  void onCommit(int sample, int[] positions, int[] tokens, int nfe) {
    steps[sample]++;
    if (commits != null && !finished()) {
      commits.accept(new CommitEvent(sample, steps[sample], positions, tokens, nfe));
    }
  }

  /**
   * Tokens committed in one step of one sample, as streamed to the client.
   *
   * @param sample which of the request's samples
   * @param step 1 for the sample's first commit, 2 for the next, ...
   * @param positions the positions committed, in commit order
   * @param tokens the token committed at each position
   * @param nfe network evaluations this sample has taken part in so far
   */
  record CommitEvent(int sample, int step, int[] positions, int[] tokens, int nfe) {
    CommitEvent {
      if (positions.length != tokens.length) {
        throw new IllegalArgumentException(positions.length + " positions but " + tokens.length + " tokens");
      }
      if (sample < 0 || step < 1 || nfe < 0) {
        throw new IllegalArgumentException("sample, step and nfe must be non-negative (step from 1)");
      }
      positions = positions.clone();
      tokens = tokens.clone();
    }

    @Override
    public int[] positions() {
      return positions.clone();
    }

    @Override
    public int[] tokens() {
      return tokens.clone();
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof CommitEvent e && e.sample == sample && e.step == step && e.nfe == nfe
          && Arrays.equals(e.positions, positions) && Arrays.equals(e.tokens, tokens);
    }

    @Override
    public int hashCode() {
      return Objects.hash(sample, step, nfe, Arrays.hashCode(positions), Arrays.hashCode(tokens));
    }
  }
}

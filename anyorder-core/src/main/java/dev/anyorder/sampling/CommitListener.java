package dev.anyorder.sampling;

/**
 * Told about every commit, for streaming UIs: sequence {@code sequence} of the batch has just fixed the
 * tokens {@code tokens} at {@code positions} (in commit order), after {@code nfeSoFar} network evaluations
 * that involved this sequence. Called on the sampling thread; arrays are copies.
 */
@FunctionalInterface
public interface CommitListener {
  /** Ignores everything. */
  CommitListener NONE = (sequence, positions, tokens, nfeSoFar) -> { };

  void onCommit(int sequence, int[] positions, int[] tokens, int nfeSoFar);
}

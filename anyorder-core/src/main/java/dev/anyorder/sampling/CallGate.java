package dev.anyorder.sampling;

/**
 * Consulted by a sampler before each of its network calls, with the work the call will do. It is the
 * one place a caller that runs many requests on one thread can act between calls: stop work nobody waits
 * for any more (by throwing an unchecked exception, which ends the sampling and propagates out of
 * {@link Sampler#sample(java.util.List, java.util.List, CommitListener, CallGate)}), or run other work first.
 * Between calls the sampler holds no half-made call, so either is safe. Called on the sampling thread.
 */
@FunctionalInterface
public interface CallGate {
  /** Lets every call through. */
  CallGate OPEN = (sequences, rows) -> { };

  /**
   * Called before a network call.
   *
   * @param sequences the rows of the decode state the call evaluates anything for (a sequence each, or a
   *     hypothesis of a beam)
   * @param rows the rows (cache steps fed, queries and branch steps) the call will evaluate, summed over them
   */
  void beforeCall(int sequences, int rows);
}

package dev.anyorder.api;

/**
 * Which engine evaluates a loaded σ-GPT (Pannatier, Courdier, Fleuret, 2024). Both read the same weights
 * and agree to about 1e-5 on every logit; they differ in speed.
 */
public enum Backend {
  /**
   * DJL on PyTorch: batched tensors, best for wide batches, training and GPUs. Needs the engine of the module
   * {@code anyorder-djl} on the class path ({@link dev.anyorder.model.NetworkEngine}).
   */
  DJL,
  /** The pure-Java runtime of {@code dev.anyorder.model.java}: no native engine, fastest for one sequence. */
  JAVA,
  /**
   * Both, each decode state on the faster one for its batch size and rows per call, by the model's
   * {@link BackendCrossover} ({@link AutoNetwork}); the pure-Java runtime alone when no native engine is on
   * the class path. The default.
   */
  AUTO;

  /** The backend of every front end (command line, server, Spark) when none is named. */
  public static final Backend DEFAULT = AUTO;
}

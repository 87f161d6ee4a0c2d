package dev.anyorder.io;

/**
 * The field names of the results every front end writes: {@code anyorder score} and {@code anyorder sample}
 * on the command line, the HTTP API's responses and the columns of {@code anyorder spark}. They follow the
 * HTTP API's convention, snake_case ({@code num_samples}, {@code timeout_ms}); a front end names a result
 * field only through these constants, so the same result reads the same wherever it was computed.
 */
public final class ResultFields {
  /** Log-probability in nats: of the targets (a score) or of a whole sample. */
  public static final String LOG_PROB = "log_prob";
  /** Negative log-likelihood per target token, in nats. */
  public static final String NATS_PER_TOKEN = "nats_per_token";
  /** Negative log-likelihood per target token, in bits. */
  public static final String BITS_PER_TOKEN = "bits_per_token";
  /** Number of scored (non-known) tokens. */
  public static final String TARGETS = "targets";
  /** Number of orders a score averages over (1 for one order). */
  public static final String ORDERS = "orders";
  /** Target positions in the order a single-order score predicted them. */
  public static final String ORDER = "order";
  /** Delta-method standard error of an order-free estimate. */
  public static final String STANDARD_ERROR = "standard_error";
  /** Log-probability of each position's token (null where known). */
  public static final String PER_POSITION = "per_position";
  /** The score under each random order of an order-free estimate. */
  public static final String PER_ORDER_LOG_PROB = "per_order_log_prob";
  /** Number of tokens of a sequence (the {@code length} of a generation request). */
  public static final String LENGTH = "length";
  /** A sequence's token ids. */
  public static final String TOKENS = "tokens";
  /** A sequence decoded to text (text vocabularies only). */
  public static final String TEXT = "text";
  /** Positions of a sample in the order the sampler committed them. */
  public static final String COMMIT_ORDER = "commit_order";
  /** Network calls a result took. */
  public static final String NFE = "nfe";
  /** Tokens a sample generated (its non-known positions). */
  public static final String TOKENS_GENERATED = "tokens_generated";
  /** The length chosen for each gap of unknown length, in text order. */
  public static final String GAP_LENGTHS = "gap_lengths";
  /** Log-probability of the chosen gap lengths given the context (a part of {@link #LOG_PROB}). */
  public static final String LENGTH_LOG_PROB = "length_log_prob";
  /** Log-probability of a fill's content given the context and its gap lengths (a part of {@link #LOG_PROB}). */
  public static final String CONTENT_LOG_PROB = "content_log_prob";
  /** How many ways a text fits a template with gaps of unknown length. */
  public static final String ALIGNMENTS = "alignments";
  /** Each gap of unknown length as {@code [start, end)} of the filled tokens. */
  public static final String GAP_SPANS = "gap_spans";

  private ResultFields() {}
}

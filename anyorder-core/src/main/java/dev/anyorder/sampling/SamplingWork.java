package dev.anyorder.sampling;

/**
 * The most work a sampling request can push through the network: its network calls, the sequences taking
 * part in them (a call's cost grows with the decode-state rows it touches as well as with the rows it
 * evaluates) and the rows (cache steps fed, queries, branch steps) they evaluate, summed over its samples. A call's time grows with its
 * rows, so a server that prices requests by this bound can cap the time one request holds the model
 * (anyorder-server's admission does). An upper bound, reached when every draft is rejected: burst and
 * speculative rounds commit one token at worst. Rows are counted as {@link CallGate#beforeCall} sees them.
 *
 * @param calls network calls: the samples of a request share them (one batch), so this is per sequence
 * @param sequenceCalls sequences summed over the calls: calls × samples, × the beam for a beam search
 *     (each hypothesis is a row of the decode state), as {@link CallGate#beforeCall} sees them
 * @param rows rows of all its samples together
 */
public record SamplingWork(long calls, long sequenceCalls, long rows) {
  public SamplingWork {
    if (calls < 0 || sequenceCalls < 0 || rows < 0) {
      throw new IllegalArgumentException("calls, sequence calls and rows must be non-negative, got " + calls + ", "
          + sequenceCalls + " and " + rows);
    }
  }

  /**
   * The bound for {@code config} (its {@link SamplerConfig#numSamples()} samples) on sequences of
   * {@code length} positions of which {@code known} are given. Per sequence, with {@code T} targets and
   * {@code K} known tokens (fed once, with the first call):
   * <ul>
   *   <li>sequential: {@code T} calls of one row;
   *   <li>adaptive: {@code ceil(T/k)} calls, each asking every remaining position and feeding the last
   *       step's {@code k} commits; with a beam of {@code B}, {@code T} calls of {@code B·T} rows and a
   *       rerank of {@code B} calls of {@code T²} rows per sample;
   *   <li>burst with {@code M} orders: up to {@code T} rounds of a draft call ({@code R} remaining
   *       positions) and a verification of {@code M·R} rows: {@code (M+1)·T(T+1)/2};
   *   <li>speculative with windows up to {@code W}: up to {@code T} rounds of two calls of at most
   *       {@code 3W + 2} rows together.
   * </ul>
   */
  public static SamplingWork of(SamplerConfig config, int length, int known) {
    if (length < 1 || known < 0 || known > length) {
      throw new IllegalArgumentException("need 0 <= known <= length and length >= 1, got " + known + " of " + length);
    }
    long t = length - known;
    long k0 = known + 1L; // the known tokens' steps, and the start slot's
    long calls;
    long rows;
    long width = 1; // decode-state rows per sample
    switch (config.kind()) {
      case SEQUENTIAL -> {
        calls = t;
        rows = k0 + t;
      }
      case ADAPTIVE -> {
        if (config.beam() > 1) {
          long b = config.beam();
          width = b;
          // T steps, then the rerank: one call per hypothesis of each sample.
          calls = t + config.numSamples() * b;
          rows = b * (k0 + t * t) + b * (k0 + t * t);
        } else {
          long k = config.k();
          calls = (t + k - 1) / k;
          // Call j asks the t - j·k remaining positions and feeds the k commits of call j - 1.
          rows = k0 + k * calls + calls * t - k * calls * (calls - 1) / 2;
        }
      }
      case BURST -> {
        long m = config.burstOrders();
        calls = 2 * t;
        rows = k0 + t + (m + 1) * t * (t + 1) / 2;
      }
      case SPECULATIVE -> {
        long w = config.adaptiveK() ? Math.max(8, 2L * config.k()) : config.k();
        w = Math.min(w, Math.max(t, 1));
        calls = 2 * t;
        rows = k0 + t * (3 * w + 2);
      }
      default -> throw new AssertionError(config.kind());
    }
    return new SamplingWork(calls, Math.multiplyExact(calls * width, (long) config.numSamples()),
        Math.multiplyExact(rows, (long) config.numSamples()));
  }
}

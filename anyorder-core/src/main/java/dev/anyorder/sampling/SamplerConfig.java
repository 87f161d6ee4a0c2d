package dev.anyorder.sampling;

import dev.anyorder.orders.OrderKind;
import java.util.Objects;

/**
 * Everything that chooses and tunes a {@link Sampler}. Start from {@link #defaults(SamplerKind)} and
 * change fields with the {@code with…} methods; every construction is validated and errors name the
 * field.
 *
 * @param kind which sampler
 * @param order generation order of the targets (sequential, speculative; burst verifies random orders
 *     and adaptive chooses its own, so they ignore it)
 * @param temperature divides the logits, at least {@link TokenFilter#MIN_TEMPERATURE}
 * @param topK keep the k most probable tokens, 0 = off
 * @param topP nucleus mass in (0, 1], 1 = off
 * @param seed seeds every random choice: same seed, same samples
 * @param k positions committed per step (adaptive) or initial draft window (speculative), &ge; 1
 * @param adaptiveK speculative: grow the window on full acceptance, shrink it on early rejection
 * @param bonus speculative: draw a bonus token from the verifier's last conditional when every draft is
 *     accepted
 * @param drafter speculative: where drafts come from
 * @param burstOrders burst: number M of random orders verified per round, &ge; 1
 * @param rule adaptive: how positions are ranked
 * @param gumbelScale adaptive: scale of Gumbel noise added to the scores, 0 = off
 * @param numSamples sequences drawn by {@link Sampler#sample(SampleRequest)}, &ge; 1
 * @param beam adaptive: hypotheses kept per sequence, &ge; 1; above 1, a beam search over the rule's order
 *     whose finished hypotheses are reranked by the model's own consistency ({@link AdaptiveSampler})
 */
public record SamplerConfig(
    SamplerKind kind,
    OrderSpec order,
    double temperature,
    int topK,
    double topP,
    long seed,
    int k,
    boolean adaptiveK,
    boolean bonus,
    DrafterKind drafter,
    int burstOrders,
    PositionRule rule,
    double gumbelScale,
    int numSamples,
    int beam) implements java.io.Serializable {

  public SamplerConfig {
    Objects.requireNonNull(kind, "kind must be one of sequential, adaptive, burst, speculative");
    Objects.requireNonNull(order, "order must be given");
    Objects.requireNonNull(drafter, "drafter must be self or ngram");
    Objects.requireNonNull(rule, "rule must be max-prob, margin or entropy");
    if (!(temperature >= TokenFilter.MIN_TEMPERATURE) || Double.isInfinite(temperature)) {
      throw new InvalidSettingException("temperature", "temperature must be finite and at least " + TokenFilter.MIN_TEMPERATURE + ", got "
          + temperature);
    }
    if (topK < 0) {
      throw new InvalidSettingException("topK", "topK must be >= 0 (0 = off), got " + topK);
    }
    if (!(topP > 0 && topP <= 1)) {
      throw new InvalidSettingException("topP", "topP must be in (0, 1] (1 = off), got " + topP);
    }
    if (k < 1) {
      throw new InvalidSettingException("k", "k must be at least 1, got " + k);
    }
    if (burstOrders < 1) {
      throw new InvalidSettingException("burstOrders", "burstOrders must be at least 1, got " + burstOrders);
    }
    if (!(gumbelScale >= 0) || Double.isInfinite(gumbelScale)) {
      throw new InvalidSettingException("gumbelScale", "gumbelScale must be >= 0 (0 = off), got " + gumbelScale);
    }
    if (numSamples < 1) {
      throw new InvalidSettingException("numSamples", "numSamples must be at least 1, got " + numSamples);
    }
    if (beam < 1) {
      throw new InvalidSettingException("beam", "beam must be at least 1 (1 = no beam search), got " + beam);
    }
    if (beam > 1 && kind != SamplerKind.ADAPTIVE) {
      throw new InvalidSettingException("beam", "beam search (beam " + beam + ") is a way of adaptive decoding; the "
          + kind.label() + " sampler takes beam 1");
    }
    if (beam > 1 && (k != 1 || gumbelScale != 0)) {
      throw new InvalidSettingException("beam", "beam search (beam " + beam + ") commits one position per hypothesis and step,"
          + " chosen by the rule: it needs k = 1 and gumbel 0, got k = " + k + ", gumbel = " + gumbelScale);
    }
    if (kind == SamplerKind.SPECULATIVE && !bonus && k < 2) {
      throw new InvalidSettingException("k", "k must be at least 2 for speculative decoding without a bonus token"
          + " (a window of 1 would spend 2 evaluations on 1 token), got " + k);
    }
  }

  /**
   * The sampler every front end (command line, HTTP, Java) uses when none is named: exact speculative
   * decoding, which draws from the same distribution as sequential sampling with fewer network calls.
   */
  public static final SamplerKind DEFAULT_KIND = SamplerKind.SPECULATIVE;

  /** The seed of every front end when none is given, for sampling and for the random orders of a score alike. */
  public static final long DEFAULT_SEED = 0L;

  /** {@link #defaults(SamplerKind)} of {@link #DEFAULT_KIND}. */
  public static SamplerConfig defaults() {
    return defaults(DEFAULT_KIND);
  }

  /**
   * The one set of defaults for {@code kind}, shared by every front end: random order, temperature 1, no truncation, seed 0, k = 4 with
   * adaptive window, bonus on, self drafter, 5 burst orders, margin rule, no Gumbel noise, 1 sample.
   */
  public static SamplerConfig defaults(SamplerKind kind) {
    return new SamplerConfig(kind, OrderSpec.of(OrderKind.RANDOM), 1.0, 0, 1.0, DEFAULT_SEED, kind == SamplerKind.ADAPTIVE ? 1 : 4,
        true, true, DrafterKind.SELF, 5, PositionRule.MARGIN, 0.0, 1, 1);
  }

  /** The temperature / top-k / top-p transform this config applies to every conditional. */
  public TokenFilter filter() {
    return new TokenFilter(temperature, topK, topP);
  }

  public SamplerConfig withKind(SamplerKind v) {
    return new SamplerConfig(v, order, temperature, topK, topP, seed, k, adaptiveK, bonus, drafter, burstOrders, rule, gumbelScale, numSamples, beam);
  }

  public SamplerConfig withOrder(OrderSpec v) {
    return new SamplerConfig(kind, v, temperature, topK, topP, seed, k, adaptiveK, bonus, drafter, burstOrders, rule, gumbelScale, numSamples, beam);
  }

  public SamplerConfig withOrder(OrderKind v) {
    return withOrder(OrderSpec.of(v));
  }

  public SamplerConfig withTemperature(double v) {
    return new SamplerConfig(kind, order, v, topK, topP, seed, k, adaptiveK, bonus, drafter, burstOrders, rule, gumbelScale, numSamples, beam);
  }

  public SamplerConfig withTopK(int v) {
    return new SamplerConfig(kind, order, temperature, v, topP, seed, k, adaptiveK, bonus, drafter, burstOrders, rule, gumbelScale, numSamples, beam);
  }

  public SamplerConfig withTopP(double v) {
    return new SamplerConfig(kind, order, temperature, topK, v, seed, k, adaptiveK, bonus, drafter, burstOrders, rule, gumbelScale, numSamples, beam);
  }

  public SamplerConfig withSeed(long v) {
    return new SamplerConfig(kind, order, temperature, topK, topP, v, k, adaptiveK, bonus, drafter, burstOrders, rule, gumbelScale, numSamples, beam);
  }

  public SamplerConfig withK(int v) {
    return new SamplerConfig(kind, order, temperature, topK, topP, seed, v, adaptiveK, bonus, drafter, burstOrders, rule, gumbelScale, numSamples, beam);
  }

  public SamplerConfig withAdaptiveK(boolean v) {
    return new SamplerConfig(kind, order, temperature, topK, topP, seed, k, v, bonus, drafter, burstOrders, rule, gumbelScale, numSamples, beam);
  }

  public SamplerConfig withBonus(boolean v) {
    return new SamplerConfig(kind, order, temperature, topK, topP, seed, k, adaptiveK, v, drafter, burstOrders, rule, gumbelScale, numSamples, beam);
  }

  public SamplerConfig withDrafter(DrafterKind v) {
    return new SamplerConfig(kind, order, temperature, topK, topP, seed, k, adaptiveK, bonus, v, burstOrders, rule, gumbelScale, numSamples, beam);
  }

  public SamplerConfig withBurstOrders(int v) {
    return new SamplerConfig(kind, order, temperature, topK, topP, seed, k, adaptiveK, bonus, drafter, v, rule, gumbelScale, numSamples, beam);
  }

  public SamplerConfig withRule(PositionRule v) {
    return new SamplerConfig(kind, order, temperature, topK, topP, seed, k, adaptiveK, bonus, drafter, burstOrders, v, gumbelScale, numSamples, beam);
  }

  public SamplerConfig withGumbelScale(double v) {
    return new SamplerConfig(kind, order, temperature, topK, topP, seed, k, adaptiveK, bonus, drafter, burstOrders, rule, v, numSamples, beam);
  }

  public SamplerConfig withNumSamples(int v) {
    return new SamplerConfig(kind, order, temperature, topK, topP, seed, k, adaptiveK, bonus, drafter, burstOrders, rule, gumbelScale, v, beam);
  }

  public SamplerConfig withBeam(int v) {
    return new SamplerConfig(kind, order, temperature, topK, topP, seed, k, adaptiveK, bonus, drafter, burstOrders, rule, gumbelScale, numSamples, v);
  }
}

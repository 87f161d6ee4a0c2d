package dev.anyorder.options;

import dev.anyorder.sampling.DrafterKind;
import dev.anyorder.sampling.OrderSpec;
import dev.anyorder.sampling.PositionRule;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerConfigJson;
import dev.anyorder.sampling.SamplerKind;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The sampler flags of {@code sample}, turned into a {@link SamplerConfig}. A flag not given keeps the
 * library's default ({@link SamplerConfig#defaults(SamplerKind)}), the same one the HTTP API uses, so a
 * command and a request without options sample alike. Shared by {@code anyorder sample} and {@code anyorder spark}.
 */
public final class SamplingOptions {
  /**
   * The field of {@link SamplerConfigJson}, the one schema of a sampler, that each flag sets: the HTTP API
   * and a model's recommended decoding name the same setting so. {@code num_samples} is each command's own
   * {@code --num-samples}. SamplerSchemaTest fails when a flag sets no schema field or a field has no flag.
   */
  public static final Map<String, String> FIELD_OF_FLAG = Map.ofEntries(
      Map.entry("--sampler", SamplerConfigJson.SAMPLER),
      Map.entry("--order", SamplerConfigJson.ORDER),
      Map.entry("--temperature", SamplerConfigJson.TEMPERATURE),
      Map.entry("--top-k", SamplerConfigJson.TOP_K),
      Map.entry("--top-p", SamplerConfigJson.TOP_P),
      Map.entry("--seed", SamplerConfigJson.SEED),
      Map.entry("--k", SamplerConfigJson.K),
      Map.entry("--fixed-k", SamplerConfigJson.ADAPTIVE_K),
      Map.entry("--no-bonus", SamplerConfigJson.BONUS),
      Map.entry("--drafter", SamplerConfigJson.DRAFTER),
      Map.entry("--orders", SamplerConfigJson.ORDERS),
      Map.entry("--rule", SamplerConfigJson.RULE),
      Map.entry("--gumbel", SamplerConfigJson.GUMBEL),
      Map.entry("--beam", SamplerConfigJson.BEAM));

  /** The flag of the sample count, declared by each command beside these options. */
  public static final String NUM_SAMPLES_FLAG = "--num-samples";

  @Option(names = "--sampler", description = "sequential, adaptive, burst or speculative (default: speculative, exact).")
  String sampler;

  @Option(names = "--order",
      description = "Order of the generated positions: left-to-right, random, fractal, or a JSON list of positions (default: random).")
  String order;

  @Option(names = "--temperature", description = "Divides the logits (default: 1).") Double temperature;
  @Option(names = "--top-k", description = "Keep the k most likely tokens (default: 0, off).") Integer topK;
  @Option(names = "--top-p", description = "Nucleus mass (default: 1, off).") Double topP;
  @Option(names = "--seed", description = "Seed of every random choice (default: 0).") Long seed;
  @Option(names = "--k", description = "Draft window (speculative, default 4) or positions per step (adaptive, default 1).")
  Integer k;
  @Option(names = "--fixed-k", description = "Speculative: keep k fixed instead of adapting it.") boolean fixedK;
  @Option(names = "--no-bonus", description = "Speculative: no bonus token when every draft is accepted.") boolean noBonus;
  @Option(names = "--drafter", description = "Speculative drafter: self or ngram (default: self).") String drafter;
  @Option(names = "--orders", description = "Burst: verification orders per round (default: 5).") Integer orders;
  @Option(names = "--rule", description = "Adaptive: max-prob, margin or entropy (default: margin).") String rule;
  @Option(names = "--gumbel", description = "Adaptive: scale of Gumbel noise on the scores (default: 0, off).") Double gumbel;
  @Option(names = "--beam", description = "Adaptive: hypotheses of a beam search, reranked by the model's consistency"
      + " (default: 1, no search).") Integer beam;

  public SamplerConfig toConfig(int numSamples) {
    SamplerConfig c = sampler == null ? SamplerConfig.defaults() : SamplerConfig.defaults(SamplerKind.parse(sampler));
    if (order != null) {
      c = c.withOrder(orderSpec(order));
    }
    if (temperature != null) {
      c = c.withTemperature(temperature);
    }
    if (topK != null) {
      c = c.withTopK(topK);
    }
    if (topP != null) {
      c = c.withTopP(topP);
    }
    if (seed != null) {
      c = c.withSeed(seed);
    }
    if (k != null) {
      c = c.withK(k);
    }
    if (fixedK) {
      c = c.withAdaptiveK(false);
    }
    if (noBonus) {
      c = c.withBonus(false);
    }
    if (drafter != null) {
      c = c.withDrafter(DrafterKind.parse(drafter));
    }
    if (orders != null) {
      c = c.withBurstOrders(orders);
    }
    if (rule != null) {
      c = c.withRule(PositionRule.parse(rule));
    }
    if (gumbel != null) {
      c = c.withGumbelScale(gumbel);
    }
    if (beam != null) {
      c = c.withBeam(beam);
    }
    return c.withNumSamples(numSamples);
  }

  /** An order flag: a kind (left-to-right, random, fractal, ...) or a JSON list of positions. */
  public static OrderSpec orderSpec(String s) {
    return OrderSpec.parse(s, "--order");
  }

  @Override
  public String toString() {
    return String.valueOf(toConfig(1));
  }
}

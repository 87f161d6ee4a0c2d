package dev.anyorder.evaluation;

import dev.anyorder.orders.OrderKind;
import dev.anyorder.sampling.PositionRule;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One decoding strategy a benchmark evaluates: a label for the report and the sampler configuration.
 * The standard suite covers every sampler of docs/algorithms.md#samplers: sequential and exact speculative
 * decoding (Guo and Ermon 2025) in random and left-to-right order, σ-GPT burst sampling (Pannatier,
 * Courdier, Fleuret 2024), and adaptive ordering with each position rule of "Train for the Worst, Plan
 * for the Best" (Kim et al. 2025).
 *
 * @param label short name used in tables and charts, e.g. {@code adaptive/margin}
 * @param config the sampler settings
 */
public record SamplerVariant(String label, SamplerConfig config) {

  public SamplerVariant {
    if (label == null || label.isBlank()) {
      throw new IllegalArgumentException("a sampler variant needs a non-blank label");
    }
    Objects.requireNonNull(config, "sampler config of variant '" + label + "'");
  }

  /** The same variant with another seed. */
  public SamplerVariant withSeed(long seed) {
    return new SamplerVariant(label, config.withSeed(seed));
  }

  /**
   * Whether the variant draws exact samples of the model (sequential decoding in a fixed order, and exact
   * speculative decoding, which has the same distribution); burst and adaptive decoding do not.
   */
  public boolean exact() {
    return config.kind() == SamplerKind.SEQUENTIAL || config.kind() == SamplerKind.SPECULATIVE;
  }

  /** What a row of this variant shows, in plain words, for reports. */
  public String description() {
    String order = config.order().kind() == OrderKind.LEFT_TO_RIGHT ? "in reading order (left to right, top to bottom)"
        : config.order().kind() == OrderKind.RANDOM ? "in a random order" : "in the " + config.order() + " order";
    return switch (config.kind()) {
      case SEQUENTIAL -> "one position per network call, " + order + ": an exact sample of the model, the reference"
          + " the faster samplers are measured against";
      case SPECULATIVE -> "exact speculative decoding " + order + ": one call drafts up to " + config.k() + " positions, the"
          + " next checks them and keeps those that pass; the same distribution as one position per call, in fewer calls";
      case BURST -> "σ-GPT burst sampling: one call drafts every remaining position, another tests " + config.burstOrders()
          + " random orders of them and keeps the longest accepted run; fast, but not an exact sample of the model";
      case ADAPTIVE -> config.beam() > 1 ? "adaptive order with a beam search: " + config.beam() + " hypotheses, each call"
          + " scores every remaining position of each and branches on the most confident one (rule " + config.rule().label()
          + "); the finished hypotheses are reranked by the model's own consistency (each target given all the others)"
          + " and the best is kept; a search for the model's likeliest answer, not a sample"
          : "adaptive order: each call scores every remaining position and commits the " + (config.k() == 1
          ? "most confident one" : config.k() + " most confident ones") + " (rule " + config.rule().label()
          + "); a decoding strategy that picks the easiest positions first, not an exact sample";
    };
  }

  /**
   * Every sampler and every adaptive rule at one temperature: sequential and speculative in random and
   * left-to-right order, burst, and adaptive with margin, max-prob and entropy (one position per call),
   * plus adaptive margin with 4 positions per call.
   */
  public static List<SamplerVariant> standardSuite(double temperature, long seed) {
    List<SamplerVariant> out = new ArrayList<>();
    for (OrderKind order : List.of(OrderKind.RANDOM, OrderKind.LEFT_TO_RIGHT)) {
      out.add(of("sequential/" + order.label(), SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withOrder(order), temperature, seed));
    }
    for (OrderKind order : List.of(OrderKind.RANDOM, OrderKind.LEFT_TO_RIGHT)) {
      out.add(of("speculative/" + order.label(), SamplerConfig.defaults(SamplerKind.SPECULATIVE).withOrder(order), temperature,
          seed));
    }
    out.add(of("burst", SamplerConfig.defaults(SamplerKind.BURST), temperature, seed));
    for (PositionRule rule : PositionRule.values()) {
      out.add(of("adaptive/" + rule.label(), SamplerConfig.defaults(SamplerKind.ADAPTIVE).withRule(rule), temperature, seed));
    }
    out.add(of("adaptive/margin/k4", SamplerConfig.defaults(SamplerKind.ADAPTIVE).withRule(PositionRule.MARGIN).withK(4),
        temperature, seed));
    return out;
  }

  /**
   * {@code suite} followed by adaptive margin decoding with a beam search of {@code width} hypotheses,
   * labelled {@code adaptive/margin/beamW}: a puzzle with one answer rewards searching for the model's
   * likeliest one, and the row shows what the search adds to the same model's greedy decoding.
   */
  public static List<SamplerVariant> withBeamSearch(List<SamplerVariant> suite, int width, double temperature, long seed) {
    List<SamplerVariant> out = new ArrayList<>(suite);
    out.add(of(beamLabel(width), SamplerConfig.defaults(SamplerKind.ADAPTIVE).withRule(PositionRule.MARGIN).withBeam(width),
        temperature, seed));
    return out;
  }

  /** The label of {@link #withBeamSearch}'s variant. */
  public static String beamLabel(int width) {
    return "adaptive/margin/beam" + width;
  }

  /**
   * The four samplers of the demo, the any-order model's own decoding first: adaptive margin, one position
   * per call (what the demo's model records as the decoding it is made for, {@link TaskRecipe#decoding()}),
   * then exact speculative decoding in a random order and left to right, sequential decoding (the exact
   * reference) in both orders, and burst. Speculative drafts start at 8 positions: a round costs two
   * evaluations whatever its window, and a maze's cells are confident enough that long windows are mostly
   * accepted.
   */
  public static List<SamplerVariant> demoSuite(double temperature, long seed) {
    SamplerConfig speculative = SamplerConfig.defaults(SamplerKind.SPECULATIVE).withK(8);
    return List.of(
        of("adaptive/margin", SamplerConfig.defaults(SamplerKind.ADAPTIVE).withRule(PositionRule.MARGIN), temperature, seed),
        of("speculative", speculative, temperature, seed),
        of("speculative/left-to-right", speculative.withOrder(OrderKind.LEFT_TO_RIGHT), temperature, seed),
        of("sequential", SamplerConfig.defaults(SamplerKind.SEQUENTIAL), temperature, seed),
        of("sequential/left-to-right", SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withOrder(OrderKind.LEFT_TO_RIGHT), temperature,
            seed),
        of("burst", SamplerConfig.defaults(SamplerKind.BURST), temperature, seed));
  }

  /** Only the variants whose label is in {@code labels} (all when {@code labels} is empty), in suite order. */
  public static List<SamplerVariant> select(List<SamplerVariant> suite, List<String> labels) {
    if (labels == null || labels.isEmpty()) {
      return suite;
    }
    List<SamplerVariant> out = new ArrayList<>();
    for (String l : labels) {
      SamplerVariant v = suite.stream().filter(s -> s.label().equals(l)).findFirst().orElseThrow(() ->
          new IllegalArgumentException("unknown sampler '" + l + "'; expected one of "
              + suite.stream().map(SamplerVariant::label).toList()));
      out.add(v);
    }
    return out;
  }

  private static SamplerVariant of(String label, SamplerConfig config, double temperature, long seed) {
    return new SamplerVariant(label, config.withTemperature(temperature).withSeed(seed));
  }
}

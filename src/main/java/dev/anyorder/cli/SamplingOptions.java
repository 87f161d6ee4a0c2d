package dev.anyorder.cli;

import dev.anyorder.orders.OrderKind;
import dev.anyorder.sampling.DrafterKind;
import dev.anyorder.sampling.OrderSpec;
import dev.anyorder.sampling.PositionRule;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import java.util.Arrays;
import picocli.CommandLine.Option;

/** The sampler flags shared by {@code sample} and {@code bench sample}, turned into a {@link SamplerConfig}. */
final class SamplingOptions {
  @Option(names = "--sampler", defaultValue = "sequential",
      description = "sequential, adaptive, burst or speculative (default: ${DEFAULT-VALUE}).")
  String sampler;

  @Option(names = "--order", defaultValue = "left-to-right",
      description = "Order of the generated positions: left-to-right, random, fractal, or a JSON list of positions (default: ${DEFAULT-VALUE}).")
  String order;

  @Option(names = "--temperature", defaultValue = "1.0") double temperature;
  @Option(names = "--top-k", defaultValue = "0", description = "Keep the k most likely tokens (0: off).") int topK;
  @Option(names = "--top-p", defaultValue = "1.0", description = "Nucleus mass (1: off).") double topP;
  @Option(names = "--seed", defaultValue = "1") long seed;
  @Option(names = "--k", defaultValue = "4", description = "Draft window (speculative) or positions per step (adaptive) (default: ${DEFAULT-VALUE}).")
  int k;
  @Option(names = "--fixed-k", description = "Speculative: keep k fixed instead of adapting it.") boolean fixedK;
  @Option(names = "--no-bonus", description = "Speculative: no bonus token when every draft is accepted.") boolean noBonus;
  @Option(names = "--drafter", defaultValue = "self", description = "Speculative drafter: self or ngram (default: ${DEFAULT-VALUE}).")
  String drafter;
  @Option(names = "--orders", defaultValue = "5", description = "Burst: verification orders per round (default: ${DEFAULT-VALUE}).")
  int orders;
  @Option(names = "--rule", defaultValue = "max-prob", description = "Adaptive: max-prob, margin or entropy (default: ${DEFAULT-VALUE}).")
  String rule;
  @Option(names = "--gumbel", defaultValue = "0", description = "Adaptive: scale of Gumbel noise on the scores (0: off).") double gumbel;

  SamplerConfig toConfig(int numSamples) {
    return SamplerConfig.defaults(SamplerKind.parse(sampler))
        .withOrder(orderSpec(order))
        .withTemperature(temperature)
        .withTopK(topK)
        .withTopP(topP)
        .withSeed(seed)
        .withK(k)
        .withAdaptiveK(!fixedK)
        .withBonus(!noBonus)
        .withDrafter(DrafterKind.parse(drafter))
        .withBurstOrders(orders)
        .withRule(PositionRule.parse(rule))
        .withGumbelScale(gumbel)
        .withNumSamples(numSamples);
  }

  static OrderSpec orderSpec(String s) {
    String t = s.trim();
    if (t.startsWith("[")) {
      int[] positions = JsonArgs.intArray(t, "--order");
      return OrderSpec.explicit(positions);
    }
    return OrderSpec.of(OrderKind.parse(t));
  }

  @Override
  public String toString() {
    return sampler + " " + order + " " + Arrays.asList(temperature, topK, topP, seed, k);
  }
}

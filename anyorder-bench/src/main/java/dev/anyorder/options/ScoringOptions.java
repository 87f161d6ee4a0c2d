package dev.anyorder.options;

import dev.anyorder.api.ScoreSettings;
import picocli.CommandLine.Option;

/**
 * The flags that say what {@code score} computes ({@code anyorder score} and {@code anyorder spark score}):
 * known positions, the order of the targets, the number of random orders, the seed. They are the fields of
 * {@link ScoreSettings}, with its defaults, which the HTTP API's {@code /v1/score} reads too.
 */
public final class ScoringOptions {
  @Option(names = "--known", description = "Known positions, as a JSON array [0,1,2] (default: none, score everything).")
  public String known;

  @Option(names = "--order", defaultValue = "left-to-right",
      description = "Order of the targets: left-to-right, random, fractal, or a JSON list (default: ${DEFAULT-VALUE}).")
  public String order;

  @Option(names = "--orders", defaultValue = "1", description = "Average over this many random orders (order-free estimate with standard error).")
  public int orders;

  @Option(names = "--seed", defaultValue = "" + ScoreSettings.DEFAULT_SEED,
      description = "Seed of the random orders; each sequence draws from it afresh (default: ${DEFAULT-VALUE}).")
  public long seed;

  /** The parsed {@code --known}, or null when it is not given. */
  public int[] knownPositions() {
    return known == null ? null : JsonArgs.intArray(known, "--known");
  }

  /** These flags as the settings every front end scores with. */
  public ScoreSettings settings() {
    return new ScoreSettings(knownPositions(), SamplingOptions.orderSpec(order), orders, seed);
  }
}

package dev.anyorder.options;

import picocli.CommandLine.Option;

/**
 * The flags that say what {@code score} computes ({@code anyorder score} and {@code anyorder spark score}):
 * known positions, the order of the targets, the number of random orders, the seed.
 */
public final class ScoringOptions {
  @Option(names = "--known", description = "Known positions, as a JSON array [0,1,2] (default: none, score everything).")
  public String known;

  @Option(names = "--order", defaultValue = "left-to-right",
      description = "Order of the targets: left-to-right, random, fractal, or a JSON list (default: ${DEFAULT-VALUE}).")
  public String order;

  @Option(names = "--orders", defaultValue = "1", description = "Average over this many random orders (order-free estimate with standard error).")
  public int orders;

  @Option(names = "--seed", defaultValue = "1", description = "Seed of the random orders (default: ${DEFAULT-VALUE}).")
  public long seed;

  /** The parsed {@code --known}, or null when it is not given. */
  public int[] knownPositions() {
    return known == null ? null : JsonArgs.intArray(known, "--known");
  }
}

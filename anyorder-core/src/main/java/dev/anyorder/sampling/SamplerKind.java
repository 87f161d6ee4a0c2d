package dev.anyorder.sampling;

/** Which sampler a {@link SamplerConfig} builds (docs/algorithms.md#samplers). */
public enum SamplerKind {
  /** {@link SequentialSampler}: one token per network evaluation, the ground truth. */
  SEQUENTIAL,
  /** {@link AdaptiveSampler}: confidence-ordered decoding (Kim et al., 2025); not an exact sampler. */
  ADAPTIVE,
  /** {@link BurstSampler}: σ-GPT token-based rejection sampling (Pannatier et al., 2024); not exact. */
  BURST,
  /** {@link SpeculativeSampler}: exact any-subset speculative decoding (Guo and Ermon, 2025). */
  SPECULATIVE;

  /** The command-line spelling, e.g. {@code speculative}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** Parses a label ({@code speculative}) or constant name, naming the accepted labels on failure. */
  public static SamplerKind parse(String s) {
    for (SamplerKind v : values()) {
      if (v.label().equalsIgnoreCase(s) || v.name().equalsIgnoreCase(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown samplerKind '" + s + "'; expected one of "
        + java.util.Arrays.toString(java.util.Arrays.stream(values()).map(SamplerKind::label).toArray()));
  }
}

package dev.anyorder.sampling;

/** Which sampler a {@link SamplerConfig} builds (§4 of ALGORITHMS.md). */
public enum SamplerKind {
  /** {@link SequentialSampler}: one token per network evaluation, the ground truth. */
  SEQUENTIAL,
  /** {@link AdaptiveSampler}: confidence-ordered decoding (Kim et al., 2025); not an exact sampler. */
  ADAPTIVE,
  /** {@link BurstSampler}: σ-GPT token-based rejection sampling (Pannatier et al., 2024); not exact. */
  BURST,
  /** {@link SpeculativeSampler}: exact any-subset speculative decoding (Guo and Ermon, 2025). */
  SPECULATIVE
}

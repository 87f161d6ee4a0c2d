package dev.anyorder.sampling;

/** Where {@link SpeculativeSampler} gets its drafts. */
public enum DrafterKind {
  /** The model's own one-pass conditionals: one network evaluation per draft round. */
  SELF,
  /** A smoothed n-gram table built from the sequence's own known and committed tokens: no evaluation. */
  NGRAM
}

package dev.anyorder.sampling;

/** Where {@link SpeculativeSampler} gets its drafts. */
public enum DrafterKind {
  /** The model's own one-pass conditionals: one network evaluation per draft round. */
  SELF,
  /** A smoothed n-gram table built from the sequence's own known and committed tokens: no evaluation. */
  NGRAM;

  /** The command-line spelling, e.g. {@code ngram}. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
  }

  /** Parses a label ({@code ngram}) or constant name, naming the accepted labels on failure. */
  public static DrafterKind parse(String s) {
    for (DrafterKind v : values()) {
      if (v.label().equalsIgnoreCase(s) || v.name().equalsIgnoreCase(s)) {
        return v;
      }
    }
    throw new IllegalArgumentException("unknown drafterKind '" + s + "'; expected one of "
        + java.util.Arrays.toString(java.util.Arrays.stream(values()).map(DrafterKind::label).toArray()));
  }
}

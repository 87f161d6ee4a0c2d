package dev.anyorder.sampling;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a front end's sampler settings start when a request names none: the library's defaults
 * ({@link SamplerConfig#defaults(SamplerKind)}, {@link SamplerConfig#DEFAULT_KIND} when no sampler is
 * named), or, for a model that records the decoding it was made for, that decoding. A recommended decoding
 * replaces the defaults of its own sampler kind and becomes the default kind; the other kinds keep the
 * library's defaults.
 *
 * @param recommended the model's recommended decoding, if it records one
 */
public record SamplerDefaults(Optional<SamplerConfig> recommended) {
  /** The library's defaults, for a model that recommends no decoding. */
  public static final SamplerDefaults LIBRARY = new SamplerDefaults(Optional.empty());

  public SamplerDefaults {
    Objects.requireNonNull(recommended, "recommended decoding (use Optional.empty())");
  }

  /** The sampler a request gets when it names none. */
  public SamplerKind defaultKind() {
    return recommended.map(SamplerConfig::kind).orElse(SamplerConfig.DEFAULT_KIND);
  }

  /** The settings a request naming sampler {@code kind} starts from. */
  public SamplerConfig forKind(SamplerKind kind) {
    Objects.requireNonNull(kind, "kind");
    return recommended.filter(r -> r.kind() == kind).orElseGet(() -> SamplerConfig.defaults(kind));
  }

  /** The settings a request naming no sampler option gets. */
  public SamplerConfig defaults() {
    return forKind(defaultKind());
  }
}

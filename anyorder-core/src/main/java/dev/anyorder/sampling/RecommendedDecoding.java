package dev.anyorder.sampling;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anyorder.io.CheckpointException;
import dev.anyorder.io.InvalidFieldException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The decoding a saved model records as the one it is made for: the field {@value #FIELD} of the training
 * record in its {@code config.json}, a sampler object in the form of {@link SamplerConfigJson} (the HTTP
 * API's). It is read here, in the core, so that loading a model needs no training code; training writes it.
 */
public final class RecommendedDecoding {
  /** Field of the training record holding the recommended decoding. */
  public static final String FIELD = "decoding";

  private RecommendedDecoding() {}

  /**
   * The recommended decoding a training record holds, if it holds one.
   *
   * @param training the {@code training} object of a {@code config.json}, or null
   * @param configFile the file it was read from, named in errors
   * @throws CheckpointException naming the file and the field when the decoding is not a valid sampler
   *     object, or lists explicit positions (a model's decoding must fit any request, so it names an order kind)
   */
  public static Optional<SamplerConfig> read(JsonNode training, Path configFile) {
    JsonNode json = training == null ? null : training.get(FIELD);
    if (json == null) {
      return Optional.empty();
    }
    String name = "training." + FIELD;
    SamplerConfig decoding;
    try {
      decoding = SamplerConfigJson.fromJson(json, name);
    } catch (InvalidFieldException e) {
      throw new CheckpointException(configFile + ": " + e.getMessage() + " (the model's recommended decoding)", e);
    }
    if (decoding.order().explicit() != null) {
      throw new CheckpointException(configFile + ": '" + name + "." + SamplerConfigJson.ORDER + "' must be an order name, not"
          + " a list of positions: a model's recommended decoding serves requests of any length");
    }
    return Optional.of(decoding);
  }
}

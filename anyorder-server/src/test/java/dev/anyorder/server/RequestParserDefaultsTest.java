package dev.anyorder.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anyorder.api.ScoreSettings;
import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import dev.anyorder.testing.TinyModels;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * A request that names no sampler option gets the library's defaults, the same as the command line's; a
 * score request naming nothing but its text gets {@link ScoreSettings#defaults()}, as the CLI and Spark do.
 */
class RequestParserDefaultsTest {
  final RequestParser parser = new RequestParser(TinyModels.config(3, 8), CharacterVocabulary.fromText("abc"), ServerConfig.defaults());

  private GenerationSpec generate(String json) {
    return parser.generate(json.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void omittedOptionsAreTheLibraryDefaults() {
    assertEquals(SamplerConfig.defaults(), generate("{\"length\": 4}").sampler());
    for (SamplerKind kind : SamplerKind.values()) {
      assertEquals(SamplerConfig.defaults(kind), generate("{\"length\": 4, \"sampler\": \"" + kind.label() + "\"}").sampler(), kind.label());
    }
  }

  @Test
  void aScoreNamingNothingGetsTheScoreDefaults() {
    ScoringSpec spec = parser.score("{\"text\": \"abcab\"}".getBytes(StandardCharsets.UTF_8));
    assertEquals(ScoreSettings.defaults(), spec.settings());
    assertEquals(ScoreSettings.DEFAULT_SEED, spec.settings().seed());
  }
}

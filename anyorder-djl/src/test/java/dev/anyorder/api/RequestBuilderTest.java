package dev.anyorder.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.density.ScoreRequest;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.sampling.InvalidSettingException;
import dev.anyorder.sampling.OrderSpec;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.testing.TinyModels;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** The one request builder the CLI and the server share: requests built right, errors naming their input as data. */
class RequestBuilderTest {
  final ModelConfig model = TinyModels.config(4, 8);
  final CharacterVocabulary vocabulary = CharacterVocabulary.fromText("abcd");

  @Test
  void sampleRequestsJoinPromptAndKnownTokens() {
    SampleRequest r = RequestBuilder.sampleRequest(model, vocabulary, 6, "ab", Map.of(4, 3));
    assertArrayEquals(new int[] {0, 1, -1, -1, 3, -1}, r.given());
    assertArrayEquals(new int[] {-1, -1, -1}, RequestBuilder.sampleRequest(model, vocabulary, 3, null, null).given());
  }

  @Test
  void scoreRequestsKeepKnownTokensAndResolveTheOrder() {
    ScoreRequest r = RequestBuilder.scoreRequest(model, new int[] {0, 1, 2, 3}, new int[] {2}, OrderSpec.of(OrderKind.LEFT_TO_RIGHT),
        new SplittableRandom(1));
    assertArrayEquals(new boolean[] {false, false, true, false}, r.known());
    assertArrayEquals(new int[] {0, 1, 3}, r.targetOrder());
  }

  @Test
  void errorsNameTheirInput() {
    fails("length", () -> RequestBuilder.sampleRequest(model, vocabulary, 9, null, null));
    fails("prompt", () -> RequestBuilder.sampleRequest(model, vocabulary, 3, "abcd", null));
    fails("prompt", () -> RequestBuilder.sampleRequest(model, vocabulary, 6, "xyz", null));
    fails("known", () -> RequestBuilder.sampleRequest(model, vocabulary, 6, "ab", Map.of(1, 3)));
    fails("known", () -> RequestBuilder.sampleRequest(model, vocabulary, 6, null, Map.of(7, 0)));
    fails("known", () -> RequestBuilder.sampleRequest(model, vocabulary, 6, null, Map.of(1, 9)));
    int[] tokens = {0, 1, 2, 3};
    OrderSpec ltr = OrderSpec.of(OrderKind.LEFT_TO_RIGHT);
    fails("known", () -> RequestBuilder.scoreRequest(model, tokens, new int[] {1, 1}, ltr, new SplittableRandom(1)));
    fails("known", () -> RequestBuilder.scoreRequest(model, tokens, new int[] {4}, ltr, new SplittableRandom(1)));
    fails("order", () -> RequestBuilder.scoreRequest(model, tokens, new int[] {0}, OrderSpec.explicit(1, 2), new SplittableRandom(1)));
    fails("tokens", () -> RequestBuilder.scoreRequest(model, new int[0], null, ltr, new SplittableRandom(1)));
  }

  private static void fails(String setting, Executable action) {
    assertEquals(setting, assertThrows(InvalidSettingException.class, action).setting());
  }
}

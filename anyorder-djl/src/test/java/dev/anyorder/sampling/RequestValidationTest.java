package dev.anyorder.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDManager;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.testing.TinyModels;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every bad request and config fails with a message naming what is wrong. */
class RequestValidationTest {
  static final ModelConfig CONFIG = TinyModels.config(3, 5);
  static final ModelConfig NO_START = new ModelConfig(3, 5, 1, 1, 8, 4, 0.0, PositionEncoding.LEARNED, false, false);
  static NDManager manager;
  static DjlNetwork net;

  @BeforeAll
  static void setUp() {
    manager = TinyModels.manager();
    net = TinyModels.network(CONFIG, 1, manager);
  }

  @AfterAll
  static void tearDown() {
    net.close();
    manager.close();
  }

  static void fails(String message, Executable e) {
    assertEquals(message, assertThrows(IllegalArgumentException.class, e).getMessage());
  }

  @Test
  void badRequests() {
    fails("known position 7 is outside 0..4", () -> SampleRequest.withKnown(5, Map.of(7, 1)));
    fails("known position -1 is outside 0..4", () -> SampleRequest.withKnown(5, Map.of(-1, 1)));
    fails("length 9 exceeds the model's maximum length 5", () -> SampleRequest.unconditional(9).validate(CONFIG));
    fails("known token id 3 at position 0 is outside the vocabulary 0..2",
        () -> SampleRequest.withKnown(5, Map.of(0, 3)).validate(CONFIG));
    fails("this model has no start slot and needs at least one known token",
        () -> SampleRequest.unconditional(5).validate(NO_START));
    fails("given[1] = -2: use a token id or SampleRequest.UNKNOWN (-1)", () -> new SampleRequest(new int[] {0, -2}));
    fails("a sample request needs a length of at least 1", () -> new SampleRequest(new int[0]));
    fails("length must be at least 1, got 0", () -> SampleRequest.unconditional(0));
    SampleRequest.withKnown(5, Map.of(2, 1)).validate(NO_START); // one known token suffices
  }

  @Test
  void samplersRejectBadRequestsWithTheSameMessage() {
    for (SamplerKind kind : SamplerKind.values()) {
      Sampler s = Sampler.create(net, SamplerConfig.defaults(kind));
      fails("length 6 exceeds the model's maximum length 5", () -> s.sample(SampleRequest.unconditional(6)));
      fails("known token id 9 at position 4 is outside the vocabulary 0..2",
          () -> s.sample(SampleRequest.withKnown(5, Map.of(4, 9))));
    }
  }

  @Test
  void explicitOrderMustCoverTheTargets() {
    Sampler s = Sampler.create(net, SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withOrder(OrderSpec.explicit(0, 2, 3)));
    fails("order [0, 2, 3] must list every target position exactly once; the targets are [0, 2, 3, 4]",
        () -> s.sample(SampleRequest.withKnown(5, Map.of(1, 0))));
    fails("order: give either an order kind or an explicit list of target positions", () -> new OrderSpec(null, null));
  }

  @Test
  void badConfigsNameTheField() {
    SamplerConfig d = SamplerConfig.defaults(SamplerKind.SPECULATIVE);
    fails("k must be at least 1, got 0", () -> d.withK(0));
    fails("temperature must be finite and at least 1.0E-6, got 0.0", () -> d.withTemperature(0));
    fails("temperature must be finite and at least 1.0E-6, got -1.0", () -> d.withTemperature(-1));
    fails("temperature must be finite and at least 1.0E-6, got 4.9E-324", () -> d.withTemperature(Double.MIN_VALUE));
    fails("topK must be >= 0 (0 = off), got -1", () -> d.withTopK(-1));
    fails("topP must be in (0, 1] (1 = off), got 0.0", () -> d.withTopP(0));
    fails("topP must be in (0, 1] (1 = off), got 1.5", () -> d.withTopP(1.5));
    fails("burstOrders must be at least 1, got 0", () -> d.withBurstOrders(0));
    fails("gumbelScale must be >= 0 (0 = off), got -1.0", () -> d.withGumbelScale(-1));
    fails("numSamples must be at least 1, got 0", () -> d.withNumSamples(0));
    fails("k must be at least 2 for speculative decoding without a bonus token (a window of 1 would spend 2 evaluations on 1"
        + " token), got 1", () -> d.withK(1).withBonus(false));
    fails("config is for a SPECULATIVE sampler, not SEQUENTIAL", () -> new SequentialSampler(net, d));
    fails("no requests to sample", () -> Sampler.create(net, d).sample(List.of()));
  }

  @Test
  void badSettingsCarryTheirNameAsData() {
    SamplerConfig d = SamplerConfig.defaults(SamplerKind.SPECULATIVE);
    Map<String, Runnable> cases = new java.util.LinkedHashMap<>();
    cases.put("temperature", () -> d.withTemperature(Double.MIN_VALUE));
    cases.put("topK", () -> d.withTopK(-1));
    cases.put("topP", () -> d.withTopP(2));
    cases.put("k", () -> d.withK(1).withBonus(false));
    cases.put("burstOrders", () -> d.withBurstOrders(0));
    cases.put("gumbelScale", () -> d.withGumbelScale(Double.NaN));
    cases.put("numSamples", () -> d.withNumSamples(0));
    cases.forEach((setting, action) -> {
      InvalidSettingException e = org.junit.jupiter.api.Assertions.assertThrows(InvalidSettingException.class, action::run);
      assertEquals(setting, e.setting());
    });
    assertEquals("temperature", org.junit.jupiter.api.Assertions.assertThrows(InvalidSettingException.class,
        () -> new TokenFilter(1e-300, 0, 1)).setting());
  }

  @Test
  void labelsParse() {
    assertEquals(SamplerKind.SPECULATIVE, SamplerKind.parse("speculative"));
    assertEquals(DrafterKind.NGRAM, DrafterKind.parse("NGRAM"));
    assertEquals(PositionRule.MAX_PROB, PositionRule.parse("max-prob"));
    fails("unknown positionRule 'best'; expected one of [max-prob, margin, entropy]", () -> PositionRule.parse("best"));
  }
}

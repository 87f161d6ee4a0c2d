package dev.anyorder.sampling;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.model.java.JavaNetwork;
import dev.anyorder.testing.TinyModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Burst sampling verifies its orders as branches on one cached prefix, and adaptive sampling asks every
 * remaining position as query rows of one call. Both must make exactly the choices they would make if
 * every order and every position were evaluated by its own pass over the replayed history
 * ({@link SeparatePassesNetwork}): same seed, same committed positions, tokens and order, on both backends.
 */
class SharedPrefixDecodingTest {
  static final ModelConfig CONFIG = TinyModels.config(6, 12);
  static NDManager manager;
  static DjlNetwork djl;
  static JavaNetwork pure;

  @BeforeAll
  static void setUp() {
    manager = TinyModels.manager();
    SigmaGpt model = TinyModels.random(CONFIG, 11, 0.7, manager);
    pure = new JavaNetwork(CONFIG, model.weights());
    djl = new DjlNetwork(model, true);
  }

  @AfterAll
  static void tearDown() {
    djl.close();
    pure.close();
    manager.close();
  }

  static Stream<Network> backends() {
    return Stream.of(djl, pure);
  }

  static List<SampleRequest> requests() {
    List<SampleRequest> r = new ArrayList<>();
    r.add(SampleRequest.unconditional(12));
    int[] given = new int[12];
    Arrays.fill(given, SampleRequest.UNKNOWN);
    given[2] = 1;
    given[7] = 4;
    r.add(new SampleRequest(given));
    r.add(SampleRequest.unconditional(12));
    return r;
  }

  static void assertSameChoices(Network network, SamplerConfig config) {
    SeparatePassesNetwork reference = new SeparatePassesNetwork(network);
    for (int round = 0; round < 3; round++) {
      SamplerConfig seeded = config.withSeed(100 + round);
      SampleBatch batched = Sampler.create(network, seeded).sample(requests());
      SampleBatch separate = Sampler.create(reference, seeded).sample(requests());
      assertEquals(batched.totalNfe(), separate.totalNfe(), config + ": NFE");
      for (int b = 0; b < batched.samples().size(); b++) {
        Sample x = batched.samples().get(b);
        Sample y = separate.samples().get(b);
        assertArrayEquals(y.commitOrder(), x.commitOrder(), config + " sequence " + b + ": commit order");
        assertArrayEquals(y.tokens(), x.tokens(), config + " sequence " + b + ": tokens");
      }
    }
    assertTrue(reference.passes() > 0);
  }

  @ParameterizedTest(autoCloseArguments = false) // the networks are shared by the class
  @MethodSource("backends")
  void burstOnASharedPrefixChoosesWhatSeparateOrderPassesChoose(Network network) {
    assertSameChoices(network, SamplerConfig.defaults(SamplerKind.BURST).withBurstOrders(4));
  }

  @ParameterizedTest(autoCloseArguments = false) // the networks are shared by the class
  @MethodSource("backends")
  void batchedAdaptivePicksWhatPerPositionPassesPick(Network network) {
    assertSameChoices(network, SamplerConfig.defaults(SamplerKind.ADAPTIVE).withRule(PositionRule.MARGIN).withK(1));
    assertSameChoices(network, SamplerConfig.defaults(SamplerKind.ADAPTIVE).withRule(PositionRule.ENTROPY).withK(3));
  }
}

package dev.anyorder.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyorder.data.GapTraining;
import dev.anyorder.model.GapLayout;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.model.java.JavaNetwork;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.sampling.GapRequest;
import dev.anyorder.sampling.GapSampler;
import dev.anyorder.sampling.TokenFilter;
import dev.anyorder.testing.FixedDataset;
import dev.anyorder.testing.TinyModels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Gap training teaches exactly what inference reads (docs/algorithms.md#training-for-gaps): on four memorable
 * sequences, a model trained on gap examples alone predicts the true length of hidden spans far better than
 * chance, scored by the same length stream the {@link GapSampler} draws from; the training config records the
 * gaps in its JSON and reads old JSON (no {@code gaps}) as none.
 */
class GapTrainingRunTest {
  static final int[][] SEQUENCES = TrainerTest.SEQUENCES;
  static final GapTraining GAPS = new GapTraining(0.75, 2, 4, null, null);
  static final ModelConfig CONFIG = new ModelConfig(8, 8 + GAPS.slots(), 2, 2, 32, 4, 0.0, PositionEncoding.LEARNED, false, true);

  @Test
  void gapExamplesTeachTheLengthsOfHiddenSpans() {
    TrainConfig cfg = TrainerTest.config(300, OrderSchedule.fixed(OrderKind.RANDOM)).withGaps(GAPS);
    try (NDManager m = TinyModels.manager();
        SigmaGpt model = SigmaGpt.initialize(CONFIG, 1, m, true);
        Trainer trainer = new Trainer(model, cfg, new FixedDataset(SEQUENCES, 8))) {
      double before = meanLengthLoss(model);
      trainer.run(new Trainer.Listener() {});
      double after = meanLengthLoss(model);
      System.out.printf("length loss per gap: %.3f nats before training, %.3f after (uniform over 0..4: %.3f)%n", before, after,
          Math.log(5));
      assertTrue(after < 0.5 * Math.log(5), "lengths not learned: " + after + " nats per gap");
      assertTrue(trainer.validationLoss(OrderKind.RANDOM) < 1.0, "ordinary any-order sequences are still learned");
    }
  }

  /** Mean {@code -log p(true length)} per gap over fresh gap examples, through the inference-time scorer. */
  static double meanLengthLoss(SigmaGpt model) {
    SplittableRandom rng = new SplittableRandom(3);
    List<GapRequest> requests = new ArrayList<>();
    List<int[]> lengths = new ArrayList<>();
    int gaps = 0;
    while (requests.size() < 200) {
      GapTraining.Example e = GAPS.example(SEQUENCES[rng.nextInt(SEQUENCES.length)], 8, rng);
      if (e == null) {
        continue;
      }
      // The length-phase layout is a gap request's template: markers are gaps, holes are unknown tokens.
      int[] max = new int[e.lengths().length];
      Arrays.fill(max, GAPS.maxGap());
      requests.add(new GapRequest(e.layout(), max));
      lengths.add(e.lengths());
      gaps += max.length;
    }
    try (JavaNetwork net = new JavaNetwork(CONFIG, model.weights())) {
      double[] lp = GapSampler.lengthLogProbs(net, GAPS.layout(), TokenFilter.NONE, requests, lengths);
      return -Arrays.stream(lp).sum() / gaps;
    }
  }

  @Test
  void theConfigRecordsTheGapsAndOldConfigsHaveNone() throws Exception {
    ObjectMapper json = new ObjectMapper();
    TrainConfig with = TrainConfig.defaults().withGaps(GAPS);
    var tree = json.valueToTree(with);
    assertEquals(with, json.treeToValue(tree, TrainConfig.class));
    var training = json.createObjectNode();
    training.set("config", tree);
    assertEquals(new GapLayout(2, 4), GapLayout.recorded(training).orElseThrow());
    var old = (com.fasterxml.jackson.databind.node.ObjectNode) json.valueToTree(TrainConfig.defaults());
    old.remove("gaps");
    assertNull(json.treeToValue(old, TrainConfig.class).gaps());
    assertTrue(GapLayout.recorded(json.createObjectNode().set("config", old)).isEmpty());
  }

  @Test
  void aModelWithoutRoomForTheSlotsIsRefused() {
    ModelConfig tooShort = new ModelConfig(8, 8, 1, 1, 8, 4, 0.0, PositionEncoding.LEARNED, false, true);
    try (NDManager m = TinyModels.manager();
        SigmaGpt model = SigmaGpt.initialize(tooShort, 1, m, true)) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new Trainer(model, TrainerTest.config(1, OrderSchedule.fixed(OrderKind.RANDOM)).withGaps(GAPS), new FixedDataset(SEQUENCES, 8)));
      assertTrue(e.getMessage().contains("length slots"), e.getMessage());
    }
  }
}

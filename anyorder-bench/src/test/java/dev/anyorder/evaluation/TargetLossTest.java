package dev.anyorder.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyorder.density.ScoreRequest;
import dev.anyorder.density.Scorer;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.testing.FixedDataset;
import dev.anyorder.testing.TinyModels;
import dev.anyorder.training.TrainConfig;
import dev.anyorder.training.Trainer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The optional loss over target positions only ({@link TrainConfig#knownPositions()}), used for maze training. */
class TargetLossTest {
  private static final int[][] SEQUENCES = {{0, 1, 2, 3, 1, 2}, {3, 2, 1, 0, 2, 1}, {1, 1, 2, 2, 3, 3}, {0, 3, 0, 3, 0, 3}};
  private static final boolean[] PROMPT = {true, true, true, false, false, false};

  private static TrainConfig config(boolean[] known) {
    return TrainConfig.defaults().withSteps(1).withBatch(4).withWarmup(1).withWeightDecay(0).withOrder(OrderSchedule.fixed(OrderKind.LEFT_TO_RIGHT))
        .withSeed(3).withEvaluation(0, 1).withCheckpointEvery(0).withKnownPositions(known);
  }

  @Test
  void validationLossWithKnownPositionsIsTheMeanOverTargetsOnly() {
    ModelConfig c = TinyModels.config(4, 6);
    FixedDataset data = new FixedDataset(SEQUENCES, 4);
    try (NDManager manager = TinyModels.manager()) {
      SigmaGpt model = TinyModels.random(c, 5, 0.5, manager);
      double masked;
      double full;
      try (Trainer t = new Trainer(model, config(PROMPT), data)) {
        masked = t.validationLoss(OrderKind.LEFT_TO_RIGHT);
      }
      try (Trainer t = new Trainer(model, config(null), data)) {
        full = t.validationLoss(OrderKind.LEFT_TO_RIGHT);
      }
      List<ScoreRequest> requests = new ArrayList<>();
      for (int[] s : SEQUENCES) {
        requests.add(new ScoreRequest(s, PROMPT, new int[] {3, 4, 5}));
      }
      double nats = 0;
      for (var score : new Scorer(new DjlNetwork(model, false)).scoreAll(requests)) {
        nats -= score.logProb();
      }
      assertEquals(nats / (3.0 * SEQUENCES.length), masked, 1e-4, "masked loss = mean NLL of the target half");
      assertNotEquals(full, masked, 1e-6);
    }
  }

  /** The sequences above with per-sequence known masks, as a task whose prompt differs per instance provides them. */
  private static final boolean[][] MASKS = {
      {true, false, true, false, false, true}, {true, true, true, true, false, false},
      {false, false, false, false, false, true}, {true, false, false, false, false, false}};

  private record PerSequenceKnown(FixedDataset inner) implements dev.anyorder.data.Dataset {
    @Override
    public int sequenceLength() {
      return inner.sequenceLength();
    }

    @Override
    public int vocabSize() {
      return inner.vocabSize();
    }

    @Override
    public int[][] batch(int batchSize, java.util.random.RandomGenerator rng) {
      return inner.batch(batchSize, rng);
    }

    @Override
    public List<int[][]> validationBatches(int batchSize, int maxBatches) {
      return inner.validationBatches(batchSize, maxBatches);
    }

    @Override
    public com.fasterxml.jackson.databind.node.ObjectNode provenance() {
      return inner.provenance();
    }

    @Override
    public boolean knowsKnownPositions() {
      return true;
    }

    @Override
    public boolean[] knownPositions(int[] sequence) {
      for (int i = 0; i < SEQUENCES.length; i++) {
        if (java.util.Arrays.equals(SEQUENCES[i], sequence)) {
          return MASKS[i].clone();
        }
      }
      throw new AssertionError("not a sequence of this data set");
    }
  }

  @Test
  void promptFirstWithKnownPositionsFromTheDataIsTheScorersLossOfEachSequencesTargets() {
    ModelConfig c = TinyModels.config(4, 6);
    PerSequenceKnown data = new PerSequenceKnown(new FixedDataset(SEQUENCES, 4));
    TrainConfig lean = config(null).withKnownFromData(true);
    try (NDManager manager = TinyModels.manager()) {
      SigmaGpt model = TinyModels.random(c, 5, 0.5, manager);
      double loss;
      try (Trainer t = new Trainer(model, lean, data)) {
        // left-to-right drawn, laid out prompt first: each sequence's known positions in order, then its targets in order
        loss = t.validationLoss(OrderKind.LEFT_TO_RIGHT);
      }
      List<ScoreRequest> requests = new ArrayList<>();
      int targets = 0;
      for (int i = 0; i < SEQUENCES.length; i++) {
        boolean[] known = MASKS[i];
        int[] order = java.util.stream.IntStream.range(0, 6).filter(p -> !known[p]).toArray();
        targets += order.length;
        requests.add(new ScoreRequest(SEQUENCES[i], known, order));
      }
      double nats = 0;
      for (var score : new Scorer(new DjlNetwork(model, false)).scoreAll(requests)) {
        nats -= score.logProb();
      }
      assertEquals(nats / targets, loss, 1e-4, "loss = mean NLL of each sequence's own targets, prompt fed first");
    }
  }

  @Test
  void trainingWithKnownPositionsFromTheDataNeedsADataSetThatKnowsThem() {
    try (NDManager manager = TinyModels.manager()) {
      SigmaGpt model = TinyModels.random(TinyModels.config(4, 6), 5, 0.5, manager);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new Trainer(model, config(null).withKnownFromData(true), new FixedDataset(SEQUENCES, 4)));
      assertTrue(e.getMessage().contains("known positions from the data"), e.getMessage());
      SigmaGpt trainable = SigmaGpt.initialize(TinyModels.config(4, 6), 5, manager, true);
      try (Trainer t = new Trainer(trainable, config(null).withKnownFromData(true), new PerSequenceKnown(new FixedDataset(SEQUENCES, 4)))) {
        assertTrue(Double.isFinite(t.trainStep().loss()));
      }
    }
  }

  @Test
  void knownPositionsAreValidatedCopiedAndStored() throws Exception {
    assertThrows(IllegalArgumentException.class, () -> config(new boolean[] {true, true}));
    boolean[] known = PROMPT.clone();
    TrainConfig c = config(known);
    known[5] = true;
    assertEquals(false, c.knownPositions()[5], "the config keeps its own copy");
    assertNull(config(null).knownPositions());
    ObjectMapper json = new ObjectMapper();
    assertEquals(c, json.treeToValue(json.valueToTree(c), TrainConfig.class), "checkpoint JSON round trip");
    TrainConfig old = json.treeToValue(json.valueToTree(config(null)), TrainConfig.class);
    assertNull(old.knownPositions());
    TrainConfig lean = config(null).withKnownFromData(true);
    assertEquals(lean, json.treeToValue(json.valueToTree(lean), TrainConfig.class), "the recipe's known layout is recorded");
    var before = (com.fasterxml.jackson.databind.node.ObjectNode) json.valueToTree(c);
    before.remove(List.of("knownFromData", "promptFirst"));
    TrainConfig written = json.treeToValue(before, TrainConfig.class);
    assertEquals(c, written, "a training record written before these options existed reads as neither");
    assertThrows(IllegalArgumentException.class, () -> new TrainConfig(1, 4, 1, 1e-3, 1e-4, 1, 0, 0.9, 0.99, 1,
        OrderSchedule.fixed(OrderKind.RANDOM), 3, 0, 1, 0, null, false, true), "prompt first without known positions"); // the constructor's own check
    assertThrows(IllegalArgumentException.class, () -> new TrainConfig(1, 4, 1, 1e-3, 1e-4, 1, 0, 0.9, 0.99, 1,
        OrderSchedule.fixed(OrderKind.RANDOM), 3, 0, 1, 0, PROMPT, true, false), "a fixed mask and per-sequence masks");
    try (NDManager manager = TinyModels.manager()) {
      SigmaGpt model = TinyModels.random(TinyModels.config(4, 6), 5, 0.5, manager);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> new Trainer(model, config(new boolean[] {true, false}), new FixedDataset(SEQUENCES, 4)));
      assertTrue(e.getMessage().contains("known positions"), e.getMessage());
    }
  }
}

package dev.anyorder.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.anyorder.data.Dataset;
import dev.anyorder.density.ScoreRequest;
import dev.anyorder.density.Scorer;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.tasks.sudoku.SudokuConfig;
import dev.anyorder.tasks.sudoku.SudokuSolver;
import dev.anyorder.tasks.sudoku.SudokuTask;
import dev.anyorder.testing.TinyModels;
import dev.anyorder.training.TrainConfig;
import dev.anyorder.training.Trainer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Sudoku in the solve-time layout: fresh symmetric puzzles with a spread of givens, loss on the blanks only. */
class SudokuTrainingTest {
  static final SudokuTask TRAINING = new SudokuTask(new SudokuConfig(25, 5, 45));

  static int givens(boolean[] known) {
    int n = 0;
    for (boolean k : known) {
      n += k ? 1 : 0;
    }
    return n;
  }

  @Test
  void trainingDrawsAreValidUniquePuzzlesWithTheirOwnSolution() {
    TaskDataset data = TaskDataset.generate(TRAINING, 20, 4, 7);
    SplittableRandom rng = new SplittableRandom(3);
    int lowest = 81;
    int highest = 0;
    double sum = 0;
    int draws = 0;
    Set<String> distinct = new HashSet<>();
    for (int round = 0; round < 20; round++) {
      Dataset.LabeledBatch batch = data.labeledBatch(16, rng);
      for (int b = 0; b < 16; b++) {
        int[] sequence = batch.sequences()[b];
        boolean[] known = batch.known()[b];
        int[] solution = SudokuTask.digits(sequence);
        assertTrue(SudokuSolver.isValidSolution(solution), "a variant keeps a valid grid");
        int[] puzzle = new int[81];
        for (int cell = 0; cell < 81; cell++) {
          puzzle[cell] = known[cell] ? solution[cell] : 0;
        }
        assertEquals(1, SudokuSolver.countSolutions(puzzle, 2), "a variant keeps exactly one solution");
        assertArrayEquals(solution, SudokuSolver.solve(puzzle).orElseThrow(), "and it is the variant's own grid");
        int g = givens(known);
        lowest = Math.min(lowest, g);
        highest = Math.max(highest, g);
        sum += g;
        draws++;
        distinct.add(java.util.Arrays.toString(sequence));
      }
    }
    assertTrue(lowest >= 25 && highest <= 45 && lowest <= 27 && highest >= 43, "givens spread over 25..45: " + lowest + ".." + highest);
    assertEquals(35, sum / draws, 1.5, "uniform over 25..45");
    assertEquals(draws, distinct.size(), "320 draws from a pool of 20 grids are 320 different grids (symmetries)");
  }

  @Test
  void withoutASpreadTheGivensAreThePuzzles() {
    SudokuTask plain = new SudokuTask(new SudokuConfig(32, 5));
    TaskInstance base = plain.generate(dev.anyorder.tasks.Split.TRAIN, 1, 1).get(0);
    TaskInstance variant = plain.trainingVariant(base, new SplittableRandom(1));
    assertEquals(32, givens(variant.known()));
    assertTrue(SudokuSolver.isValidSolution(SudokuTask.digits(variant.sequence())));
  }

  /**
   * The training loss of a prompt-first Sudoku model is the mean negative log-likelihood of the blanks given
   * the givens, as the scorer computes it from the samplers' layout: the givens carry no loss.
   */
  @Test
  void givensNeverCarryLoss() {
    TaskDataset data = TaskDataset.generate(TRAINING, 8, 6, 11);
    ModelConfig c = new ModelConfig(9, 81, 1, 2, 16, 2, 0.0, PositionEncoding.GRID, false, true,
        TRAINING.positionGrid().orElseThrow());
    TrainConfig train = TrainConfig.defaults().withSteps(1).withBatch(6).withWarmup(1).withWeightDecay(0).withOrder(OrderSchedule.fixed(OrderKind.RANDOM)).withSeed(3)
        .withEvaluation(0, 1).withCheckpointEvery(0)
        .withKnownFromData(true);
    try (NDManager manager = TinyModels.manager()) {
      SigmaGpt model = TinyModels.random(c, 5, 0.5, manager);
      double loss;
      try (Trainer t = new Trainer(model, train, data)) {
        loss = t.validationLoss(OrderKind.LEFT_TO_RIGHT);
      }
      List<ScoreRequest> requests = new ArrayList<>();
      int blanks = 0;
      for (Dataset.LabeledBatch b : data.labeledValidationBatches(6, 1)) {
        for (int i = 0; i < b.sequences().length; i++) {
          boolean[] known = b.known()[i];
          int[] targets = java.util.stream.IntStream.range(0, 81).filter(p -> !known[p]).toArray();
          blanks += targets.length;
          requests.add(new ScoreRequest(b.sequences()[i], known, targets));
        }
      }
      double nats = 0;
      for (var score : new Scorer(new DjlNetwork(model, false)).scoreAll(requests)) {
        nats -= score.logProb();
      }
      assertEquals(nats / blanks, loss, 1e-4, "validation loss = mean NLL of the blanks given the givens");
    }
  }
}

package dev.anyorder.tasks.sudoku;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.anyorder.model.Network;
import dev.anyorder.sampling.PositionRule;
import dev.anyorder.sampling.Sample;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.Sampler;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import dev.anyorder.tasks.Split;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.testing.TinyModels;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Adaptive-order decoding (Kim et al. 2025) of sudoku with the givens as the known set: every rule keeps
 * the givens, commits each blank exactly once, one per network call, and with {@code k} positions per call
 * needs {@code ceil(blanks / k)} calls.
 */
class SudokuAdaptiveDecodingTest {

  @Test
  void everyRuleFillsExactlyTheBlanksAndKeepsTheGivens() {
    SudokuTask task = new SudokuTask(new SudokuConfig(32, 5));
    List<TaskInstance> puzzles = task.generate(Split.TEST, 3, 5);
    List<SampleRequest> requests = puzzles.stream().map(p -> new SampleRequest(p.prompt())).toList();
    try (NDManager manager = TinyModels.manager()) {
      Network network = TinyModels.network(TinyModels.config(9, 81), 3, manager);
      for (PositionRule rule : PositionRule.values()) {
        for (int k : new int[] {1, 4}) {
          Sampler sampler = Sampler.create(network,
              SamplerConfig.defaults(SamplerKind.ADAPTIVE).withRule(rule).withK(k).withSeed(9));
          List<Sample> samples = sampler.sample(requests).samples();
          for (int i = 0; i < puzzles.size(); i++) {
            TaskInstance puzzle = puzzles.get(i);
            Sample s = samples.get(i);
            int[] blanks = IntStream.range(0, 81).filter(p -> !puzzle.isKnown(p)).toArray();
            assertTrue(puzzle.keepsKnown(s.tokens()), rule + " keeps the givens");
            int[] committed = s.commitOrder();
            Arrays.sort(committed);
            assertArrayEquals(blanks, committed, rule + " commits every blank once and nothing else");
            assertEquals((blanks.length + k - 1) / k, s.nfe(), rule + ", k=" + k + ": calls per puzzle");
            assertTrue(Arrays.stream(s.tokens()).allMatch(t -> t >= 0 && t < 9), "every cell holds a digit");
          }
        }
      }
    }
  }
}

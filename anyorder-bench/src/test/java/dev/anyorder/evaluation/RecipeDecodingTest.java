package dev.anyorder.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.orders.OrderKind;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.sampling.PositionRule;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import dev.anyorder.tasks.maze.MazeConfig;
import dev.anyorder.tasks.maze.MazeTask;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A recipe's models record the decoding they are made for, and the demo's table opens on it. */
class RecipeDecodingTest {
  @Test
  void everyRecipeRecommendsAdaptiveMarginOnePositionPerCallAtItsTemperature() {
    for (TaskRecipe r : List.of(TaskRecipe.mazeDemo(), TaskRecipe.maze(), TaskRecipe.sudoku(), TaskRecipe.generic())) {
      SamplerConfig d = r.decoding();
      assertEquals(SamplerKind.ADAPTIVE, d.kind());
      assertEquals(PositionRule.MARGIN, d.rule());
      assertEquals(1, d.k());
      assertEquals(r.temperature(), d.temperature());
      assertEquals(SamplerConfig.defaults(SamplerKind.ADAPTIVE).withTemperature(r.temperature()), d, "the rest as the library's");
    }
  }

  @Test
  void theDemosTableStartsWithTheModelsOwnDecodingThenExactSpeculative() {
    TaskRecipe demo = TaskRecipe.mazeDemo();
    List<SamplerVariant> suite = SamplerVariant.demoSuite(demo.temperature(), 9);
    assertEquals(List.of("adaptive/margin", "speculative", "speculative/left-to-right", "sequential", "sequential/left-to-right", "burst"),
        suite.stream().map(SamplerVariant::label).toList());
    assertEquals(demo.decoding().withSeed(9), suite.get(0).config(), "the first row is the decoding the demo's model records");
    SamplerVariant speculative = suite.get(1);
    assertTrue(speculative.exact() && speculative.config().kind() == SamplerKind.SPECULATIVE, speculative.toString());
    assertEquals(OrderKind.LEFT_TO_RIGHT, suite.get(2).config().order().kind());
    assertEquals(Set.of(SamplerKind.values()), Set.copyOf(suite.stream().map(v -> v.config().kind()).toList()));
  }

  @Test
  void aLeftToRightModelRecordsNoDecoding() {
    SamplerConfig decoding = TaskRecipe.maze().decoding();
    PuzzleBenchmark.Plan plan = new PuzzleBenchmark.Plan(new MazeTask(MazeConfig.parse("7x7")), "t", "c", "correct",
        List.of(OrderSchedule.parse("mixture-infill-0.25"), OrderSchedule.parse("left-to-right")),
        SamplerVariant.demoSuite(0.1, 1), Optional.of(decoding));
    assertEquals(Optional.of(decoding), plan.decodingOf(OrderSchedule.parse("mixture-infill-0.25")));
    assertEquals(Optional.of(decoding), plan.decodingOf(OrderSchedule.parse("random")));
    assertEquals(Optional.empty(), plan.decodingOf(OrderSchedule.parse("left-to-right")));
  }
}

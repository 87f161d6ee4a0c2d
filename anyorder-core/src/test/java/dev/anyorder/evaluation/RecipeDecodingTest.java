package dev.anyorder.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.sampling.PositionRule;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import dev.anyorder.tasks.maze.MazeConfig;
import dev.anyorder.tasks.maze.MazeTask;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A recipe's models record the decoding they are made for. */
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

package dev.anyorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.evaluation.BenchOptions;
import dev.anyorder.evaluation.TaskRecipe;
import dev.anyorder.model.PositionEncoding;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Unset training options come from the task's recipe; given ones win; recipes validate themselves. */
class RecipeDefaultsTest {

  private static BenchOptions demo(String... args) {
    DemoCommand command = new DemoCommand();
    new CommandLine(command).parseArgs(args);
    return command.options();
  }

  @Test
  void theDemoTrainsWithItsRecipeUnlessToldOtherwise() {
    TaskRecipe r = TaskRecipe.mazeDemo();
    BenchOptions o = demo();
    assertEquals(List.of(r.steps(), r.layers(), r.heads(), r.dim(), r.batch(), r.trainInstances()),
        List.of(o.steps(), o.layers(), o.heads(), o.dim(), o.batch(), o.trainInstances()));
    assertEquals(r.learningRate(), o.learningRate());
    assertEquals(r.promptFirst(), o.promptFirst());
    assertEquals(r.positions(), o.positions());
    BenchOptions given = demo("--steps", "7", "--lr", "0.01", "--no-prompt-first", "--positions", "sinusoidal");
    assertEquals(7, given.steps());
    assertEquals(0.01, given.learningRate());
    assertFalse(given.promptFirst());
    assertEquals(PositionEncoding.SINUSOIDAL, given.positions());
    DemoCommand parsed = new DemoCommand();
    new CommandLine(parsed).parseArgs();
    assertTrue(parsed.mazeConfig().fixedCellsGiven(), "the demo solves mazes in the lean encoding");
    assertTrue(parsed.mazeConfig().interiorOnly(), "without the border by default");
    assertEquals(r.detourShare(), parsed.mazeConfig().detourShare());
    DemoCommand told = new DemoCommand();
    new CommandLine(told).parseArgs("--border", "--detours", "0.75");
    assertFalse(told.mazeConfig().interiorOnly());
    assertEquals(0.75, told.mazeConfig().detourShare());
    assertTrue(told.mazeConfig().fixedCellsGiven());
  }

  @Test
  void theDemosModelRecordsTheRecipesDecodingAtTheRunsTemperature() {
    TaskRecipe r = TaskRecipe.mazeDemo();
    DemoCommand plain = new DemoCommand();
    new CommandLine(plain).parseArgs();
    assertEquals(r.decoding(), plain.recipe.decoding(r));
    DemoCommand warmer = new DemoCommand();
    new CommandLine(warmer).parseArgs("--temperature", "0.5");
    assertEquals(r.decoding().withTemperature(0.5), warmer.recipe.decoding(r), "the temperature the run evaluates at");
  }

  @Test
  void mazeRecipesTrainPromptFirstAndRecipesAreValidated() {
    assertTrue(TaskRecipe.mazeDemo().promptFirst() && TaskRecipe.maze().promptFirst());
    assertTrue(TaskRecipe.sudoku().promptFirst(), "sudoku trains in the solve-time layout too, each puzzle with its own givens");
    assertThrows(IllegalArgumentException.class, () -> new TaskRecipe(4, 3, 128, 16, 1e-3, 0, List.of("random"),
        PositionEncoding.LEARNED, 10, 0.5, false, false, 0, 0), "dim not divisible by heads");
    assertThrows(IllegalArgumentException.class, () -> new TaskRecipe(4, 4, 128, 16, 1e-3, 0, List.of("sideways"),
        PositionEncoding.LEARNED, 10, 0.5, false, false, 0, 0), "unknown order");
  }
}

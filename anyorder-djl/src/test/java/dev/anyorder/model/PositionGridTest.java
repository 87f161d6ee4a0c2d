package dev.anyorder.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.anyorder.io.ModelConfigJson;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.tasks.sudoku.SudokuConfig;
import dev.anyorder.tasks.sudoku.SudokuTask;
import dev.anyorder.testing.TinyModels;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Grid positions: a position's row of the table is the sum of its coordinates' shared embeddings. */
class PositionGridTest {
  static final PositionGrid SUDOKU = new SudokuTask(SudokuConfig.defaults()).positionGrid().orElseThrow();

  static float[] randomTable(PositionGrid grid, int width, boolean startSlot, long seed) {
    SplittableRandom rng = new SplittableRandom(seed);
    float[] t = new float[grid.tableRows(startSlot) * width];
    for (int i = 0; i < t.length; i++) {
      t[i] = (float) rng.nextGaussian();
    }
    return t;
  }

  @Test
  void sudokuCellsShareTheirRowColumnAndBoxEmbeddings() {
    int width = 4;
    float[] learned = randomTable(SUDOKU, width, true, 1);
    float[] table = SUDOKU.positionTable(learned, width, true);
    assertEquals(82 * width, table.length, "81 cells and the position none");
    // Cell (4, 7) is in row 4, column 7 and box 5: its row is the sum of those three embeddings.
    int cell = 4 * 9 + 7;
    for (int i = 0; i < width; i++) {
      float expected = learned[SUDOKU.row(0, 4) * width + i] + learned[SUDOKU.row(1, 7) * width + i]
          + learned[SUDOKU.row(2, 5) * width + i];
      assertEquals(expected, table[cell * width + i], 1e-6);
    }
    // Changing row 4's embedding moves exactly the nine cells of row 4.
    float[] changed = learned.clone();
    changed[SUDOKU.row(0, 4) * width] += 1f;
    float[] after = SUDOKU.positionTable(changed, width, true);
    for (int p = 0; p < 82; p++) {
      boolean inRow4 = p < 81 && p / 9 == 4;
      assertEquals(inRow4, after[p * width] != table[p * width], "cell " + p);
    }
    assertArrayEquals(java.util.Arrays.copyOfRange(learned, (SUDOKU.tableRows(true) - 1) * width, SUDOKU.tableRows(true) * width),
        java.util.Arrays.copyOfRange(table, 81 * width, 82 * width), "none has its own row");
  }

  @Test
  void incidenceTimesTheLearnedTableIsThePositionTable() {
    int width = 3;
    for (boolean startSlot : new boolean[] {true, false}) {
      float[] learned = randomTable(SUDOKU, width, startSlot, 2);
      float[] m = SUDOKU.incidence(startSlot);
      int rows = 81 + (startSlot ? 1 : 0);
      int cols = SUDOKU.tableRows(startSlot);
      float[] product = new float[rows * width];
      for (int r = 0; r < rows; r++) {
        for (int k = 0; k < cols; k++) {
          for (int i = 0; i < width; i++) {
            product[r * width + i] += m[r * cols + k] * learned[k * width + i];
          }
        }
      }
      float[] table = SUDOKU.positionTable(learned, width, startSlot);
      for (int i = 0; i < table.length; i++) {
        assertEquals(table[i], product[i], 1e-5);
      }
    }
  }

  @Test
  void theDjlModelTrainsTheCoordinatesNotAPerPositionTable() {
    ModelConfig c = new ModelConfig(9, 81, 1, 2, 8, 2, 0.0, PositionEncoding.GRID, false, true, SUDOKU);
    Map<String, long[]> layout = WeightLayout.expected(c);
    assertTrue(layout.containsKey(WeightLayout.WPE_GRID) && !layout.containsKey(WeightLayout.WPE), layout.keySet().toString());
    assertArrayEquals(new long[] {28, 4}, layout.get(WeightLayout.WPE_GRID), "27 coordinate values and none, d/2 wide");
    try (NDManager manager = TinyModels.manager(); SigmaGpt model = TinyModels.random(c, 3, 0.5, manager)) {
      assertEquals(layout.keySet().stream().filter(n -> !n.equals(WeightLayout.LM_HEAD)).toList(),
          List.copyOf(model.parameters().keySet()));
    }
    ModelConfig learned = c.withPositions(PositionEncoding.LEARNED, null);
    assertEquals((82 - 28) * 4, learned.parameterCount() - c.parameterCount(), "28 rows instead of 82");
  }

  @Test
  void configRoundTripsThroughJson() {
    ModelConfig c = new ModelConfig(9, 81, 2, 2, 16, 4, 0.0, PositionEncoding.GRID, false, true, SUDOKU);
    assertEquals(c, ModelConfigJson.fromJson(ModelConfigJson.toJson(c)));
    ModelConfig plain = ModelConfig.of(9, 81, 2, 2, 16);
    assertEquals(plain, ModelConfigJson.fromJson(ModelConfigJson.toJson(plain)));
    assertTrue(!ModelConfigJson.toJson(plain).has("grid"), "no grid field without grid positions");
    assertNotEquals(c, ModelConfigJson.fromJson(ModelConfigJson.toJson(new ModelConfig(9, 81, 2, 2, 16, 4, 0.0,
        PositionEncoding.GRID, false, true, PositionGrid.rowsAndColumns(9, 9)))), "other coordinates, another model");
  }

  @Test
  void badGridsAreRefusedWithTheReason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new ModelConfig(9, 80, 2, 2, 16, 4, 0.0, PositionEncoding.GRID, false, true, SUDOKU));
    assertTrue(e.getMessage().contains("81 positions but maxLength is 80"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> new ModelConfig(9, 81, 2, 2, 16, 4, 0.0, PositionEncoding.GRID, false,
        true, null));
    assertTrue(e.getMessage().contains("coordinates"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> new PositionGrid(List.of("row"), new int[] {2}, new int[][] {{0}, {2}}));
    assertTrue(e.getMessage().contains("position 1 has row 2, outside [0, 2)"), e.getMessage());
  }
}

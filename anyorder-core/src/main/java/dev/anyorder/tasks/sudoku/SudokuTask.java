package dev.anyorder.tasks.sudoku;

import dev.anyorder.model.PositionGrid;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.tasks.PuzzleBoard;
import dev.anyorder.tasks.Split;
import dev.anyorder.tasks.Task;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.tasks.TaskKind;
import dev.anyorder.tasks.TaskScore;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * Sudoku as a sequence task (docs/algorithms.md#sudoku): the sequence is the 81-cell solution row-major with digit
 * {@code d} as token {@code d-1} (vocabulary 9); the known positions are the puzzle's givens.
 *
 * <p>{@link #check} reports {@code solved} (every row, column and box a permutation of 1..9 and the givens
 * kept), {@code givensKept}, and {@code cellAccuracy} (fraction of non-given cells equal to the instance's
 * unique solution).
 *
 * <p>Train/test: the split of an instance is {@link Split#of} its full solution grid, so no solution grid
 * is shared between training and testing.
 */
public final class SudokuTask implements Task {
  private static final Pattern NAME = Pattern.compile("sudoku(?:-(\\d{1,2})(?:to(\\d{1,2}))?)?");

  /** Rebuilds a Sudoku task from its record ({@code sudoku}, {@code sudoku-30}, {@code sudoku-30to45}, or an object). */
  public static final TaskKind KIND = (name, params) -> {
    Matcher m = NAME.matcher(name);
    if (!m.matches()) {
      return Optional.empty();
    }
    SudokuConfig d = SudokuConfig.defaults();
    int givens = m.group(1) != null ? Integer.parseInt(m.group(1)) : TaskKind.intParam(params, "givens", d.givens());
    return Optional.of(new SudokuTask(new SudokuConfig(givens, TaskKind.intParam(params, "maxAttempts", d.maxAttempts()),
        m.group(2) != null ? Integer.parseInt(m.group(2)) : TaskKind.intParam(params, "maxTrainingGivens", givens))));
  };

  /**
   * The page draws the 9 × 9 grid; an answer is solved when {@link #check} says {@code solved}, and the
   * wrong cells of an unsolved one are those unlike the instance's solution (any valid completion equals
   * it, the solution being unique).
   */
  private static final PuzzleBoard BOARD = new PuzzleBoard() {
    @Override
    public String kind() {
      return "sudoku";
    }

    @Override
    public int height() {
      return 9;
    }

    @Override
    public int width() {
      return 9;
    }

    @Override
    public boolean solved(TaskScore score) {
      return score.is("solved");
    }

    @Override
    public int[] wrongPositions(TaskInstance instance, int[] generated) {
      return IntStream.range(0, generated.length).filter(i -> generated[i] != instance.token(i)).toArray();
    }
  };

  private static final int CELL_PIXELS = 21;
  private static final int GLYPH_SCALE = 3;

  private final SudokuGenerator generator;

  public SudokuTask(SudokuConfig config) {
    this.generator = new SudokuGenerator(Objects.requireNonNull(config, "config"));
  }

  public SudokuConfig config() {
    return generator.config();
  }

  @Override
  public ObjectNode record() {
    SudokuConfig c = config();
    return JsonNodeFactory.instance.objectNode().put("kind", "sudoku").put("name", name()).put("givens", c.givens())
        .put("maxAttempts", c.maxAttempts()).put("maxTrainingGivens", c.maxTrainingGivens());
  }

  @Override
  public Optional<PuzzleBoard> board() {
    return Optional.of(BOARD);
  }

  @Override
  public String name() {
    return "sudoku-" + config().givens() + (config().spreadsGivens() ? "to" + config().maxTrainingGivens() : "");
  }

  @Override
  public int vocabSize() {
    return 9;
  }

  @Override
  public int length() {
    return SudokuSolver.CELLS;
  }

  /** Row, column and 3×3 box of each cell: the three groups a digit must not repeat in. */
  @Override
  public java.util.Optional<PositionGrid> positionGrid() {
    int[][] coordinates = new int[SudokuSolver.CELLS][];
    for (int cell = 0; cell < coordinates.length; cell++) {
      int r = cell / 9;
      int c = cell % 9;
      coordinates[cell] = new int[] {r, c, (r / 3) * 3 + c / 3};
    }
    return java.util.Optional.of(new PositionGrid(List.of("row", "column", "box"), new int[] {9, 9, 9}, coordinates));
  }

  @Override
  public List<TaskInstance> generate(Split split, int count, long seed) {
    Objects.requireNonNull(split, "split");
    if (count < 0) {
      throw new IllegalArgumentException("count must not be negative, got " + count);
    }
    List<TaskInstance> out = new ArrayList<>(count);
    for (long k = 0; out.size() < count; k++) {
      Random rng = new Random(Split.mix(seed ^ Split.mix(k + 1)));
      int[] solution = SudokuSolver.randomFullGrid(rng);
      if (Split.of(solution) == split) {
        out.add(instance(generator.carve(solution, rng)));
      }
    }
    return out;
  }

  /**
   * A puzzle equivalent to {@code instance} under a random symmetry ({@link SudokuSymmetry}), with extra
   * cells of its solution revealed so that it shows a number of givens drawn uniformly from {@code
   * givens..maxTrainingGivens} (never fewer than it has). Both keep the solution unique.
   */
  @Override
  public TaskInstance trainingVariant(TaskInstance instance, java.util.random.RandomGenerator rng) {
    SudokuSymmetry symmetry = SudokuSymmetry.draw(rng);
    int[] digits = symmetry.digits(digits(instance.sequence()));
    boolean[] known = symmetry.cells(instance.known());
    int shown = 0;
    for (boolean k : known) {
      shown += k ? 1 : 0;
    }
    int target = config().givens() + rng.nextInt(config().maxTrainingGivens() - config().givens() + 1);
    if (target > shown) {
      int[] blanks = new int[SudokuSolver.CELLS - shown];
      for (int cell = 0, n = 0; cell < known.length; cell++) {
        if (!known[cell]) {
          blanks[n++] = cell;
        }
      }
      // A partial Fisher-Yates shuffle picks target - shown blanks uniformly.
      for (int i = 0; i < target - shown; i++) {
        int j = i + rng.nextInt(blanks.length - i);
        int t = blanks[i];
        blanks[i] = blanks[j];
        blanks[j] = t;
        known[blanks[i]] = true;
      }
    }
    int[] sequence = new int[SudokuSolver.CELLS];
    for (int cell = 0; cell < sequence.length; cell++) {
      sequence[cell] = digits[cell] - 1;
    }
    return new TaskInstance(sequence, known);
  }

  /**
   * {@code instance} with givens removed in a random order drawn from {@code seed} while its solution stays
   * unique, down to {@code givens}; empty when no such puzzle was found within the configured attempts.
   */
  public java.util.Optional<TaskInstance> carvedTo(TaskInstance instance, int givens, long seed) {
    int[] solution = digits(instance.sequence());
    int[] puzzle = new int[SudokuSolver.CELLS];
    for (int cell = 0; cell < puzzle.length; cell++) {
      puzzle[cell] = instance.isKnown(cell) ? solution[cell] : 0;
    }
    Random rng = new Random(Split.mix(seed ^ java.util.Arrays.hashCode(puzzle)));
    SudokuPuzzle carved = new SudokuGenerator(new SudokuConfig(givens, config().maxAttempts())).carve(puzzle, solution, rng);
    return carved.givens() == givens ? java.util.Optional.of(instance(carved)) : java.util.Optional.empty();
  }

  /** The task instance of a puzzle. */
  public static TaskInstance instance(SudokuPuzzle puzzle) {
    int[] solution = puzzle.solution();
    int[] givens = puzzle.puzzle();
    int[] seq = new int[SudokuSolver.CELLS];
    boolean[] known = new boolean[SudokuSolver.CELLS];
    for (int i = 0; i < seq.length; i++) {
      seq[i] = solution[i] - 1;
      known[i] = givens[i] != 0;
    }
    return new TaskInstance(seq, known);
  }

  /** Digits 1..9 of a token sequence, 0 where a token is not a digit token. */
  public static int[] digits(int[] sequence) {
    int[] d = new int[sequence.length];
    for (int i = 0; i < d.length; i++) {
      d[i] = sequence[i] >= 0 && sequence[i] < 9 ? sequence[i] + 1 : 0;
    }
    return d;
  }

  @Override
  public TaskScore check(TaskInstance instance, int[] generated) {
    if (generated.length != length() || instance.length() != length()) {
      throw new IllegalArgumentException("sudoku sequences have 81 tokens, got " + generated.length);
    }
    boolean givensKept = instance.keepsKnown(generated);
    int open = 0;
    int right = 0;
    for (int i = 0; i < generated.length; i++) {
      if (!instance.isKnown(i)) {
        open++;
        right += generated[i] == instance.token(i) ? 1 : 0;
      }
    }
    boolean valid = SudokuSolver.isValidSolution(digits(generated));
    return TaskScore.builder()
        .put("solved", valid && givensKept)
        .put("givensKept", givensKept)
        .put("cellAccuracy", open == 0 ? 1.0 : (double) right / open)
        .build();
  }

  /** A 9×9 grid with box separators; unknown positions are drawn as '.'. */
  @Override
  public String render(int[] sequence) {
    requireLength(sequence);
    StringBuilder sb = new StringBuilder();
    for (int r = 0; r < 9; r++) {
      if (r > 0 && r % 3 == 0) {
        sb.append("------+-------+------\n");
      }
      for (int c = 0; c < 9; c++) {
        if (c > 0) {
          sb.append(c % 3 == 0 ? " | " : " ");
        }
        int t = sequence[r * 9 + c];
        sb.append(t < 0 ? '.' : t < 9 ? (char) ('1' + t) : '?');
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** The grid with pixel-font digits; thick lines between boxes. */
  @Override
  public BufferedImage image(int[] sequence) {
    requireLength(sequence);
    int size = 9 * CELL_PIXELS + 4;
    BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        img.setRGB(x, y, 0xFFFFFF);
      }
    }
    for (int k = 0; k <= 9; k++) {
      int at = k * CELL_PIXELS + (k / 3);
      int rgb = k % 3 == 0 ? 0x000000 : 0xB0B0B0;
      for (int t = 0; t < size; t++) {
        img.setRGB(Math.min(at, size - 1), t, rgb);
        img.setRGB(t, Math.min(at, size - 1), rgb);
      }
    }
    for (int cell = 0; cell < 81; cell++) {
      int t = sequence[cell];
      if (t < 0 || t >= 9) {
        continue;
      }
      int r = cell / 9;
      int c = cell % 9;
      int x0 = c * CELL_PIXELS + c / 3 + (CELL_PIXELS - 3 * GLYPH_SCALE) / 2 + 1;
      int y0 = r * CELL_PIXELS + r / 3 + (CELL_PIXELS - 5 * GLYPH_SCALE) / 2 + 1;
      String[] glyph = GLYPHS[t];
      for (int gy = 0; gy < 5; gy++) {
        for (int gx = 0; gx < 3; gx++) {
          if (glyph[gy].charAt(gx) == '#') {
            for (int dy = 0; dy < GLYPH_SCALE; dy++) {
              for (int dx = 0; dx < GLYPH_SCALE; dx++) {
                img.setRGB(x0 + gx * GLYPH_SCALE + dx, y0 + gy * GLYPH_SCALE + dy, 0x202060);
              }
            }
          }
        }
      }
    }
    return img;
  }

  @Override
  public String tokenName(int id) {
    return id >= 0 && id < 9 ? Integer.toString(id + 1) : id < 0 ? "?" : "invalid(" + id + ")";
  }

  private void requireLength(int[] sequence) {
    if (sequence.length != length()) {
      throw new IllegalArgumentException("sudoku sequences have 81 tokens, got " + sequence.length);
    }
  }

  /** A 3×5 pixel font for the digits 1..9. */
  private static final String[][] GLYPHS = {
    {".#.", "##.", ".#.", ".#.", "###"},
    {"##.", "..#", ".#.", "#..", "###"},
    {"##.", "..#", ".#.", "..#", "##."},
    {"#.#", "#.#", "###", "..#", "..#"},
    {"###", "#..", "##.", "..#", "##."},
    {".##", "#..", "###", "#.#", "###"},
    {"###", "..#", ".#.", ".#.", ".#."},
    {"###", "#.#", "###", "#.#", "###"},
    {"###", "#.#", "###", "..#", "##."},
  };
}

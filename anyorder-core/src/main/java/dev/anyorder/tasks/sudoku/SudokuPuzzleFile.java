package dev.anyorder.tasks.sudoku;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import dev.anyorder.tasks.TaskInstance;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads sudoku puzzles in the layout of the public sudoku data sets: one puzzle a line, the 81 cells of the
 * puzzle row-major ({@code 1}–{@code 9} for a given, {@code 0} or {@code .} for a blank), a space, then
 * the 81 digits of its solution. Blank lines are skipped.
 *
 * <p>Every line is checked: both grids have 81 cells of the allowed characters, the solution is a valid
 * sudoku (every row, column and box holds 1..9 once) and keeps every given. A malformed line is an
 * {@link IllegalArgumentException} naming the file, the line number and the problem; uniqueness of the
 * solution is not checked (the file's solution is the reference the cell accuracy is measured against).
 *
 * <p>An answer ({@link #answerLine}) has the same layout: the puzzle ({@code 0} for a blank), a space, and
 * the 81 digits a model generated in place of the solution, so a checker of the public data sets' files
 * reads it as it reads a puzzle and its solution.
 */
public final class SudokuPuzzleFile {
  private SudokuPuzzleFile() {}

  /** The puzzles of a file, in file order. */
  public static List<SudokuPuzzle> read(Path file) {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(in, file.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the puzzle file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The puzzles of a text, {@code source} naming it in error messages. */
  public static List<SudokuPuzzle> read(Reader text, String source) throws IOException {
    BufferedReader in = text instanceof BufferedReader b ? b : new BufferedReader(text);
    List<SudokuPuzzle> out = new ArrayList<>();
    String line;
    int number = 0;
    while ((line = in.readLine()) != null) {
      number++;
      String trimmed = line.strip();
      if (trimmed.isEmpty()) {
        continue;
      }
      try {
        out.add(parse(trimmed));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + " line " + number + ": " + e.getMessage());
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(source + " holds no puzzle; expected lines of 81 puzzle cells, a space and the"
          + " 81-digit solution");
    }
    return out;
  }

  /** One line: puzzle, whitespace, solution. */
  static SudokuPuzzle parse(String line) {
    String[] fields = line.split("\\s+");
    if (fields.length != 2) {
      throw new IllegalArgumentException("expected the puzzle and its solution separated by a space, found " + fields.length
          + " field(s)");
    }
    int[] puzzle = grid(fields[0], "puzzle", true);
    int[] solution = grid(fields[1], "solution", false);
    for (int i = 0; i < SudokuSolver.CELLS; i++) {
      if (puzzle[i] != 0 && puzzle[i] != solution[i]) {
        throw new IllegalArgumentException("the solution has " + solution[i] + " at row " + (i / 9 + 1) + ", column "
            + (i % 9 + 1) + " where the puzzle gives " + puzzle[i]);
      }
    }
    if (!SudokuSolver.isValidSolution(solution)) {
      throw new IllegalArgumentException("the solution is not a valid sudoku: some row, column or box repeats a digit");
    }
    int givens = 0;
    for (int d : puzzle) {
      givens += d != 0 ? 1 : 0;
    }
    if (givens == SudokuSolver.CELLS) {
      throw new IllegalArgumentException("the puzzle has no blank cell to solve");
    }
    return new SudokuPuzzle(puzzle, solution, givens, true);
  }

  private static int[] grid(String cells, String what, boolean blanksAllowed) {
    if (cells.length() != SudokuSolver.CELLS) {
      throw new IllegalArgumentException("the " + what + " has " + cells.length() + " characters; it needs 81");
    }
    int[] g = new int[SudokuSolver.CELLS];
    for (int i = 0; i < g.length; i++) {
      char ch = cells.charAt(i);
      if (ch >= '1' && ch <= '9') {
        g[i] = ch - '0';
      } else if (blanksAllowed && (ch == '0' || ch == '.')) {
        g[i] = 0;
      } else {
        throw new IllegalArgumentException("character " + (i + 1) + " of the " + what + " is '" + ch + "'; expected "
            + (blanksAllowed ? "1-9, or 0 or . for a blank" : "a digit 1-9"));
      }
    }
    return g;
  }

  /**
   * The answer line of a sequence generated for {@code puzzle}: the puzzle's givens ({@code 0} for a blank),
   * a space, and the generated grid's 81 digits ({@code 0} for a token that is no digit).
   */
  public static String answerLine(TaskInstance puzzle, int[] generated) {
    if (puzzle.length() != SudokuSolver.CELLS || generated.length != SudokuSolver.CELLS) {
      throw new IllegalArgumentException("sudoku sequences have 81 tokens, got " + puzzle.length() + " and "
          + generated.length);
    }
    int[] givens = SudokuTask.digits(puzzle.sequence());
    int[] digits = SudokuTask.digits(generated);
    StringBuilder s = new StringBuilder(2 * SudokuSolver.CELLS + 1);
    for (int i = 0; i < SudokuSolver.CELLS; i++) {
      s.append(puzzle.isKnown(i) ? givens[i] : 0);
    }
    s.append(' ');
    for (int d : digits) {
      s.append(d);
    }
    return s.toString();
  }
}

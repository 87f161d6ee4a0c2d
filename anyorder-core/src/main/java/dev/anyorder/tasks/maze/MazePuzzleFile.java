package dev.anyorder.tasks.maze;

import dev.anyorder.io.AtomicFiles;
import dev.anyorder.tasks.TaskInstance;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Mazes in a text file, one a line: the height {@code H} and width {@code W}, then the {@code H·W} cells
 * row-major, separated by whitespace: {@code #} wall, {@code .} open, {@code S} start, {@code G} goal.
 * Whitespace between cells is ignored, so the cells may be one run of {@code H·W} characters (what
 * {@link #line} writes), one field per row, or one per cell: {@code 5 5 ##### #S..# ###.# #G..# #####}.
 * Blank lines are skipped. There are no comment lines, since {@code #} is a wall.
 *
 * <p>A file is read for the task of the model that solves it ({@link #read(Path, MazeTask)}): every maze
 * must have that task's size, and, when its encoding leaves out the border ({@link
 * MazeConfig#interiorOnly()}), walls all round. The mazes may come from another generator, with other wall
 * structures and several shortest paths: each becomes the task's instance with the canonical shortest path
 * ({@link MazeGenerator#shortestPath}, found by breadth-first search) as the reference, so {@link
 * MazeTask#check} judges any valid path as {@code correct} and a shortest one as {@code optimal}. A
 * malformed line is an {@link IllegalArgumentException} naming the file, the line number and the problem.
 *
 * <p>An answer ({@link #answerLine}) has the same layout, the solution grid a model generated: {@code *} on
 * the path cells, {@code .} on the cells left open, and every other cell as generated (the lean encoding
 * gives the maze's walls, start and goal, but a model may still put any token on an open cell; one that
 * generates the whole solution grid may change any cell), {@code ?} for a token that is no cell. {@link
 * #answer} reads such a line back into the generated sequence.
 */
public final class MazePuzzleFile {
  /** The character of each token, indexed by token id ({@link Maze#EMPTY} … {@link Maze#PATH}). */
  private static final String SYMBOLS = ".#SG*";
  private static final String PUZZLE_CELLS = "# (wall), . (open), S (start) or G (goal)";
  private static final String ANSWER_CELLS = "# (wall), . (open), S (start), G (goal) or * (path)";

  private MazePuzzleFile() {}

  /** The mazes of a file as {@code task}'s instances, in file order. */
  public static List<TaskInstance> read(Path file, MazeTask task) {
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return read(in, file.toString(), task);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the maze file " + file + ": " + e.getMessage(), e);
    }
  }

  /** The mazes of a text as {@code task}'s instances, {@code source} naming it in error messages. */
  public static List<TaskInstance> read(Reader text, String source, MazeTask task) throws IOException {
    Objects.requireNonNull(task, "task");
    BufferedReader in = text instanceof BufferedReader b ? b : new BufferedReader(text);
    List<TaskInstance> out = new ArrayList<>();
    String line;
    int number = 0;
    while ((line = in.readLine()) != null) {
      number++;
      if (line.isBlank()) {
        continue;
      }
      try {
        Maze maze = maze(line, task);
        out.add(task.instance(maze, MazeGenerator.shortestPath(maze)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(source + " line " + number + ": " + e.getMessage());
      }
    }
    if (out.isEmpty()) {
      throw new IllegalArgumentException(source + " holds no maze; expected lines of the height, the width and the cells"
          + " row-major (" + PUZZLE_CELLS + ")");
    }
    return out;
  }

  /** One line as a maze of {@code task}'s size that {@code task}'s encoding can hold and whose goal can be reached. */
  static Maze maze(String line, MazeTask task) {
    char[] cells = cells(line, task.config(), false);
    MazeConfig c = task.config();
    int[] tokens = new int[cells.length];
    int start = -1;
    int goal = -1;
    for (int cell = 0; cell < cells.length; cell++) {
      tokens[cell] = SYMBOLS.indexOf(cells[cell]);
      if (tokens[cell] == Maze.START) {
        if (start >= 0) {
          throw new IllegalArgumentException("two start cells S, at " + where(start, c) + " and " + where(cell, c));
        }
        start = cell;
      } else if (tokens[cell] == Maze.GOAL) {
        if (goal >= 0) {
          throw new IllegalArgumentException("two goal cells G, at " + where(goal, c) + " and " + where(cell, c));
        }
        goal = cell;
      }
    }
    if (start < 0 || goal < 0) {
      throw new IllegalArgumentException("no " + (start < 0 ? "start cell S" : "goal cell G") + "; a maze has one of each");
    }
    if (c.interiorOnly()) {
      for (int cell = 0; cell < cells.length; cell++) {
        int r = cell / c.width();
        int col = cell % c.width();
        boolean border = r == 0 || col == 0 || r == c.height() - 1 || col == c.width() - 1;
        if (border && tokens[cell] != Maze.WALL) {
          throw new IllegalArgumentException("border cell at " + where(cell, c) + " is '" + cells[cell] + "'; the model's"
              + " encoding leaves out the border, so every border cell must be a wall #");
        }
      }
    }
    Maze maze = new Maze(c.height(), c.width(), tokens);
    if (maze.shortestDistance() < 0) {
      throw new IllegalArgumentException("no path: the goal G at " + where(goal, c) + " cannot be reached from the start S at "
          + where(start, c) + " through open cells");
    }
    return maze;
  }

  /**
   * The cells of one line, checked to be {@code config}'s size and of the puzzle characters (and {@code *}
   * when {@code pathAllowed}).
   */
  private static char[] cells(String line, MazeConfig config, boolean pathAllowed) {
    String[] fields = line.strip().split("\\s+");
    if (fields.length < 3) {
      throw new IllegalArgumentException("expected the height, the width and then the cells, found " + fields.length
          + " field(s)");
    }
    int height = dimension(fields[0], "height");
    int width = dimension(fields[1], "width");
    if (height != config.height() || width != config.width()) {
      throw new IllegalArgumentException("the maze is " + height + "x" + width + " but the model solves " + config.height()
          + "x" + config.width() + " mazes");
    }
    StringBuilder joined = new StringBuilder(height * width);
    for (int i = 2; i < fields.length; i++) {
      joined.append(fields[i]);
    }
    if (joined.length() != height * width) {
      throw new IllegalArgumentException("the maze has " + joined.length() + " cells; a " + height + "x" + width
          + " maze needs " + height * width);
    }
    char[] cells = joined.toString().toCharArray();
    int allowed = pathAllowed ? SYMBOLS.length() : Maze.PATH;
    for (int cell = 0; cell < cells.length; cell++) {
      int token = SYMBOLS.indexOf(cells[cell]);
      if (token < 0 || token >= allowed) {
        throw new IllegalArgumentException("the cell at " + where(cell, config) + " is '" + cells[cell] + "'; expected "
            + (pathAllowed ? ANSWER_CELLS : PUZZLE_CELLS));
      }
    }
    return cells;
  }

  private static int dimension(String field, String what) {
    try {
      int value = Integer.parseInt(field);
      if (value > 0) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below, as for a value that is not positive
    }
    throw new IllegalArgumentException("the " + what + " '" + field + "' is not a positive whole number; a line starts"
        + " with the height and the width");
  }

  /** A cell's 1-based row and column, as people count them in a file. */
  private static String where(int cell, MazeConfig config) {
    return "row " + (cell / config.width() + 1) + ", column " + (cell % config.width() + 1);
  }

  /** The line of a maze: height, width and the cells as one run. */
  public static String line(Maze maze) {
    return line(maze.height(), maze.width(), maze.tokens());
  }

  private static String line(int height, int width, int[] grid) {
    StringBuilder s = new StringBuilder(grid.length + 8).append(height).append(' ').append(width).append(' ');
    for (int token : grid) {
      s.append(token >= 0 && token < SYMBOLS.length() ? SYMBOLS.charAt(token) : '?');
    }
    return s.toString();
  }

  /** Writes {@code mazes}, one line each, to {@code file} atomically. */
  public static void write(Path file, List<Maze> mazes) {
    StringBuilder text = new StringBuilder();
    for (Maze maze : mazes) {
      text.append(line(maze)).append('\n');
    }
    try {
      AtomicFiles.writeString(file, text.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("could not write the maze file " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The answer line of a sequence {@code task} generated: the solution grid in a puzzle line's layout,
   * {@code *} on the path cells (a border the encoding leaves out is walls).
   */
  public static String answerLine(MazeTask task, int[] generated) {
    if (generated.length != task.length()) {
      throw new IllegalArgumentException("a " + task.name() + " sequence has " + task.length() + " tokens, got "
          + generated.length);
    }
    return line(task.config().height(), task.config().width(), task.grid(generated, 1));
  }

  /**
   * The sequence an {@link #answerLine} of {@code puzzle} was written from: the puzzle's maze, then the
   * line's solution grid, so {@code task.check(puzzle, answer(...))} judges the answer.
   *
   * @throws IllegalArgumentException when the line does not have the task's size or holds other characters
   *     than those of a puzzle and {@code *}
   */
  public static int[] answer(MazeTask task, TaskInstance puzzle, String line) {
    if (puzzle.length() != task.length()) {
      throw new IllegalArgumentException("the puzzle has " + puzzle.length() + " tokens; " + task.name() + " sequences have "
          + task.length());
    }
    char[] cells = cells(line, task.config(), true);
    int[] sequence = puzzle.sequence();
    for (int cell = 0; cell < cells.length; cell++) {
      int index = task.sequenceIndex(1, cell);
      if (index >= 0) {
        sequence[index] = SYMBOLS.indexOf(cells[cell]);
      }
    }
    return sequence;
  }
}

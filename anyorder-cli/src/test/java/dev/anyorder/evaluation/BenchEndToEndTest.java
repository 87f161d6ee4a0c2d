package dev.anyorder.evaluation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anyorder.cli.AnyOrderCli;
import dev.anyorder.tasks.Split;
import dev.anyorder.tasks.TaskFactory;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.tasks.TaskScore;
import dev.anyorder.tasks.images.IdxReader;
import dev.anyorder.tasks.maze.MazeConfig;
import dev.anyorder.tasks.maze.MazePuzzleFile;
import dev.anyorder.tasks.maze.MazeTask;
import dev.anyorder.tasks.sudoku.SudokuConfig;
import dev.anyorder.tasks.sudoku.SudokuPuzzle;
import dev.anyorder.tasks.sudoku.SudokuPuzzleFile;
import dev.anyorder.tasks.sudoku.SudokuTask;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs each benchmark command end to end on a tiny model, a few steps and a few held-out instances (seconds). */
class BenchEndToEndTest {
  @TempDir Path dir;

  private static final String[] TINY = {"--steps", "3", "--layers", "1", "--heads", "2", "--dim", "16", "--batch", "4",
      "--eval-instances", "4", "--eval-batch", "4", "--minutes", "1", "--no-progress"};

  private static String run(String... args) {
    return runExpecting(0, args);
  }

  private static String runExpecting(int expectedCode, String... args) {
    PrintStream original = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = AnyOrderCli.commandLine().execute(args);
    } finally {
      System.setOut(original);
    }
    String out = captured.toString(StandardCharsets.UTF_8);
    assertEquals(expectedCode, code, "unexpected exit code: " + String.join(" ", args) + "\n" + out);
    return out;
  }

  /** Runs a command that must fail with exit code 1 and returns what it printed on standard error. */
  private static String failure(String... args) {
    PrintStream original = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int code;
    try {
      System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
      code = AnyOrderCli.commandLine().execute(args);
    } finally {
      System.setErr(original);
    }
    String err = captured.toString(StandardCharsets.UTF_8);
    assertEquals(1, code, "expected a failure: " + String.join(" ", args) + "\n" + err);
    return err;
  }

  /** The one measurement of {@code section} named {@code name}. */
  private static double measurement(JsonNode report, String section, String name) {
    for (JsonNode m : report.get("measurements")) {
      if (m.get("section").asText().equals(section) && m.get("name").asText().equals(name)) {
        return m.get("value").asDouble();
      }
    }
    throw new AssertionError("no measurement '" + name + "' in section '" + section + "': " + report.get("measurements"));
  }

  private static String[] args(String[] head, String... tail) {
    List<String> all = new ArrayList<>(List.of(head));
    all.addAll(List.of(TINY));
    all.addAll(List.of(tail));
    return all.toArray(String[]::new);
  }

  private static void assertConsistentReport(Path out) throws Exception {
    JsonNode json = BenchReport.read(out.resolve(BenchReport.JSON_FILE));
    assertEquals(ReportMarkdown.render(json), Files.readString(out.resolve(BenchReport.MARKDOWN_FILE)),
        "report.md must be regenerated from report.json");
    for (JsonNode f : json.get("figures")) {
      Path png = out.resolve(f.get("file").asText());
      assertTrue(Files.size(png) > 100, "missing figure " + png);
    }
  }

  @Test
  void mazeBenchTrainsTwoModelsEvaluatesEverySamplerAndReusesModels() throws Exception {
    Path out = dir.resolve("maze");
    String[] cmd = args(new String[] {"bench", "maze", "--size", "7x7", "--out", out.toString(), "--train-instances", "30"});
    run(cmd);
    JsonNode json = BenchReport.read(out.resolve(BenchReport.JSON_FILE));
    assertEquals(2, json.get("models").size());
    int variants = SamplerVariant.standardSuite(1, 1).size();
    int waypointRows = 0;
    for (JsonNode r : json.get("results")) {
      double nfe = r.get("nfePerInstance").asDouble();
      double generated = r.get("tokensPerInstance").asDouble();
      assertTrue(nfe >= 1 && generated < 49, "lean encoding: only the open cells of a 7x7 maze are generated " + r);
      if (r.get("sampler").asText().startsWith("waypoint/")) {
        waypointRows++;
        assertTrue(r.get("metrics").has("throughWaypoints"), r.toString());
        continue;
      }
      assertEquals(4, r.get("instances").asInt());
      if (r.get("sampler").asText().startsWith("sequential")) {
        assertEquals(generated, nfe, 1e-9, "sequential decoding spends one NFE per generated cell");
      }
      assertTrue(r.get("metrics").has("correct") && r.get("metrics").has("optimal"));
      assertTrue(!r.get("metrics").has("throughWaypoints"));
    }
    assertEquals(2 * 3, waypointRows, "three waypoint samplers per model");
    assertEquals(2 * variants + waypointRows, json.get("results").size());
    int baselines = 0;
    for (JsonNode m : json.get("measurements")) {
      if (m.get("section").asText().equals(PuzzleBenchmark.SCENARIO_BASELINE)) {
        baselines++;
        assertTrue(m.get("value").asDouble() >= 0 && m.get("value").asDouble() <= 1, m.toString());
      }
    }
    assertEquals(2 * variants, baselines, "how often each model and sampler passes the waypoints without being given them");
    for (JsonNode m : json.get("models")) {
      assertEquals("prompt first", m.get("layout").asText(), "the maze recipe trains in the solve-time layout");
      assertEquals("targets", m.get("loss over").asText());
      assertTrue(m.get("name").asText().endsWith("+prompt-first"), m.toString());
    }
    assertTrue(json.get("notes").toString().contains("Row 'speculative/random': exact speculative decoding"), "rows explained");
    assertTrue(json.get("models").get(0).get("steps").asInt() == 3);
    assertConsistentReport(out);
    assertTrue(Files.exists(out.resolve("training-curves.png")) && Files.exists(out.resolve("quality-vs-nfe.png")));

    List<String> rerun = new ArrayList<>(List.of(cmd));
    rerun.addAll(List.of("--samplers", "sequential/random"));
    run(rerun.toArray(String[]::new));
    JsonNode again = BenchReport.read(out.resolve(BenchReport.JSON_FILE));
    for (JsonNode m : again.get("models")) {
      assertTrue(m.get("reused").asBoolean(), "a complete model must be reused: " + m);
    }
  }

  @Test
  void sudokuBenchRunsTheSelectedSamplers() throws Exception {
    Path out = dir.resolve("sudoku");
    run(args(new String[] {"bench", "sudoku", "--out", out.toString(), "--train-instances", "8", "--orders", "random",
        "--samplers", "sequential/random,adaptive/margin"}));
    JsonNode json = BenchReport.read(out.resolve(BenchReport.JSON_FILE));
    assertEquals(List.of("sequential/random", "adaptive/margin"),
        List.of(json.at("/results/0/sampler").asText(), json.at("/results/1/sampler").asText()));
    assertTrue(json.at("/results/1/metrics").has("solved"));
    assertConsistentReport(out);

    // The puzzle file is a fixture of the core module, read from its test jar, so the command gets a copy on disk.
    Path puzzles = dir.resolve("sample-puzzles.txt");
    try (var in = BenchEndToEndTest.class.getResourceAsStream("/sudoku/sample-puzzles.txt")) {
      Files.copy(in, puzzles);
    }
    Path model = out.resolve("models").resolve("sudoku-32-random+prompt-first");
    Path fileOut = dir.resolve("sudoku-file");
    String printed = run("bench", "sudoku", "--model", model.toString(), "--puzzles", puzzles.toString(), "--out",
        fileOut.toString(), "--no-progress");
    assertTrue(printed.contains("cell accuracy") && printed.contains("NFE/puzzle"), printed);
    JsonNode file = BenchReport.read(fileOut.resolve(BenchReport.JSON_FILE));
    List<String> samplers = new ArrayList<>();
    for (JsonNode r : file.get("results")) {
      samplers.add(r.get("sampler").asText());
      assertEquals(6, r.get("instances").asInt(), "every puzzle of the file");
      assertTrue(r.get("metrics").has("solved") && r.get("metrics").has("cellAccuracy"), r.toString());
      assertEquals(1.0, r.at("/metrics/givensKept").asDouble(), "givens are the known set of every sampler");
      assertEquals(81 - 32, r.get("tokensPerInstance").asDouble(), 1e-9, "only the blanks are generated");
      if (r.get("sampler").asText().contains("beam")) {
        double nfe = r.get("nfePerInstance").asDouble();
        assertTrue(nfe >= 81 - 32 + 2 && nfe <= 81 - 32 + 8, "one NFE per blank and one per reranked hypothesis: " + r);
      } else if (!r.get("sampler").asText().startsWith("speculative")) {
        assertEquals(81 - 32, r.get("nfePerInstance").asDouble(), 1e-9, "one NFE per blank: " + r);
      }
    }
    assertEquals(List.of("sequential/random", "sequential/left-to-right", "adaptive/margin", "speculative/random",
        "adaptive/margin/beam8"), samplers);
    assertConsistentReport(fileOut);
    List<SudokuPuzzle> read = SudokuPuzzleFile.read(puzzles);
    SudokuTask sudoku = new SudokuTask(SudokuConfig.defaults());
    String md = Files.readString(fileOut.resolve(BenchReport.MARKDOWN_FILE));
    for (String sampler : samplers) {
      String name = PuzzleBenchmark.AnswerFiles.fileName(sampler);
      assertTrue(md.contains(name), "the report names " + name);
      List<String> lines = Files.readAllLines(fileOut.resolve(name));
      assertEquals(read.size(), lines.size(), "one answer per puzzle of the file: " + lines);
      int solved = 0;
      for (int i = 0; i < lines.size(); i++) {
        String[] fields = lines.get(i).split(" ");
        assertEquals(2, fields.length, lines.get(i));
        TaskInstance puzzle = SudokuTask.instance(read.get(i));
        assertEquals(SudokuPuzzleFile.answerLine(puzzle, puzzle.sequence()).split(" ")[0], fields[0], "the puzzle as given");
        assertTrue(fields[1].matches("[1-9]{81}"), "81 generated digits where the solution was: " + fields[1]);
        int[] generated = fields[1].chars().map(d -> d - '1').toArray();
        solved += sudoku.check(puzzle, generated).is("solved") ? 1 : 0;
      }
      assertEquals(solved, measurement(file, PuzzleBenchmark.AnswerFiles.SECTION, sampler), "the report counts the file's answers");
    }

    Path broken = dir.resolve("broken.txt");
    Files.writeString(broken, Files.readString(puzzles) + "12345 678\n");
    runExpecting(1, "bench", "sudoku", "--model", model.toString(), "--puzzles", broken.toString(), "--out",
        dir.resolve("broken").toString(), "--no-progress");
    runExpecting(2, "bench", "sudoku", "--model", model.toString(), "--no-progress");

    // a sudoku model solves no maze: bench maze reads the task the model records
    Path mazes = dir.resolve("mazes.txt");
    MazeTask maze = new MazeTask(MazeConfig.parse("7x7"));
    MazePuzzleFile.write(mazes, List.of(maze.maze(maze.generate(Split.TEST, 1, 1).get(0))));
    String err = failure("bench", "maze", "--model", model.toString(), "--puzzles", mazes.toString(), "--out",
        dir.resolve("not-a-maze-model").toString(), "--no-progress");
    assertTrue(err.contains("was trained on sudoku") && err.contains(", not on mazes"), err);
  }

  @Test
  void mazeFileIsSolvedByATrainedModelAndAnsweredInTheFilesLayout() throws Exception {
    Path trained = dir.resolve("maze");
    run(args(new String[] {"bench", "maze", "--size", "7x7", "--out", trained.toString(), "--train-instances", "20",
        "--orders", "random", "--waypoints", "0", "--samplers", "sequential/random"}));
    Path model = dev.anyorder.io.ModelDirectory.locate(trained.resolve("models"));
    MazeTask task = (MazeTask) TaskFactory.rebuild(
        TaskFactory.recorded(dev.anyorder.io.ModelDirectory.load(model).data(), null).orElseThrow());
    assertTrue(task.config().fixedCellsGiven() && task.config().interiorOnly(), "the recipe's lean encoding: " + task.config());

    // five mazes, the second with its cells split by row, a blank line between; only the first four are attempted
    List<TaskInstance> mazes = task.generate(Split.TEST, 5, 77);
    List<String> lines = new ArrayList<>();
    for (TaskInstance m : mazes) {
      lines.add(MazePuzzleFile.line(task.maze(m)));
    }
    lines.set(1, "7 7 " + String.join(" ", lines.get(1).substring(4).split("(?<=\\G.{7})")));
    lines.add(2, "");
    Path puzzles = dir.resolve("mazes.txt");
    Files.write(puzzles, lines);
    Path out = dir.resolve("maze-file");
    List<String> samplers = List.of("sequential/random", "adaptive/margin");
    String printed = run("bench", "maze", "--model", model.toString(), "--puzzles", puzzles.toString(), "--out", out.toString(),
        "--samplers", String.join(",", samplers), "--eval-instances", "4", "--eval-batch", "2", "--no-progress");
    assertTrue(printed.contains("correct") && printed.contains("optimal") && printed.contains("NFE/maze"), printed);
    assertTrue(printed.contains("solutions-SAMPLER.txt"), printed);
    JsonNode json = BenchReport.read(out.resolve(BenchReport.JSON_FILE));
    assertConsistentReport(out);
    String md = Files.readString(out.resolve(BenchReport.MARKDOWN_FILE));
    for (JsonNode r : json.get("results")) {
      assertEquals(4, r.get("instances").asInt(), "--eval-instances of the file's mazes");
      assertTrue(r.get("metrics").has("correct") && r.get("metrics").has("optimal"), r.toString());
    }
    for (String sampler : samplers) {
      String name = PuzzleBenchmark.AnswerFiles.fileName(sampler);
      assertTrue(md.contains(name) && md.contains("of the file's 5 puzzles correct, 4 attempted"), md);
      List<String> answers = Files.readAllLines(out.resolve(name));
      assertEquals(5, answers.size(), "one line per maze of the file, blank lines not counted: " + answers);
      assertEquals("", answers.get(4), "a maze not attempted has an empty line");
      int correct = 0;
      for (int i = 0; i < 4; i++) {
        String answer = answers.get(i);
        String puzzle = MazePuzzleFile.line(task.maze(mazes.get(i)));
        assertEquals(puzzle.length(), answer.length(), answer);
        for (int k = 0; k < answer.length(); k++) {
          // the lean encoding gives walls, start and goal; an open cell holds whatever token was generated there
          assertTrue(answer.charAt(k) == puzzle.charAt(k) || (puzzle.charAt(k) == '.' && ".#SG*".indexOf(answer.charAt(k)) >= 0),
              "the maze as given, generated cells only where it is open: " + answer);
        }
        TaskScore score = task.check(mazes.get(i), MazePuzzleFile.answer(task, mazes.get(i), answer));
        if (score.is("correct")) {
          correct++;
          assertTrue(answer.indexOf('*') > 0 || score.get("shortestLength") == 0, "a correct answer draws its path: " + answer);
        }
      }
      assertEquals(correct, measurement(json, PuzzleBenchmark.AnswerFiles.SECTION, sampler), "the report counts the file's answers");
    }

    Path other = dir.resolve("other-size.txt");
    MazeTask larger = new MazeTask(MazeConfig.defaults());
    MazePuzzleFile.write(other, List.of(larger.maze(larger.generate(Split.TEST, 1, 1).get(0))));
    String err = failure("bench", "maze", "--model", model.toString(), "--puzzles", other.toString(), "--out",
        dir.resolve("other-out").toString(), "--no-progress");
    assertTrue(err.contains("other-size.txt line 1: the maze is 9x11 but the model solves 7x7 mazes"), err);
  }

  @Test
  void textBenchReportsLossUnderEachOrderAndInfilling() throws Exception {
    Path text = dir.resolve("tiny.txt");
    Files.writeString(text, "In the beginning God created the heaven and the earth. ".repeat(40));
    Path out = dir.resolve("text");
    run(args(new String[] {"bench", "text", "--data", text.toString(), "--out", out.toString(), "--block", "16", "--span", "4",
        "--samplers", "sequential/left-to-right,adaptive/margin"}));
    JsonNode json = BenchReport.read(out.resolve(BenchReport.JSON_FILE));
    assertEquals(2, json.get("models").size());
    long losses = 0;
    for (JsonNode m : json.get("measurements")) {
      if (m.get("section").asText().equals("validation loss")) {
        losses++;
        assertTrue(m.get("value").asDouble() > 0);
      }
    }
    assertEquals(4, losses, "two models under two orders");
    assertEquals(4, json.get("results").size());
    assertTrue(json.at("/results/0/metrics").has("charAccuracy"));
    assertConsistentReport(out);
  }

  @Test
  void imageBenchWritesInpaintingAndOutpaintingGrids() throws Exception {
    Path data = dir.resolve("fashion");
    Files.createDirectories(data);
    Files.write(data.resolve("train-images-idx3-ubyte"), images(12));
    Files.write(data.resolve("train-labels-idx1-ubyte"), labels(12));
    Files.write(data.resolve("t10k-images-idx3-ubyte"), images(6));
    Files.write(data.resolve("t10k-labels-idx1-ubyte"), labels(6));
    Path out = dir.resolve("images");
    run(args(new String[] {"bench", "images", "--data", data.toString(), "--out", out.toString(), "--downsample", "1",
        "--samplers", "sequential/random"}));
    assertTrue(Files.size(out.resolve("inpainting.png")) > 100);
    assertTrue(Files.size(out.resolve("outpainting.png")) > 100);
    JsonNode json = BenchReport.read(out.resolve(BenchReport.JSON_FILE));
    assertEquals(4, json.get("measurements").size(), "NLL of held-out pixels, two masks, two orders");
    assertConsistentReport(out);
  }

  @Test
  void demoPrintsTheTableAndAMaze() throws Exception {
    Path out = dir.resolve("demo");
    String printed = run("demo", "--out", out.toString(), "--steps", "2", "--layers", "1", "--heads", "2", "--dim", "16",
        "--batch", "4", "--mazes", "12", "--train-instances", "20", "--eval-minutes", "0.2", "--no-progress"); // 12 mazes: a few have the several shortest paths the waypoint rows need
    for (String sampler : List.of("sequential", "speculative", "burst", "adaptive")) {
      assertTrue(printed.contains(sampler), printed);
    }
    assertTrue(printed.contains("correct") && printed.contains("NFE/maze") && printed.contains("S"), printed);
    assertTrue(printed.contains("waypoint/sequential") && printed.contains("through"), printed);
    assertTrue(printed.contains("waypoint maze (waypoint/"), "a waypoint maze is drawn: " + printed);
    assertTrue(printed.contains("without the waypoint given, random+prompt-first ") // the recipe's order
        && printed.contains("paths pass through it in"), printed);
    assertConsistentReport(out);
    String md = Files.readString(out.resolve(BenchReport.MARKDOWN_FILE));
    assertTrue(md.contains("Row 'burst': σ-GPT burst sampling") && md.contains("Rows 'waypoint/…'"), md);
    assertTrue(md.contains("Produced by `anyorder demo --out "), "the command as typed: " + md);
    runExpecting(1, "demo", "--serve", "--out", dir.resolve("no-demo-here").toString()); // refuses: nothing trained there
  }

  static byte[] images(int count) {
    ByteBuffer b = ByteBuffer.allocate(16 + count * 16).putInt(IdxReader.IMAGES_MAGIC).putInt(count).putInt(4).putInt(4);
    for (int k = 0; k < count; k++) {
      for (int i = 0; i < 16; i++) {
        b.put((byte) ((i < 8 ? 200 : 30) + k));
      }
    }
    return b.array();
  }

  static byte[] labels(int count) {
    ByteBuffer b = ByteBuffer.allocate(8 + count).putInt(IdxReader.LABELS_MAGIC).putInt(count);
    for (int k = 0; k < count; k++) {
      b.put((byte) (k % 10));
    }
    return b.array();
  }
}

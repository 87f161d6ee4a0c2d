package dev.anyorder.cli;

import dev.anyorder.evaluation.BenchOptions;
import dev.anyorder.evaluation.BenchReport;
import dev.anyorder.evaluation.PuzzleBenchmark;
import dev.anyorder.evaluation.SamplerVariant;
import dev.anyorder.evaluation.TaskRecipe;
import dev.anyorder.options.CommandRoot;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.tasks.maze.MazeConfig;
import dev.anyorder.tasks.maze.MazeTask;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code anyorder demo}, the README's main job: trains a σ-GPT (Pannatier, Courdier, Fleuret 2024) maze
 * solver on the CPU in a few minutes (or reuses the one already in {@code --out}) with the demo's recipe
 * ({@link TaskRecipe#mazeDemo()}), solves held-out mazes in the lean encoding (walls, start and goal of
 * the solution are given; only open cells are generated) with the adaptive (margin; Kim et al. 2025),
 * speculative, sequential and burst samplers and in the waypoint scenario, prints a table and a solved
 * maze with a long path, and writes the Markdown report with its pictures. The model records the
 * recipe's decoding ({@link TaskRecipe#decoding()}, the table's first row), which {@code --serve} opens on.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Train a maze solver in a few minutes, solve held-out mazes with every sampler, write a report. Unset"
        + " training options come from the demo's recipe (TaskRecipe.mazeDemo).")
final class DemoCommand implements Callable<Integer> {
  private static final TaskRecipe RECIPE = TaskRecipe.mazeDemo();

  @Option(names = "--out", defaultValue = "runs/demo", description = "Report and model directory (default: ${DEFAULT-VALUE}).") Path out;
  @Option(names = "--train-minutes", defaultValue = "3", description = "Training budget when --steps is 0 (default: ${DEFAULT-VALUE}).")
  double trainMinutes;
  @Option(names = "--eval-minutes", defaultValue = "1.5", description = "Evaluation budget (default: ${DEFAULT-VALUE}).") double evalMinutes;
  @Option(names = "--order", description = "Training order schedule (default: the recipe's, random).") String order;
  @Mixin RecipeOptions recipe = new RecipeOptions();
  @Option(names = "--mazes", defaultValue = "400", description = "Held-out mazes per sampler, at most (default: ${DEFAULT-VALUE}).") int mazes;
  @Option(names = "--waypoints", description = "Path cells given in the waypoint scenario, 0 for none (recipe: 1).") Integer waypoints;
  @Option(names = "--maze", defaultValue = "7x7", description = "Maze size HEIGHTxWIDTH, odd numbers (default: ${DEFAULT-VALUE}).")
  String maze;
  @Option(names = "--serve", description = "Open the trained demo model in the HTTP server (anyorder serve) instead of running the demo.") boolean serve;
  @Mixin MazeTaskOptions mazeTask = new MazeTaskOptions();
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    if (serve) {
      return serve();
    }
    MazeTask task = new MazeTask(mazeConfig());
    BenchOptions options = options();
    double temp = options.temperature();
    String command = CommandRoot.typed(spec);
    List<SamplerVariant> suite = SamplerVariant.demoSuite(temp, options.seed());
    int waypointCells = waypoints != null ? waypoints : RECIPE.waypoints();
    Optional<PuzzleBenchmark.Scenario> scenario = waypointCells == 0 ? Optional.empty()
        : Optional.of(PuzzleBenchmark.waypoints(task, waypointCells, SamplerVariant.select(suite,
            List.of("adaptive/margin", "speculative/left-to-right", "sequential/left-to-right", "sequential"))));
    PuzzleBenchmark.Plan plan = new PuzzleBenchmark.Plan(task, "AnyOrder demo: solving " + task.name() + " mazes", command,
        "correct", List.of(schedule()), suite, scenario, Optional.of("shortestLength"), Optional.of(recipe.decoding(RECIPE)));
    PuzzleBenchmark.Outcome outcome = PuzzleBenchmark.run(plan, options);
    System.out.println();
    System.out.println(PuzzleTables.maze(outcome.results()));
    System.out.println("adaptive/margin, the surest open cell first, is the decoding the model records as its own:"
        + " 'demo --serve' opens on it.");
    for (com.fasterxml.jackson.databind.JsonNode m : outcome.report().json().get("measurements")) {
      if (m.path("section").asText().equals(PuzzleBenchmark.SCENARIO_BASELINE)) {
        System.out.printf(Locale.ROOT, "without the waypoint given, %s paths pass through it in %.1f%% of the mazes%n",
            m.path("name").asText(), 100 * m.path("value").asDouble());
      }
    }
    outcome.example().ifPresent(e -> {
      System.out.printf("%s held-out maze (%s model, %s sampler, %d-cell shortest path): maze left, generated solution right%n",
          e.success() ? "A solved" : "An unsolved", e.model(), e.sampler(), task.pathInWalkingOrder(e.instance()).length);
      System.out.println(task.render(e.generated()));
    });
    outcome.scenarioExample().ifPresent(e -> {
      System.out.printf("%s waypoint maze (%s): what is given, '.' to generate and '*' the waypoint, then the answer%n",
          e.success() ? "A solved" : "An unsolved", e.sampler());
      System.out.println(task.render(e.instance().prompt()));
      System.out.println(task.render(e.generated()));
    });
    System.out.println("report: " + out.resolve(BenchReport.MARKDOWN_FILE));
    return 0;
  }

  /** The options of this run: what was given on the command line, the demo recipe for the rest. */
  BenchOptions options() {
    double minutes = trainMinutes + evalMinutes;
    return recipe.toOptions(out, out.resolve("models"), minutes, trainMinutes / minutes, mazes, 50, List.of(), RECIPE);
  }

  private OrderSchedule schedule() {
    return OrderSchedule.parse(order != null ? order : RECIPE.orders().get(0));
  }

  /** The maze shape of {@code --maze}, in the lean encoding: the cells the prompt fixes are given, not generated. */
  MazeConfig mazeConfig() {
    return mazeTask.config(maze, RECIPE);
  }

  /** Opens the demo's maze model in the HTTP server ({@code anyorder serve}); the model must have been trained. */
  private int serve() {
    Path model = options().modelDirectory(new MazeTask(mazeConfig()).name() + "-" + PuzzleBenchmark.modelName(schedule(), options()));
    if (!java.nio.file.Files.exists(model.resolve(dev.anyorder.io.ModelDirectory.CONFIG_FILE))) {
      throw new IllegalArgumentException("no demo model in " + model + "; run 'anyorder demo' first");
    }
    return AnyOrderCli.commandLine().execute("serve", "--model", model.toString());
  }
}

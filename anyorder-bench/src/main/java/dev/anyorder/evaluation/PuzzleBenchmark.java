package dev.anyorder.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.data.IdVocabulary;
import dev.anyorder.io.AtomicFiles;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.tasks.Split;
import dev.anyorder.tasks.Task;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.tasks.TaskScore;
import dev.anyorder.tasks.images.ImageGrid;
import dev.anyorder.tasks.maze.MazeTask;
import dev.anyorder.training.TrainConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The benchmark of a puzzle task with a checkable answer (maze path-finding from the σ-GPT paper,
 * Pannatier, Courdier, Fleuret 2024; sudoku as in "Train for the Worst, Plan for the Best", Kim et al.
 * 2025): trains (or reuses) one σ-GPT per training order for the same time budget, solves held-out
 * instances with every sampler variant, and writes the report with training curves, quality-against-NFE
 * charts and a drawn solution.
 *
 * <p>Models train on whole sequences (prompt and answer) with the mean cross-entropy over all positions;
 * at solve time the prompt is given and the answer is generated.
 */
public final class PuzzleBenchmark {
  private PuzzleBenchmark() {}

  /**
   * What a puzzle benchmark measures.
   *
   * @param task the task
   * @param title report title
   * @param command the command line that runs it
   * @param headline the metric of success (e.g. {@code correct}, {@code solved})
   * @param orders training orders, one model each
   * @param suite sampler variants evaluated on every model
   * @param scenario a second set of instances made from the held-out ones, if any
   * @param exampleRank the metric that picks the example drawn among the successful ones, if any
   * @param decoding the decoding each any-order model the run trains records as the one it is made for
   *     ({@link TaskRecipe#decoding()} at the run's temperature), if any; a left-to-right model records none,
   *     since it was never trained to decode in another order
   */
  public record Plan(Task task, String title, String command, String headline, List<OrderSchedule> orders,
      List<SamplerVariant> suite, Optional<Scenario> scenario, Optional<String> exampleRank, Optional<SamplerConfig> decoding,
      Task trainingTask, boolean budgetPerModel) {
    public Plan {
      Objects.requireNonNull(task, "task");
      Objects.requireNonNull(trainingTask, "training task (the task itself when they are the same)");
      if (trainingTask.length() != task.length() || trainingTask.vocabSize() != task.vocabSize()) {
        throw new IllegalArgumentException("the training task " + trainingTask.name() + " must have the length and vocabulary of "
            + task.name());
      }
      Objects.requireNonNull(headline, "headline metric");
      Objects.requireNonNull(scenario, "scenario (use Optional.empty())");
      Objects.requireNonNull(exampleRank, "example rank (use Optional.empty())");
      Objects.requireNonNull(decoding, "decoding (use Optional.empty())");
      if (orders == null || orders.isEmpty()) {
        throw new IllegalArgumentException("a puzzle benchmark needs at least one training order");
      }
      if (suite == null || suite.isEmpty()) {
        throw new IllegalArgumentException("a puzzle benchmark needs at least one sampler variant");
      }
      orders = List.copyOf(orders);
      suite = List.copyOf(suite);
    }

    /** A plan that trains on the task it tests, within one budget shared by its models. */
    public Plan(Task task, String title, String command, String headline, List<OrderSchedule> orders,
        List<SamplerVariant> suite, Optional<Scenario> scenario, Optional<String> exampleRank, Optional<SamplerConfig> decoding) {
      this(task, title, command, headline, orders, suite, scenario, exampleRank, decoding, task, false);
    }

    /**
     * This plan with models trained on {@code training} (e.g. Sudoku puzzles with a spread of given counts)
     * and each given the whole training budget ({@code perModel}) instead of a share of it.
     */
    public Plan trainedOn(Task training, boolean perModel) {
      return new Plan(task, title, command, headline, orders, suite, scenario, exampleRank, decoding, training, perModel);
    }

    /** A plan without a second scenario, drawing the first successful example. */
    public Plan(Task task, String title, String command, String headline, List<OrderSchedule> orders,
        List<SamplerVariant> suite, Optional<SamplerConfig> decoding) {
      this(task, title, command, headline, orders, suite, Optional.empty(), Optional.empty(), decoding);
    }

    /** The decoding the model trained in {@code order} records: the plan's, unless the model is left-to-right only. */
    Optional<SamplerConfig> decodingOf(OrderSchedule order) {
      boolean leftToRight = order.type() == OrderSchedule.Type.FIXED && order.kind() == OrderKind.LEFT_TO_RIGHT;
      return leftToRight ? Optional.empty() : decoding;
    }
  }

  /**
   * A second set of held-out instances made from the first, solved by every model with its own sampler
   * variants, e.g. mazes with waypoints ({@code MazeTask.withAlternativeRoute}).
   *
   * @param name prefix of the sampler labels of its rows, e.g. {@code waypoint}
   * @param description what the rows show, in plain words, for the report
   * @param variant the scenario's instance made from a held-out instance, or empty to skip that instance
   * @param suite sampler variants evaluated in the scenario
   */
  public record Scenario(String name, String description, java.util.function.Function<TaskInstance, Optional<TaskInstance>> variant,
      List<SamplerVariant> suite) {
    public Scenario {
      if (name == null || name.isBlank() || description == null) {
        throw new IllegalArgumentException("a scenario needs a name and a description");
      }
      Objects.requireNonNull(variant, "variant");
      if (suite == null || suite.isEmpty()) {
        throw new IllegalArgumentException("a scenario needs at least one sampler variant");
      }
      suite = List.copyOf(suite);
    }

    /** Label of a scenario row. */
    public String label(SamplerVariant v) {
      return name + "/" + v.label();
    }
  }

  /**
   * What the run produced.
   *
   * @param report the written report
   * @param results one row per (model, sampler)
   * @param example a solved (or, failing that, attempted) held-out instance and the generated sequence
   * @param scenarioExample the same for the plan's scenario, if it has one
   */
  public record Outcome(BenchReport report, List<SamplerResult> results, Optional<Example> example,
      Optional<Example> scenarioExample) {
    public Outcome {
      Objects.requireNonNull(report, "report");
      Objects.requireNonNull(example, "example (use Optional.empty())");
      Objects.requireNonNull(scenarioExample, "scenario example (use Optional.empty())");
      results = List.copyOf(results);
    }
  }

  /**
   * The example to draw among those offered: a successful one over a failed one, then the one with the
   * highest rank (e.g. the longest shortest path of a maze, so the drawing shows a path worth seeing).
   */
  private static final class ExampleChoice {
    private final Optional<String> rankMetric;
    private Example best;
    private double bestRank = Double.NEGATIVE_INFINITY;

    ExampleChoice(Optional<String> rankMetric) {
      this.rankMetric = rankMetric;
    }

    void offer(String model, String sampler, TaskInstance instance, int[] generated, TaskScore score, String headline) {
      boolean ok = score.is(headline);
      double rank = rankMetric.map(score::get).orElse(0.0);
      if (best == null || (!best.success() && ok) || (best.success() == ok && rank > bestRank)) {
        best = new Example(model, sampler, instance, generated, ok);
        bestRank = rank;
      }
    }

    Optional<Example> chosen() {
      return Optional.ofNullable(best);
    }
  }

  /**
   * A held-out instance with one generated sequence, for drawing.
   *
   * @param model model name
   * @param sampler sampler label
   * @param instance the instance
   * @param generated the sampler's sequence
   * @param success whether the headline metric was met
   */
  public record Example(String model, String sampler, TaskInstance instance, int[] generated, boolean success) {
    public Example {
      Objects.requireNonNull(instance, "instance");
      if (generated == null || generated.length != instance.length()) {
        throw new IllegalArgumentException("the generated sequence must have the instance's length " + instance.length());
      }
      generated = generated.clone();
    }

    @Override
    public int[] generated() {
      return generated.clone();
    }
  }

  /** Runs the benchmark and writes {@code report.json}, {@code report.md} and the PNG charts into {@code options.out()}. */
  public static Outcome run(Plan plan, BenchOptions options) {
    Task task = plan.task();
    BenchReport report = new BenchReport(plan.title(), plan.command());
    report.setting("task", task.name()).setting("sequence length", task.length()).setting("vocabulary", task.vocabSize())
        .setting("budget minutes", options.minutes()).setting("layers", options.layers()).setting("heads", options.heads())
        .setting("width", options.dim()).setting("batch", options.batch()).setting("learning rate", options.learningRate())
        .setting("training pool", options.trainInstances()).setting("held-out instances (at most)", options.evalInstances())
        .setting("temperature", options.temperature()).setting("seed", options.seed())
        .setting("loss on targets only", options.targetLoss() || options.promptFirst())
        .setting("prompt first (solve-time layout)", options.promptFirst());
    if (plan.trainingTask() != task) {
      report.setting("training task", plan.trainingTask().name());
    }
    report.setting("training budget", plan.budgetPerModel() ? "the budget minutes per model, evaluation after"
        : "a share of the budget minutes, split between the models");
    TaskDataset data = TaskDataset.generate(plan.trainingTask(), options.trainInstances(), 64, options.seed());
    ModelConfig modelConfig = new ModelConfig(task.vocabSize(), task.length(), options.layers(), options.heads(), options.dim(), 4,
        0.0, options.positions(), false, true, options.positions() == PositionEncoding.GRID ? task.positionGrid().orElseThrow(
            () -> new IllegalArgumentException(task.name() + " declares no coordinates for its positions, so it cannot use grid"
                + " positions")) : null);
    Map<String, Path> models = new LinkedHashMap<>();
    List<Charts.Curve> curves = new ArrayList<>();
    // Every model gets the step count of the first (calibrated or fixed), so all train for the same compute.
    int sharedSteps = options.steps();
    for (OrderSchedule order : plan.orders()) {
      String name = modelName(order, options);
      Path dir = options.modelDirectory(task.name() + "-" + name);
      TrainConfig train = trainConfig(data, order, options);
      TaskModelTrainer.Outcome trained;
      try (Progress.TrainingBar bar = options.progress().training("train " + name)) {
        trained = TaskModelTrainer.trainOrReuse(dir, modelConfig, train, data, new IdVocabulary(task.vocabSize()),
            plan.budgetPerModel() ? options.minutes() * 60 : options.trainingSeconds(plan.orders().size()), sharedSteps,
            options.threads(), plan.decodingOf(order), bar);
      }
      sharedSteps = sharedSteps > 0 ? sharedSteps : trained.steps();
      models.put(name, dir);
      report.model(name, modelFacts(dir, order, trained));
      curves.addAll(Charts.trainingCurves(name, dir));
    }
    Charts.lineChart(task.name() + ": training curves", "optimizer step", "loss (nats/token)", curves,
        options.out().resolve("training-curves.png"));
    report.figure("training-curves.png", "Training loss (smoothed) and validation loss under the training order and "
        + "left-to-right, per model.");

    List<TaskInstance> heldOut = task.generate(Split.TEST, options.evalInstances(), Split.mix(options.seed() + 1000));
    List<Optional<TaskInstance>> scenarioOf = plan.scenario().map(sc -> heldOut.stream().map(sc.variant()).toList())
        .orElse(List.of());
    List<TaskInstance> scenarioInstances = scenarioOf.stream().flatMap(Optional::stream).toList();
    int scenarioRuns = scenarioInstances.isEmpty() ? 0 : plan.scenario().get().suite().size();
    double perRun = options.evaluationSeconds(models.size() * (plan.suite().size() + scenarioRuns));
    List<SamplerResult> results = new ArrayList<>();
    ExampleChoice choice = new ExampleChoice(plan.exampleRank());
    ExampleChoice scenarioChoice = new ExampleChoice(plan.exampleRank());
    for (Map.Entry<String, Path> m : models.entrySet()) {
      try (AnyOrderModel model = AnyOrderModel.load(m.getValue(), "cpu", options.threads())) {
        for (SamplerVariant v : plan.suite()) {
          long deadline = System.nanoTime() + (long) (perRun * 1e9);
          TaskEvaluator.Outcome o = TaskEvaluator.evaluate(model, m.getKey(), task, heldOut, v.withSeed(options.seed()),
              options.evalBatch(), deadline, options.progress());
          results.add(o.result());
          report.result(o.result());
          for (int i = 0; i < o.scores().size(); i++) {
            choice.offer(m.getKey(), v.label(), heldOut.get(i), o.generated().get(i), o.scores().get(i), plan.headline());
          }
          scenarioBaseline(task, scenarioOf, o).ifPresent(rate -> report.measurement(SCENARIO_BASELINE,
              m.getKey() + " " + v.label(), rate, "share of instances"));
        }
        if (scenarioRuns > 0) {
          Scenario sc = plan.scenario().get();
          for (SamplerVariant v : sc.suite()) {
            long deadline = System.nanoTime() + (long) (perRun * 1e9);
            SamplerVariant labelled = new SamplerVariant(sc.label(v), v.config()).withSeed(options.seed());
            TaskEvaluator.Outcome o = TaskEvaluator.evaluate(model, m.getKey(), task, scenarioInstances, labelled,
                options.evalBatch(), deadline, options.progress());
            results.add(o.result());
            report.result(o.result());
            for (int i = 0; i < o.scores().size(); i++) {
              scenarioChoice.offer(m.getKey(), labelled.label(), scenarioInstances.get(i), o.generated().get(i),
                  o.scores().get(i), plan.headline());
            }
          }
        }
      }
    }
    Example example = choice.chosen().orElse(null);
    Charts.qualityVsNfe(task.name() + ": " + plan.headline() + " against NFE", plan.headline(), results,
        options.out().resolve("quality-vs-nfe.png"));
    report.figure("quality-vs-nfe.png", "Rate of " + plan.headline() + " held-out instances against network evaluations "
        + "per instance, per model and sampler.");
    if (example != null) {
      writeExample(task, example, options.out().resolve("example.png"));
      report.figure("example.png", (example.success() ? "A solved" : "An attempted (unsolved)") + " held-out instance ("
          + example.model() + " model, " + example.sampler() + "): prompt and generated answer.");
      report.block((example.success() ? "Solved" : "Attempted") + " held-out instance, " + example.model() + " model, "
          + example.sampler(), task.render(example.generated()));
    }
    scenarioChoice.chosen().ifPresent(e -> report.block((e.success() ? "Solved" : "Attempted") + " " + plan.scenario().get().name()
        + " instance, " + e.model() + " model, " + e.sampler() + ": what is given ('.' to generate), then the answer",
        task.render(e.instance().prompt()) + "\n" + task.render(e.generated())));
    readingNotes(report, plan, scenarioInstances.size());
    notes(report, plan, results);
    report.write(options.out());
    return new Outcome(report, results, Optional.ofNullable(example), scenarioChoice.chosen());
  }

  /**
   * Solves the given instances (e.g. puzzles read from a file) with a trained model and every variant of
   * {@code suite}, adds one row per variant to {@code report} and returns the rows. Nothing is trained.
   *
   * @throws IllegalArgumentException when the model's length or vocabulary does not fit the task
   */
  public static List<SamplerResult> evaluateModel(Path modelDirectory, Task task, List<TaskInstance> instances,
      List<SamplerVariant> suite, BenchOptions options, BenchReport report) {
    try (AnyOrderModel model = AnyOrderModel.load(modelDirectory, "cpu", options.threads())) {
      return evaluate(model, task, instances, suite, options, report, Optional.empty());
    }
  }

  /**
   * As {@link #evaluateModel(Path, Task, List, List, BenchOptions, BenchReport)} with a model already loaded
   * (the caller read its task from it), also writing each variant's answers beside the report as {@code
   * answers} says, and saying in the report where they are and how many puzzles of the file were solved.
   */
  public static List<SamplerResult> evaluateModel(AnyOrderModel model, Task task, List<TaskInstance> instances,
      List<SamplerVariant> suite, BenchOptions options, BenchReport report, AnswerFiles answers) {
    Objects.requireNonNull(answers, "answers");
    if (instances.size() > answers.puzzlesInFile()) {
      throw new IllegalArgumentException(instances.size() + " puzzles to solve, but the file holds " + answers.puzzlesInFile());
    }
    return evaluate(model, task, instances, suite, options, report, Optional.of(answers));
  }

  private static List<SamplerResult> evaluate(AnyOrderModel model, Task task, List<TaskInstance> instances,
      List<SamplerVariant> suite, BenchOptions options, BenchReport report, Optional<AnswerFiles> answers) {
    ModelConfig c = model.config();
    if (c.maxLength() < task.length() || c.vocabSize() < task.vocabSize()) {
      throw new IllegalArgumentException("the model in " + model.directory() + " (length " + c.maxLength() + ", "
          + c.vocabSize() + " tokens) cannot solve " + task.name() + " (length " + task.length() + ", " + task.vocabSize()
          + " tokens)");
    }
    List<SamplerResult> results = new ArrayList<>();
    List<String> answerNotes = new ArrayList<>();
    String name = model.directory() == null ? "model" : model.directory().getFileName().toString();
    double perRun = options.evaluationSeconds(suite.size());
    for (SamplerVariant v : suite) {
      long deadline = System.nanoTime() + (long) (perRun * 1e9);
      TaskEvaluator.Outcome o = TaskEvaluator.evaluate(model, name, task, instances, v.withSeed(options.seed()),
          options.evalBatch(), deadline, options.progress());
      results.add(o.result());
      report.result(o.result());
      if (answers.isPresent()) {
        answerNotes.add(answers.get().write(options.out(), v.label(), instances, o, report));
      }
    }
    for (SamplerVariant v : suite) {
      report.note("Row '" + v.label() + "': " + v.description() + ".");
    }
    answers.ifPresent(a -> report.note("Answer files: one line per puzzle of the file, in its order: " + a.layout()
        + ". The line of a puzzle not attempted (beyond --eval-instances, or once the evaluation time ran out) is empty."));
    answerNotes.forEach(report::note);
    return results;
  }

  /**
   * Where and how the answers to puzzles read from a file are written: one file per sampler variant beside
   * the report ({@link #fileName}), one line per puzzle of the file in its order, in the file's own layout,
   * and an empty line for each puzzle not attempted (beyond the instances given, or after the evaluation
   * deadline), so line {@code k} always answers the file's {@code k}-th puzzle.
   *
   * @param puzzlesInFile how many puzzles the file holds, so how many lines each answer file has
   * @param headline the metric of a solved puzzle ({@code correct}, {@code solved}), counted in the report
   * @param layout what an answer line holds, in plain words, for the report
   * @param line the answer line of a puzzle and the sequence generated for it
   */
  public record AnswerFiles(int puzzlesInFile, String headline, String layout,
      java.util.function.BiFunction<TaskInstance, int[], String> line) {
    /** Section of the report's measurements that counts the solved puzzles of each answer file. */
    public static final String SECTION = "puzzles of the file solved";

    public AnswerFiles {
      if (puzzlesInFile < 1) {
        throw new IllegalArgumentException("a puzzle file holds at least one puzzle, got " + puzzlesInFile);
      }
      if (headline == null || headline.isBlank() || layout == null || layout.isBlank()) {
        throw new IllegalArgumentException("answer files need the headline metric and a description of their layout");
      }
      Objects.requireNonNull(line, "line");
    }

    /** The answer file of a sampler variant: {@code solutions-LABEL.txt}, each {@code /} of the label a {@code -}. */
    public static String fileName(String samplerLabel) {
      return "solutions-" + samplerLabel.replace('/', '-') + ".txt";
    }

    /**
     * Writes one variant's answers into {@code dir} atomically, adds its count of solved puzzles to the
     * report's measurements and returns the note that names the file.
     */
    String write(Path dir, String label, List<TaskInstance> instances, TaskEvaluator.Outcome outcome, BenchReport report) {
      List<int[]> generated = outcome.generated();
      StringBuilder text = new StringBuilder();
      int solved = 0;
      for (int i = 0; i < puzzlesInFile; i++) {
        if (i < generated.size()) {
          String answer = line.apply(instances.get(i), generated.get(i));
          if (answer.isEmpty() || answer.indexOf('\n') >= 0 || answer.indexOf('\r') >= 0) {
            throw new IllegalStateException("the answer line of puzzle " + (i + 1) + " is empty or spans lines: " + answer);
          }
          text.append(answer);
          solved += outcome.scores().get(i).is(headline) ? 1 : 0;
        }
        text.append('\n');
      }
      String file = fileName(label);
      try {
        java.nio.file.Files.createDirectories(dir);
        AtomicFiles.writeString(dir.resolve(file), text.toString());
      } catch (IOException e) {
        throw new UncheckedIOException("could not write the answers " + dir.resolve(file), e);
      }
      report.measurement(SECTION, label, solved, "of " + puzzlesInFile);
      return String.format(java.util.Locale.ROOT, "Row '%s': answers in %s; %d of the file's %d puzzles %s, %d attempted.",
          label, file, solved, puzzlesInFile, headline, generated.size());
    }
  }

  /**
   * The waypoint scenario of a maze task: every held-out maze with more than one shortest path, its
   * reference switched to another shortest path and {@code count} cells of that path, off the canonical
   * path the models were trained on, given as path cells ({@link MazeTask#withAlternativeRoute}).
   */
  public static Scenario waypoints(MazeTask task, int count, List<SamplerVariant> suite) {
    return new Scenario("waypoint", "the held-out mazes that have more than one shortest path, with " + count + " cell(s) of a"
        + " shortest path other than the one the model was trained to draw given as path cells (a waypoint); 'correct' counts"
        + " valid paths, which must use the given cells since they stay path cells, and 'throughWaypoints' counts solutions"
        + " whose path from the start reaches the goal through every given cell. A model that ignores the waypoint draws its"
        + " usual path, which misses it"
        + (task.config().detourShare() > 0 ? ". Its training mazes include such detours, the waypoint given, in "
            + Math.round(100 * task.config().detourShare()) + "% of those with several shortest paths (other mazes than"
            + " these held-out ones)" : ". It was trained on canonical paths only"),
        i -> task.withAlternativeRoute(i, count), suite);
  }

  /** The model's name in reports and its directory: the order schedule, marked when trained prompt first. */
  public static String modelName(OrderSchedule order, BenchOptions options) {
    return order.label() + (options.promptFirst() ? "+prompt-first" : "");
  }

  /**
   * The training configuration of one model: the options' optimiser settings and, when the loss is on
   * targets only, known-first orders or prompt-first training are asked for, the known positions: the mask
   * every instance shares when there is one and the layout is not prompt first, else each instance's own,
   * drawn with it ({@code TaskDataset.labeledBatch}: a lean maze's fixed cells, a Sudoku variant's givens).
   */
  static TrainConfig trainConfig(TaskDataset data, OrderSchedule order, BenchOptions options) {
    TrainConfig train = options.trainConfig(order);
    boolean knownFirst = order.type() == OrderSchedule.Type.FIXED && order.kind() == OrderKind.KNOWN_FIRST;
    if (!options.targetLoss() && !knownFirst && !options.promptFirst()) {
      return train;
    }
    Optional<boolean[]> common = data.commonKnownMask();
    if (common.isPresent() && !options.promptFirst()) {
      return train.withKnownPositions(common.get());
    }
    // Every task instance carries its known positions, so prompt-first training draws them with each sequence.
    return train.withKnownFromData(options.promptFirst());
  }

  /** Section of the measurements that say how often a solution met the scenario's metric without being given its cells. */
  public static final String SCENARIO_BASELINE = "waypoint cells on the path when they are not given";

  /**
   * How often the solutions of an evaluation without the scenario's extra givens already pass through
   * them: the mean {@code throughWaypoints} of each generated sequence scored against its instance's
   * scenario variant. The baseline a waypoint row's rate is compared with; empty when no evaluated
   * instance has a scenario variant or the task reports no such metric.
   */
  static Optional<Double> scenarioBaseline(Task task, List<Optional<TaskInstance>> scenarioOf, TaskEvaluator.Outcome o) {
    double sum = 0;
    int count = 0;
    for (int i = 0; i < o.generated().size() && i < scenarioOf.size(); i++) {
      if (scenarioOf.get(i).isPresent()) {
        TaskScore s = task.check(scenarioOf.get(i).get(), o.generated().get(i));
        if (s.metrics().containsKey("throughWaypoints")) {
          sum += s.get("throughWaypoints");
          count++;
        }
      }
    }
    return count == 0 ? Optional.empty() : Optional.of(sum / count);
  }

  /** Plain-words notes saying what each row of the results table shows. */
  static void readingNotes(BenchReport report, Plan plan, int scenarioInstances) {
    for (SamplerVariant v : plan.suite()) {
      report.note("Row '" + v.label() + "': " + v.description() + ".");
    }
    plan.scenario().filter(sc -> scenarioInstances > 0).ifPresent(sc -> {
      report.note("Rows '" + sc.name() + "/…': " + sc.description() + " (" + scenarioInstances + " held-out instances).");
      for (SamplerVariant v : sc.suite()) {
        report.note("Row '" + sc.label(v) + "': the " + sc.name() + " instances, " + v.description() + ".");
      }
    });
  }

  static Map<String, Object> modelFacts(Path dir, OrderSchedule order, TaskModelTrainer.Outcome trained) {
    Map<String, Object> facts = new LinkedHashMap<>();
    facts.put("directory", dir.toString());
    facts.put("order", order.label());
    JsonNode config = ModelDirectory.load(dir).training() == null ? null : ModelDirectory.load(dir).training().path("config");
    boolean targets = config != null && (config.path("knownPositions").isArray() || config.path("knownFromData").asBoolean());
    facts.put("loss over", targets ? "targets" : "all positions");
    facts.put("layout", config != null && config.path("promptFirst").asBoolean() ? "prompt first" : "as drawn");
    facts.put("steps", trained.steps());
    facts.put("train seconds", trained.trainSeconds());
    facts.put("reused", trained.reused());
    if (!Double.isNaN(trained.calibratedTokensPerSecond())) {
      facts.put("calibrated tokens/s", trained.calibratedTokensPerSecond());
    }
    JsonNode training = ModelDirectory.load(dir).training();
    facts.put("parameters", ModelDirectory.load(dir).config().parameterCount());
    JsonNode e = training == null ? null : training.get("evaluation");
    if (e != null) {
      facts.put("val loss (training order)", e.path("trainingOrderLoss").asDouble());
      facts.put("val loss (left-to-right)", e.path("leftToRightLoss").asDouble());
    }
    return facts;
  }

  static void writeExample(Task task, Example example, Path png) {
    try {
      ImageGrid.write(task, List.of(example.instance().prompt(), example.generated()), 2, png);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + png, e);
    }
  }

  /** Sentences computed from the results: best sampler per model, and NFE savings of burst and speculative. */
  static void notes(BenchReport report, Plan plan, List<SamplerResult> results) {
    String h = plan.headline();
    java.util.Set<String> exactLabels = new java.util.HashSet<>();
    plan.suite().stream().filter(SamplerVariant::exact).forEach(v -> exactLabels.add(v.label()));
    String scenarioPrefix = plan.scenario().map(sc -> sc.name() + "/").orElse("\u0000");
    for (String model : results.stream().map(SamplerResult::model).distinct().toList()) {
      List<SamplerResult> rows = results.stream().filter(r -> r.model().equals(model) && !r.sampler().startsWith(scenarioPrefix))
          .toList();
      SamplerResult best = rows.stream().max((a, b) -> Double.compare(a.metric(h), b.metric(h))).orElseThrow();
      Optional<SamplerResult> bestExact = rows.stream().filter(r -> exactLabels.contains(r.sampler()))
          .max((a, b) -> Double.compare(a.metric(h), b.metric(h)));
      bestExact.ifPresent(e -> {
        report.note(String.format(java.util.Locale.ROOT, "%s model: best exact sampler %s, %s rate %s at %s NFE per instance.",
            model, e.sampler(), h, ReportMarkdown.number(e.metric(h)), ReportMarkdown.number(e.nfePerInstance())));
        rows.stream().filter(r -> r.sampler().startsWith("speculative") && r != e)
            .max((a, b) -> Double.compare(a.metric(h), b.metric(h))).ifPresent(sp -> report.note(String.format(
                java.util.Locale.ROOT, "%s model: %s is %s points from the best exact sampler (%s) at %s of its NFE.", model,
                sp.sampler(), ReportMarkdown.number(100 * (sp.metric(h) - e.metric(h))), e.sampler(),
                ReportMarkdown.number(sp.nfePerInstance() / Math.max(e.nfePerInstance(), 1e-9)))));
      });
      List<SamplerResult> scenarioRows = results.stream().filter(r -> r.model().equals(model)
          && r.sampler().startsWith(scenarioPrefix)).toList();
      for (SamplerResult r : scenarioRows) {
        if (r.metrics().containsKey("throughWaypoints")) {
          String plain = model + " " + r.sampler().substring(scenarioPrefix.length());
          String baseline = "";
          for (com.fasterxml.jackson.databind.JsonNode m : report.json().get("measurements")) {
            if (m.path("section").asText().equals(SCENARIO_BASELINE) && m.path("name").asText().equals(plain)) {
              baseline = String.format(java.util.Locale.ROOT, " (without them given, its paths pass through those cells in %s)",
                  ReportMarkdown.number(m.path("value").asDouble()));
            }
          }
          report.note(String.format(java.util.Locale.ROOT, "%s model, %s: %s rate %s; the path passes through the given cells"
              + " in %s of the instances%s.", model, r.sampler(), h, ReportMarkdown.number(r.metric(h)),
              ReportMarkdown.number(r.metric("throughWaypoints")), baseline));
        }
      }
      report.note(String.format(java.util.Locale.ROOT, "%s model: best %s rate %s with %s (%s NFE per instance).", model, h,
          ReportMarkdown.number(best.metric(h)), best.sampler(), ReportMarkdown.number(best.nfePerInstance())));
      Optional<SamplerResult> margin = rows.stream().filter(r -> r.sampler().equals("adaptive/margin")
          || r.sampler().equals("adaptive")).findFirst();
      for (SamplerResult fixed : rows.stream().filter(r -> r.sampler().startsWith("sequential")).toList()) {
        margin.ifPresent(a -> report.note(String.format(java.util.Locale.ROOT,
            "%s model: adaptive margin ordering %s rate %s against %s with %s.", model, h, ReportMarkdown.number(a.metric(h)),
            ReportMarkdown.number(fixed.metric(h)), fixed.sampler())));
      }
      Optional<SamplerResult> seq = rows.stream().filter(r -> r.sampler().startsWith("sequential")).findFirst();
      for (String fast : List.of("burst", "speculative")) {
        Optional<SamplerResult> f = rows.stream().filter(r -> r.sampler().startsWith(fast)).findFirst();
        if (seq.isPresent() && f.isPresent() && f.get().nfePerInstance() > 0) {
          report.note(String.format(java.util.Locale.ROOT,
              "%s model: %s used %s NFE per instance against %s for %s (%s times fewer), %s rate %s against %s.", model,
              f.get().sampler(), ReportMarkdown.number(f.get().nfePerInstance()), ReportMarkdown.number(seq.get().nfePerInstance()),
              seq.get().sampler(), ReportMarkdown.number(seq.get().nfePerInstance() / f.get().nfePerInstance()), h,
              ReportMarkdown.number(f.get().metric(h)), ReportMarkdown.number(seq.get().metric(h))));
        }
      }
    }
  }
}

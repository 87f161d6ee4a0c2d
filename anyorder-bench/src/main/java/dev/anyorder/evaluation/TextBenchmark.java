package dev.anyorder.evaluation;

import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.data.SourceFile;
import dev.anyorder.data.TextCorpus;
import dev.anyorder.density.OrderScore;
import dev.anyorder.density.ScoreRequest;
import dev.anyorder.density.Scorer;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.sampling.PositionRule;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import dev.anyorder.tasks.Split;
import dev.anyorder.tasks.Task;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.tasks.TaskScore;
import dev.anyorder.training.TrainConfig;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The text benchmark: character-level σ-GPTs (Pannatier, Courdier, Fleuret 2024) trained on a UTF-8 text
 * (KJV by default) in random and in left-to-right order for the same time budget; the validation loss of
 * each model under each order (nats and bits per character, from the {@link Scorer}); and infilling of
 * masked spans, both as the likelihood of the hidden span given both sides and as the accuracy of spans
 * filled by the samplers.
 */
public final class TextBenchmark {
  private TextBenchmark() {}

  /**
   * Runs the benchmark.
   *
   * @param data UTF-8 text file (gzip accepted)
   * @param block characters per training sequence
   * @param span characters hidden in each infilling window
   */
  public static BenchReport run(Path data, int block, int span, BenchOptions options, String command) {
    if (span < 1 || span > block - 2) {
      throw new IllegalArgumentException("span must be in 1.." + (block - 2) + " for block " + block + ", got " + span);
    }
    SourceFile.Text text = SourceFile.readText(data);
    CharacterVocabulary vocabulary = CharacterVocabulary.fromText(text.text());
    TextCorpus corpus = TextCorpus.of(text, vocabulary, block, 0.1);
    BenchReport report = new BenchReport("Text: random against left-to-right training on " + data.getFileName(), command);
    report.setting("data", data.toString()).setting("characters", corpus.tokenCount()).setting("vocabulary", vocabulary.size())
        .setting("block", block).setting("infilling span", span).setting("budget minutes", options.minutes())
        .setting("layers", options.layers()).setting("heads", options.heads()).setting("width", options.dim())
        .setting("batch", options.batch()).setting("learning rate", options.learningRate())
        .setting("held-out windows (at most)", options.evalInstances()).setting("temperature", options.temperature())
        .setting("seed", options.seed());
    ModelConfig modelConfig = new ModelConfig(vocabulary.size(), block, options.layers(), options.heads(), options.dim(), 4, 0.0,
        options.positions(), false, true);
    List<OrderSchedule> orders = List.of(OrderSchedule.fixed(OrderKind.RANDOM), OrderSchedule.fixed(OrderKind.LEFT_TO_RIGHT));
    Map<String, Path> models = new LinkedHashMap<>();
    List<Charts.Curve> curves = new ArrayList<>();
    // Every model gets the step count of the first (calibrated or fixed), so all train for the same compute.
    int sharedSteps = options.steps();
    for (OrderSchedule order : orders) {
      Path dir = options.modelDirectory("text-" + order.label());
      TrainConfig train = options.trainConfig(order);
      TaskModelTrainer.Outcome trained;
      try (Progress.TrainingBar bar = options.progress().training("train " + order.label())) {
        // No recommended decoding: text has no one answer to find, and the library's default draws faithful samples.
        trained = TaskModelTrainer.trainOrReuse(dir, modelConfig, train, corpus, vocabulary, options.trainingSeconds(orders.size()),
            sharedSteps, options.threads(), Optional.empty(), bar);
      }
      sharedSteps = sharedSteps > 0 ? sharedSteps : trained.steps();
      models.put(order.label(), dir);
      report.model(order.label(), PuzzleBenchmark.modelFacts(dir, order, trained));
      curves.addAll(Charts.trainingCurves(order.label(), dir));
    }
    Charts.lineChart("text: training curves", "optimizer step", "loss (nats/char)", curves, options.out().resolve("training-curves.png"));
    report.figure("training-curves.png", "Training and validation loss of the random-order and left-to-right models.");

    List<int[]> windows = new ArrayList<>();
    for (int[][] b : corpus.validationBatches(32, (options.evalInstances() + 31) / 32)) {
      for (int[] w : b) {
        if (windows.size() < options.evalInstances()) {
          windows.add(w);
        }
      }
    }
    if (windows.isEmpty()) {
      throw new IllegalArgumentException(data + " is too short to hold a validation window of " + block + " characters");
    }
    InfillTask infill = new InfillTask(vocabulary, block, span, windows, options.seed());
    List<SamplerVariant> suite = SamplerVariant.select(List.of(
        variant("sequential/left-to-right", SamplerConfig.defaults(SamplerKind.SEQUENTIAL).withOrder(OrderKind.LEFT_TO_RIGHT), options),
        variant("sequential/random", SamplerConfig.defaults(SamplerKind.SEQUENTIAL), options),
        variant("speculative/left-to-right", SamplerConfig.defaults(SamplerKind.SPECULATIVE).withOrder(OrderKind.LEFT_TO_RIGHT), options),
        variant("adaptive/margin", SamplerConfig.defaults(SamplerKind.ADAPTIVE).withRule(PositionRule.MARGIN), options)),
        options.samplers());
    double perRun = options.evaluationSeconds(models.size() * (suite.size() + 1));
    List<SamplerResult> results = new ArrayList<>();
    for (Map.Entry<String, Path> m : models.entrySet()) {
      try (AnyOrderModel model = AnyOrderModel.load(m.getValue(), "cpu", options.threads())) {
        Scorer scorer = model.scorer();
        for (OrderKind order : List.of(OrderKind.LEFT_TO_RIGHT, OrderKind.RANDOM)) {
          double nats = meanNats(scorer, windows, null, order, options.seed());
          report.measurement("validation loss", m.getKey() + " model, " + order.label() + " order", nats, "nats/char");
          report.measurement("bits per character", m.getKey() + " model, " + order.label() + " order", nats / Math.log(2), "bits/char");
        }
        double infillNats = meanNats(scorer, infill.instances().stream().map(TaskInstance::sequence).toList(),
            infill.known(), OrderKind.LEFT_TO_RIGHT, options.seed());
        report.measurement("infilling likelihood (span given both sides)", m.getKey() + " model", infillNats / Math.log(2),
            "bits/char");
        for (SamplerVariant v : suite) {
          long deadline = System.nanoTime() + (long) (perRun * 1e9);
          TaskEvaluator.Outcome o = TaskEvaluator.evaluate(model, m.getKey(), infill, infill.instances(), v, options.evalBatch(),
              deadline, options.progress());
          results.add(o.result());
          report.result(o.result());
        }
      }
    }
    Charts.qualityVsNfe("text infilling: character accuracy against NFE", "charAccuracy", results,
        options.out().resolve("quality-vs-nfe.png"));
    report.figure("quality-vs-nfe.png", "Character accuracy of filled spans against NFE per span, per model and sampler.");
    report.note("Validation loss is the mean negative log-likelihood of whole held-out windows of " + block
        + " characters, scored in one teacher-forced pass per window; the random order is drawn per window from the seed.");
    report.note("Infilling hides " + span + " consecutive characters at a random place of each held-out window; the"
        + " likelihood row scores them left to right given everything else, the result rows fill them with a sampler.");
    report.write(options.out());
    return report;
  }

  private static SamplerVariant variant(String label, SamplerConfig config, BenchOptions options) {
    return new SamplerVariant(label, config.withTemperature(options.temperature()).withSeed(options.seed()));
  }

  /** Mean nats per target token over sequences, scored in batches of 32 under one order kind of the targets. */
  static double meanNats(Scorer scorer, List<int[]> sequences, List<boolean[]> known, OrderKind order, long seed) {
    SplittableRandom rng = new SplittableRandom(seed ^ 0x5C0AEL);
    double nats = 0;
    long targets = 0;
    for (int from = 0; from < sequences.size(); from += 32) {
      List<ScoreRequest> requests = new ArrayList<>();
      for (int i = from; i < Math.min(sequences.size(), from + 32); i++) {
        int[] s = sequences.get(i);
        boolean[] k = known == null ? new boolean[s.length] : known.get(i);
        int[] targetPositions = java.util.stream.IntStream.range(0, s.length).filter(p -> !k[p]).toArray();
        int[] targetOrder = order == OrderKind.RANDOM ? OrderKind.shuffled(targetPositions, rng) : targetPositions;
        requests.add(new ScoreRequest(s, k, targetOrder));
      }
      for (OrderScore score : scorer.scoreAll(requests)) {
        nats -= score.logProb();
        targets += score.targets();
      }
    }
    return nats / targets;
  }

  /**
   * Span infilling as a {@link Task} over fixed held-out windows, so the samplers are scored by the same
   * {@link TaskEvaluator} as the puzzles: {@code charAccuracy} over the hidden span and {@code spanExact}.
   */
  static final class InfillTask implements Task {
    private final CharacterVocabulary vocabulary;
    private final int block;
    private final List<TaskInstance> instances = new ArrayList<>();

    InfillTask(CharacterVocabulary vocabulary, int block, int span, List<int[]> windows, long seed) {
      this.vocabulary = vocabulary;
      this.block = block;
      SplittableRandom rng = new SplittableRandom(seed ^ 0x1F111L);
      for (int[] w : windows) {
        int start = 1 + rng.nextInt(block - span - 1);
        boolean[] known = new boolean[block];
        for (int i = 0; i < block; i++) {
          known[i] = i < start || i >= start + span;
        }
        instances.add(new TaskInstance(w, known));
      }
    }

    List<TaskInstance> instances() {
      return instances;
    }

    List<boolean[]> known() {
      return instances.stream().map(TaskInstance::known).toList();
    }

    @Override
    public String name() {
      return "text-infill-" + block;
    }

    @Override
    public int vocabSize() {
      return vocabulary.size();
    }

    @Override
    public int length() {
      return block;
    }

    @Override
    public List<TaskInstance> generate(Split split, int count, long seed) {
      if (split != Split.TEST || count > instances.size()) {
        throw new IllegalArgumentException("the infilling task holds " + instances.size() + " held-out windows only");
      }
      return instances.subList(0, count);
    }

    @Override
    public TaskScore check(TaskInstance instance, int[] generated) {
      if (generated.length != block) {
        throw new IllegalArgumentException("infilling windows have " + block + " characters, got " + generated.length);
      }
      int open = 0;
      int right = 0;
      for (int i = 0; i < block; i++) {
        if (!instance.isKnown(i)) {
          open++;
          right += generated[i] == instance.token(i) ? 1 : 0;
        }
      }
      return TaskScore.builder().put("charAccuracy", (double) right / open).put("spanExact", right == open).build();
    }

    @Override
    public String render(int[] sequence) {
      StringBuilder s = new StringBuilder();
      for (int id : sequence) {
        s.appendCodePoint(id < 0 ? '_' : vocabulary.codePoint(id));
      }
      return s.toString();
    }

    @Override
    public BufferedImage image(int[] sequence) {
      throw new UnsupportedOperationException("text is not drawn as an image");
    }
  }
}

package dev.anyorder.cli;

import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.data.Dataset;
import dev.anyorder.data.IdVocabulary;
import dev.anyorder.data.SourceFile;
import dev.anyorder.data.SubwordVocabulary;
import dev.anyorder.data.GapTraining;
import dev.anyorder.data.TextCorpus;
import dev.anyorder.data.TokenFile;
import dev.anyorder.data.Vocabulary;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.training.TrainConfig;
import dev.anyorder.training.Trainer;
import dev.anyorder.training.TrainingRun;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code anyorder train}: trains a σ-GPT on a text or token-id file into a model directory. */
@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Train a σ-GPT on a UTF-8 text file (character level) or a token-id file.")
final class TrainCommand implements Callable<Integer> {
  enum Format { text, tokens }

  @Option(names = "--data", required = true, description = "Training data file (UTF-8 text, .gz accepted, or token ids).")
  Path data;

  @Option(names = "--format", defaultValue = "text", description = "text or tokens (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--tokenizer", description = "A HuggingFace tokenizer.json: train text on its subword ids (copied into the model).")
  Path tokenizer;

  @Option(names = "--out", required = true, description = "Model directory to write.")
  Path out;

  @Option(names = "--order", defaultValue = TrainConfig.DEFAULT_ORDER,
      description = "Training order: left-to-right, random, fractal, known-first, infill, curriculum, rar, mixture-P or mixture-infill-P (a share P of random or infill orders, left-to-right otherwise; default: ${DEFAULT-VALUE}).")
  String order;

  @Option(names = "--layers", defaultValue = "4") int layers;
  @Option(names = "--heads", defaultValue = "4") int heads;
  @Option(names = "--dim", defaultValue = "128", description = "Residual width (default: ${DEFAULT-VALUE}).") int dim;
  @Option(names = "--block", defaultValue = "64", description = "Sequence length for text (default: ${DEFAULT-VALUE}); token files use their line length.")
  int block;
  @Option(names = "--batch", defaultValue = "" + TrainConfig.DEFAULT_BATCH) int batch;
  @Option(names = "--accumulation", defaultValue = "1", description = "Micro-batches per optimizer step.") int accumulation;
  @Option(names = "--steps", defaultValue = "" + TrainConfig.DEFAULT_STEPS) int steps;
  @Option(names = "--lr", defaultValue = "" + TrainConfig.DEFAULT_LEARNING_RATE, description = "Peak learning rate (default: ${DEFAULT-VALUE}).") double lr;
  @Option(names = "--min-lr", defaultValue = "" + TrainConfig.DEFAULT_MIN_LEARNING_RATE, description = "Final learning rate of the cosine (default: ${DEFAULT-VALUE}).") double minLr;
  @Option(names = "--warmup", defaultValue = "" + TrainConfig.DEFAULT_WARMUP) int warmup;
  @Option(names = "--weight-decay", defaultValue = "" + TrainConfig.DEFAULT_WEIGHT_DECAY) double weightDecay;
  @Option(names = "--grad-clip", defaultValue = "" + TrainConfig.DEFAULT_GRAD_CLIP) double gradClip;
  @Option(names = "--dropout", defaultValue = "0.0") double dropout;
  @Option(names = "--positions", defaultValue = "learned", description = "learned or sinusoidal.") String positions;
  @Option(names = "--bias", description = "Biases in linear layers and LayerNorms.") boolean bias;
  @Option(names = "--vocab-size", description = "Vocabulary size of a token file (default: largest id + 1).") Integer vocabSize;
  @Option(names = "--val-fraction", defaultValue = "0.1", description = "Held-out fraction (default: ${DEFAULT-VALUE}).") double valFraction;
  @Option(names = "--seed", defaultValue = "" + TrainConfig.DEFAULT_SEED) long seed;
  @Option(names = "--eval-every", defaultValue = "" + TrainConfig.DEFAULT_EVAL_EVERY, description = "Evaluate every N steps (0: only at the end).") int evalEvery;
  @Option(names = "--eval-batches", defaultValue = "" + TrainConfig.DEFAULT_EVAL_BATCHES) int evalBatches;
  @Option(names = "--checkpoint-every", defaultValue = "" + TrainConfig.DEFAULT_CHECKPOINT_EVERY, description = "Checkpoint every N steps (0: only at the end).") int checkpointEvery;
  @Option(names = "--resume", description = "Continue the checkpoint in --out exactly; its settings win over the flags.") boolean resume;
  @Option(names = "--no-progress", description = "No progress bar: one line per evaluation and checkpoint, for logs.") boolean noProgress;
  @Option(names = "--device", defaultValue = "cpu", description = "cpu or gpu (default: ${DEFAULT-VALUE}).") String device;
  @Option(names = "--threads", defaultValue = "2", description = "Cores to train on, as data-parallel workers; a resumed run keeps its own (default: ${DEFAULT-VALUE}).") int threads;

  @Option(names = "--gaps", description = "Also train to fill gaps of unknown length ({...} in sample --infill): a share of the"
      + " windows become gap examples (spans of a few characters, a word, a phrase, a verse) whose lengths the model learns to"
      + " predict; adds --gap-slots positions to the model.")
  boolean gaps;
  @Option(names = "--gap-share", defaultValue = "" + GapTraining.DEFAULT_SHARE,
      description = "With --gaps: share of the windows made gap examples (default: ${DEFAULT-VALUE}).")
  double gapShare;
  @Option(names = "--gap-slots", defaultValue = "" + GapTraining.DEFAULT_SLOTS,
      description = "With --gaps: the most gaps of unknown length per text (default: ${DEFAULT-VALUE}).")
  int gapSlots;
  @Option(names = "--max-gap", defaultValue = "" + GapTraining.DEFAULT_MAX_GAP,
      description = "With --gaps: the longest gap, in tokens (default: ${DEFAULT-VALUE}; at most the vocabulary size - 1).")
  int maxGap;

  /** The training settings of these flags: {@link TrainConfig#defaults()} where a flag is not given. */
  TrainConfig trainConfig() {
    return TrainConfig.defaults().withSteps(steps).withBatch(batch).withAccumulation(accumulation)
        .withLearningRates(lr, minLr).withWarmup(warmup).withWeightDecay(weightDecay).withGradClip(gradClip)
        .withOrder(OrderSchedule.parse(order)).withSeed(seed).withEvaluation(evalEvery, evalBatches).withCheckpointEvery(checkpointEvery);
  }

  @Override
  public Integer call() {
    Vocabulary vocabulary;
    Dataset dataset;
    Map<String, byte[]> extraFiles = Map.of();
    if (tokenizer != null && format != Format.text) {
      throw new IllegalArgumentException("--tokenizer applies to --format text only");
    }
    if (format == Format.text) {
      SourceFile.Text text = SourceFile.readText(data);
      if (tokenizer != null) {
        SubwordVocabulary subwords = SubwordVocabulary.read(tokenizer);
        vocabulary = subwords;
        extraFiles = Map.of(SubwordVocabulary.FILE_NAME, subwords.tokenizerJson());
      } else {
        vocabulary = CharacterVocabulary.fromText(text.text());
      }
      dataset = TextCorpus.of(text, vocabulary, block, valFraction);
    } else {
      TokenFile tokens = vocabSize == null ? TokenFile.read(data, valFraction) : TokenFile.read(data, vocabSize, valFraction);
      vocabulary = new IdVocabulary(tokens.vocabSize());
      dataset = tokens;
    }
    TrainConfig train = trainConfig();
    if (gaps) {
      train = train.withGaps(GapTraining.of(gapShare, gapSlots, maxGap, vocabulary));
    }
    // Gap training puts one length slot per gap after the window's positions (docs/algorithms.md#gaps-of-unknown-length).
    int positionsNeeded = dataset.sequenceLength() + (gaps ? gapSlots : 0);
    ModelConfig model = new ModelConfig(vocabulary.size(), positionsNeeded, layers, heads, dim, 4, dropout,
        PositionEncoding.valueOf(positions.toUpperCase().replace('-', '_')), bias, true);
    if (gaps) {
      train.gaps().layout().validate(model);
    }
    TrainingRun.Spec spec = new TrainingRun.Spec(out, model, train, dataset, vocabulary, extraFiles, device, threads);
    TrainingRun.Result result;
    try (TrainingProgress progress = new TrainingProgress("train", !noProgress)) {
      result = TrainingRun.run(spec, resume, progress);
    }
    Trainer.Evaluation e = result.evaluation();
    String validation = e == null ? "no validation loss recorded"
        : String.format("validation loss %.4f (%s), %.4f (left-to-right) nats/token", e.trainingOrderLoss(), e.trainingOrder(),
            e.leftToRightLoss());
    if (result.stepsThisRun() == 0) {
      System.out.printf("nothing to resume: %s already completed all %d steps; %s%n", out, result.steps(), validation);
      return 0;
    }
    System.out.printf("trained %d steps (%d this run) at %.0f tokens/s on %d thread%s (%.1f s of training steps, %.1f s evaluating, "
            + "%.1f s in total); %s; saved to %s%n",
        result.steps(), result.stepsThisRun(), result.tokensPerSecond(), result.threads(), result.threads() == 1 ? "" : "s",
        result.trainingSeconds(), result.evaluationSeconds(), result.seconds(), validation, out);
    return 0;
  }
}

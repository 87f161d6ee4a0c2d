package dev.anyorder.evaluation;

import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.data.IdVocabulary;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.orders.OrderKind;
import dev.anyorder.orders.OrderSchedule;
import dev.anyorder.sampling.PositionRule;
import dev.anyorder.sampling.Sample;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import dev.anyorder.tasks.Split;
import dev.anyorder.tasks.TaskInstance;
import dev.anyorder.tasks.images.FashionMnist;
import dev.anyorder.tasks.images.FashionMnistTask;
import dev.anyorder.tasks.images.ImageGrid;
import dev.anyorder.tasks.images.ImageMask;
import dev.anyorder.tasks.images.ImageTaskConfig;
import dev.anyorder.tasks.images.LabeledImages;
import dev.anyorder.training.TrainConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

/**
 * The image benchmark: a random-order σ-GPT (Pannatier, Courdier, Fleuret 2024) on quantized, downsampled
 * Fashion-MNIST, used zero-shot for the RandAR / ARPG capabilities: unconditional random-order
 * generation, inpainting (a missing centre box) and outpainting (a missing bottom half). Reports the NLL
 * of the held-out pixels given the rest and the pixel accuracy of completions per sampler, and writes PNG
 * grids: originals, prompts (magenta = missing) and completions.
 */
public final class ImageBenchmark {
  /** Images per grid row. */
  static final int GRID_COLUMNS = 8;

  private ImageBenchmark() {}

  /**
   * Runs the benchmark on the IDX files in {@code directory} (e.g. {@link FashionMnist#DEFAULT_DIRECTORY}).
   *
   * @param levels gray levels
   * @param downsample pooling factor
   */
  public static BenchReport run(Path directory, int levels, int downsample, BenchOptions options, String command) {
    LabeledImages train;
    LabeledImages test;
    try {
      train = FashionMnist.load(directory, Split.TRAIN);
      test = FashionMnist.load(directory, Split.TEST);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read Fashion-MNIST from " + directory
          + " (install Debian's dataset-fashion-mnist or pass --data)", e);
    }
    FashionMnistTask base = new FashionMnistTask(new ImageTaskConfig(levels, downsample, new ImageMask.Unconditional()), train, test);
    int h = base.height();
    int w = base.width();
    int boxH = Math.max(1, h / 2);
    FashionMnistTask inpaint = new FashionMnistTask(base.config().withMask(new ImageMask.Box((h - boxH) / 2, (w - w / 2) / 2,
        boxH, w / 2)), train, test);
    FashionMnistTask outpaint = new FashionMnistTask(base.config().withMask(new ImageMask.BottomHalf()), train, test);

    BenchReport report = new BenchReport("Images: random-order generation, inpainting and outpainting on " + base.name(), command);
    report.setting("data", directory.toString()).setting("task", base.name()).setting("gray levels", levels)
        .setting("downsample", downsample).setting("budget minutes", options.minutes()).setting("layers", options.layers())
        .setting("heads", options.heads()).setting("width", options.dim()).setting("batch", options.batch())
        .setting("learning rate", options.learningRate()).setting("training pool", Math.min(options.trainInstances(), train.count()))
        .setting("held-out images (at most)", options.evalInstances()).setting("temperature", options.temperature())
        .setting("seed", options.seed());
    TaskDataset data = TaskDataset.generate(base, Math.min(options.trainInstances(), train.count()), Math.min(64, test.count()),
        options.seed());
    ModelConfig modelConfig = new ModelConfig(levels, base.length(), options.layers(), options.heads(), options.dim(), 4, 0.0,
        options.positions(), false, true);
    OrderSchedule order = OrderSchedule.fixed(OrderKind.RANDOM);
    Path dir = options.modelDirectory(base.name() + "-random");
    TrainConfig trainConfig = options.trainConfig(order);
    TaskModelTrainer.Outcome trained;
    try (Progress.TrainingBar bar = options.progress().training("train random")) {
      // No recommended decoding: images have no one answer to find, and the library's default draws faithful samples.
      trained = TaskModelTrainer.trainOrReuse(dir, modelConfig, trainConfig, data, new IdVocabulary(levels),
          options.trainingSeconds(1), options.steps(), options.threads(), Optional.empty(), bar);
    }
    report.model("random", PuzzleBenchmark.modelFacts(dir, order, trained));
    Charts.lineChart(base.name() + ": training curves", "optimizer step", "loss (nats/pixel)", Charts.trainingCurves("random", dir),
        options.out().resolve("training-curves.png"));
    report.figure("training-curves.png", "Training and validation loss of the random-order image model.");

    List<SamplerVariant> suite = SamplerVariant.select(List.of(
        variant("sequential/random", SamplerConfig.defaults(SamplerKind.SEQUENTIAL), options),
        variant("speculative/random", SamplerConfig.defaults(SamplerKind.SPECULATIVE), options),
        variant("adaptive/margin", SamplerConfig.defaults(SamplerKind.ADAPTIVE).withRule(PositionRule.MARGIN), options)),
        options.samplers());
    double perRun = options.evaluationSeconds(2 * suite.size() + 1);
    List<SamplerResult> results = new ArrayList<>();
    try (AnyOrderModel model = AnyOrderModel.load(dir, "cpu", options.threads())) {
      // Unconditional random-order generation.
      List<SampleRequest> empty = Collections.nCopies(GRID_COLUMNS * 2, SampleRequest.unconditional(base.length()));
      List<int[]> generated = model.sampler(suite.get(0).config()).sample(empty).samples().stream().map(Sample::tokens).toList();
      writeGrid(base, generated, options.out().resolve("samples.png"));
      report.figure("samples.png", "Unconditional random-order samples (" + suite.get(0).label() + ").");
      for (FashionMnistTask task : List.of(inpaint, outpaint)) {
        String kind = task == inpaint ? "inpainting" : "outpainting";
        List<TaskInstance> heldOut = task.generate(Split.TEST, Math.min(options.evalInstances(), test.count()),
            Split.mix(options.seed() + 77));
        double randomNats = TextBenchmark.meanNats(model.scorer(), heldOut.stream().map(TaskInstance::sequence).toList(),
            heldOut.stream().map(TaskInstance::known).toList(), OrderKind.RANDOM, options.seed());
        double rasterNats = TextBenchmark.meanNats(model.scorer(), heldOut.stream().map(TaskInstance::sequence).toList(),
            heldOut.stream().map(TaskInstance::known).toList(), OrderKind.LEFT_TO_RIGHT, options.seed());
        report.measurement("NLL of held-out pixels", kind + ", random order of the missing pixels", randomNats, "nats/pixel");
        report.measurement("NLL of held-out pixels", kind + ", raster order of the missing pixels", rasterNats, "nats/pixel");
        for (SamplerVariant v : suite) {
          long deadline = System.nanoTime() + (long) (perRun * 1e9);
          TaskEvaluator.Outcome o = TaskEvaluator.evaluate(model, kind, task, heldOut, v, options.evalBatch(), deadline,
              options.progress());
          results.add(o.result());
          report.result(o.result());
          if (v == suite.get(0)) {
            int n = Math.min(GRID_COLUMNS, o.generated().size());
            List<int[]> grid = new ArrayList<>();
            heldOut.subList(0, n).forEach(i -> grid.add(i.sequence()));
            heldOut.subList(0, n).forEach(i -> grid.add(i.prompt()));
            grid.addAll(o.generated().subList(0, n));
            String file = kind + ".png";
            writeGrid(task, grid, options.out().resolve(file));
            report.figure(file, kind + " of held-out images with " + v.label() + ": originals (top row), prompts with the"
                + " missing pixels in magenta (middle row), completions (bottom row).");
          }
        }
      }
    }
    Charts.qualityVsNfe(base.name() + ": pixel accuracy against NFE", "pixelAccuracy", results,
        options.out().resolve("quality-vs-nfe.png"));
    report.figure("quality-vs-nfe.png", "Pixel accuracy of completed regions against NFE per image.");
    report.note("Pixel accuracy counts exact gray levels of the missing pixels; several completions are plausible, so it"
        + " is a rough quality signal, and the NLL rows are the calibrated measure.");
    report.write(options.out());
    return report;
  }

  private static SamplerVariant variant(String label, SamplerConfig config, BenchOptions options) {
    return new SamplerVariant(label, config.withTemperature(options.temperature()).withSeed(options.seed()));
  }

  private static void writeGrid(FashionMnistTask task, List<int[]> images, Path png) {
    try {
      ImageGrid.write(task, images, GRID_COLUMNS, png);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write " + png, e);
    }
  }
}

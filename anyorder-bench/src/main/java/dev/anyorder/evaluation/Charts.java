package dev.anyorder.evaluation;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyorder.training.TrainingRun;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG charts of benchmark reports, drawn with XChart: training curves read from a model directory's
 * {@code metrics.jsonl}, and task quality against network evaluations (NFE) per sampler, the trade-off
 * the σ-GPT paper (Pannatier, Courdier, Fleuret 2024) reports for burst sampling. Headless.
 */
public final class Charts {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Charts() {}

  /**
   * One curve of a training run: steps and values.
   *
   * @param label legend entry
   * @param steps x values
   * @param values y values, same length
   */
  public record Curve(String label, double[] steps, double[] values) {
    public Curve {
      if (steps.length != values.length) {
        throw new IllegalArgumentException("curve '" + label + "' has " + steps.length + " steps but " + values.length + " values");
      }
      steps = steps.clone();
      values = values.clone();
    }
  }

  /**
   * The curves of a model directory's {@code metrics.jsonl}: training loss (smoothed over 10 steps), and
   * validation loss under the training order and under left-to-right, labelled with {@code name}.
   */
  public static List<Curve> trainingCurves(String name, Path modelDirectory) {
    Path file = modelDirectory.resolve(TrainingRun.METRICS_FILE);
    List<double[]> train = new ArrayList<>();
    List<double[]> val = new ArrayList<>();
    List<double[]> valL2r = new ArrayList<>();
    try {
      for (String line : Files.readAllLines(file)) {
        if (line.isBlank()) {
          continue;
        }
        JsonNode n = JSON.readTree(line);
        double step = n.path("step").asDouble();
        if ("train".equals(n.path("kind").asText())) {
          train.add(new double[] {step, n.path("loss").asDouble()});
        } else if ("eval".equals(n.path("kind").asText())) {
          val.add(new double[] {step, n.path("valLoss").asDouble()});
          valL2r.add(new double[] {step, n.path("valLossLeftToRight").asDouble()});
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
    List<Curve> out = new ArrayList<>();
    if (!train.isEmpty()) {
      double[] s = new double[train.size()];
      double[] v = new double[train.size()];
      double sum = 0;
      for (int i = 0; i < train.size(); i++) {
        sum += train.get(i)[1] - (i >= 10 ? train.get(i - 10)[1] : 0);
        s[i] = train.get(i)[0];
        v[i] = sum / Math.min(i + 1, 10);
      }
      out.add(new Curve(name + " train", s, v));
    }
    if (!val.isEmpty()) {
      out.add(curve(name + " val (training order)", val));
      out.add(curve(name + " val (left-to-right)", valL2r));
    }
    return out;
  }

  private static Curve curve(String label, List<double[]> points) {
    return new Curve(label, points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray());
  }

  /** Writes a line chart of {@code curves} (loss in nats/token against optimizer step). */
  public static void lineChart(String title, String xTitle, String yTitle, List<Curve> curves, Path png) {
    XYChart chart = new XYChartBuilder().width(800).height(500).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
    for (Curve c : curves) {
      if (c.steps().length == 0) {
        continue;
      }
      XYSeries s = chart.addSeries(c.label(), c.steps(), c.values());
      s.setMarker(c.steps().length > 30 ? SeriesMarkers.NONE : SeriesMarkers.CIRCLE);
    }
    save(chart, png);
  }

  /**
   * Writes a scatter chart of a quality metric against NFE per instance, one series per model, each
   * point labelled by its sampler in the legend order of {@code results}.
   */
  public static void qualityVsNfe(String title, String metric, List<SamplerResult> results, Path png) {
    XYChart chart = new XYChartBuilder().width(900).height(550).title(title).xAxisTitle("NFE per instance (log scale)")
        .yAxisTitle(metric).build();
    chart.getStyler().setXAxisLogarithmic(true);
    chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
    chart.getStyler().setMarkerSize(10);
    Map<String, List<SamplerResult>> bySampler = new LinkedHashMap<>();
    for (SamplerResult r : results) {
      bySampler.computeIfAbsent(r.model() + " / " + r.sampler(), k -> new ArrayList<>()).add(r);
    }
    for (Map.Entry<String, List<SamplerResult>> e : bySampler.entrySet()) {
      double[] x = e.getValue().stream().mapToDouble(r -> Math.max(r.nfePerInstance(), 1e-3)).toArray();
      double[] y = e.getValue().stream().mapToDouble(r -> r.metric(metric)).toArray();
      chart.addSeries(e.getKey(), x, y);
    }
    save(chart, png);
  }

  private static void save(XYChart chart, Path png) {
    try {
      Files.createDirectories(png.toAbsolutePath().getParent());
      Path tmp = png.resolveSibling(png.getFileName() + ".tmp.png");
      BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
      Files.move(tmp, png, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("could not write chart " + png, e);
    }
  }
}

package dev.anyorder.evaluation;

import dev.anyorder.density.ScoreRequest;
import dev.anyorder.density.Scorer;
import dev.anyorder.model.Network;
import dev.anyorder.sampling.Sample;
import dev.anyorder.sampling.SampleBatch;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.Sampler;
import dev.anyorder.sampling.SamplerConfig;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Runs several samplers on the same requests, side by side in one process, and reports what matters for
 * parallel decoding: tokens per network call, network rows per token (the arithmetic a saving in calls
 * costs), wall-clock tokens per second, and the model's own mean NLL of what was generated (for an exact
 * sampler it must match sequential sampling within noise). Ratios are taken against the first sampler, the
 * sequential reference.
 *
 * <p>Timing: every sampler first decodes the whole request set once untimed, so the JIT has compiled each
 * one's path before any clock starts. Then {@code repeats} rounds each time every sampler once on the whole
 * set, in turn, so a drift in the machine's speed (another process, frequency) falls on all samplers alike;
 * a sampler's time is its median round. Samplers are seeded per sequence, so every round decodes the same
 * tokens.
 */
public final class SamplerBenchmark {
  private SamplerBenchmark() {}

  /** One sampler's results on a scenario; {@code seconds} is the median round. */
  public record Row(String name, int sequences, long tokens, long nfe, long rows, double seconds, double meanNll,
      double nllStandardError, double tokensPerNfe, double rowsPerToken, double tokensPerSecond, double nfeRatio, double speedup) {}

  /** A named sampler configuration. */
  public record Entry(String name, SamplerConfig config) {}

  /**
   * Samples {@code requests} with every entry (in batches of {@code batch}), timing {@code repeats} rounds
   * after one untimed one, then scores every generated sequence under one fixed order (known first, targets
   * left to right) with the same network.
   */
  public static List<Row> run(Network network, List<Entry> entries, List<SampleRequest> requests, int batch, int repeats) {
    if (repeats < 1) {
      throw new IllegalArgumentException("repeats must be at least 1, got " + repeats);
    }
    MeteredNetwork metered = new MeteredNetwork(network);
    List<Sampler> samplers = new ArrayList<>();
    List<List<Sample>> outputs = new ArrayList<>();
    long[] rows = new long[entries.size()];
    for (int e = 0; e < entries.size(); e++) {
      Sampler sampler = Sampler.create(metered, entries.get(e).config());
      samplers.add(sampler);
      metered.reset();
      outputs.add(decode(sampler, requests, batch));
      rows[e] = metered.rows();
    }
    double[][] seconds = new double[entries.size()][repeats];
    for (int r = 0; r < repeats; r++) {
      for (int e = 0; e < entries.size(); e++) {
        long start = System.nanoTime();
        decode(samplers.get(e), requests, batch);
        seconds[e][r] = (System.nanoTime() - start) / 1e9;
      }
    }
    Scorer scorer = new Scorer(network);
    List<Row> result = new ArrayList<>();
    Row reference = null;
    for (int e = 0; e < entries.size(); e++) {
      List<Sample> samples = outputs.get(e);
      long tokens = 0;
      long nfe = 0;
      double[] nll = new double[samples.size()];
      for (int i = 0; i < samples.size(); i++) {
        Sample s = samples.get(i);
        tokens += s.generated();
        nfe += s.nfe();
        boolean[] known = requests.get(i).knownMask();
        int[] targets = IntStream.range(0, known.length).filter(p -> !known[p]).toArray();
        nll[i] = scorer.score(new ScoreRequest(s.tokens(), known, targets)).natsPerToken();
      }
      double mean = Arrays.stream(nll).average().orElse(Double.NaN);
      double var = Arrays.stream(nll).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, nll.length - 1);
      double se = Math.sqrt(var / Math.max(1, nll.length));
      double median = median(seconds[e]);
      double tps = tokens / median;
      Row row = new Row(entries.get(e).name(), samples.size(), tokens, nfe, rows[e], median, mean, se,
          tokens / (double) Math.max(1, nfe), rows[e] / (double) Math.max(1, tokens), tps,
          reference == null ? 1 : nfe / (double) reference.nfe(), reference == null ? 1 : tps / reference.tokensPerSecond());
      if (reference == null) {
        reference = row;
      }
      result.add(row);
    }
    return result;
  }

  private static List<Sample> decode(Sampler sampler, List<SampleRequest> requests, int batch) {
    List<Sample> samples = new ArrayList<>(requests.size());
    for (int i = 0; i < requests.size(); i += batch) {
      SampleBatch b = sampler.sample(requests.subList(i, Math.min(requests.size(), i + batch)));
      samples.addAll(b.samples());
    }
    return samples;
  }

  private static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  }
}

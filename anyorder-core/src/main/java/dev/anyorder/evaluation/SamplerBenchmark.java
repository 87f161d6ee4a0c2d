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
import java.util.List;
import java.util.stream.IntStream;

/**
 * Runs several samplers on the same requests, side by side in one process, and reports what matters for
 * parallel decoding: tokens per network call, wall-clock tokens per second, and the model's own mean NLL
 * of what was generated (for an exact sampler it must match sequential sampling within noise). Ratios are
 * taken against the first sampler, the sequential reference. Each sampler first decodes the first request
 * once untimed, so the JIT and the engine are warm for every timed run, the reference's included.
 */
public final class SamplerBenchmark {
  private SamplerBenchmark() {}

  /** One sampler's results on a scenario. */
  public record Row(String name, int sequences, long tokens, long nfe, double seconds, double meanNll, double nllStandardError,
      double tokensPerNfe, double tokensPerSecond, double nfeRatio, double speedup) {}

  /** A named sampler configuration. */
  public record Entry(String name, SamplerConfig config) {}

  /**
   * Samples {@code requests} with every entry (in batches of {@code batch}), then scores every generated
   * sequence under one fixed order (known first, targets left to right) with the same network.
   */
  public static List<Row> run(Network network, List<Entry> entries, List<SampleRequest> requests, int batch) {
    Scorer scorer = new Scorer(network);
    List<Row> rows = new ArrayList<>();
    Row reference = null;
    for (Entry e : entries) {
      Sampler sampler = Sampler.create(network, e.config());
      sampler.sample(requests.subList(0, 1)); // warm-up, untimed
      long tokens = 0;
      long nfe = 0;
      List<Sample> samples = new ArrayList<>();
      long start = System.nanoTime();
      for (int i = 0; i < requests.size(); i += batch) {
        SampleBatch b = sampler.sample(requests.subList(i, Math.min(requests.size(), i + batch)));
        for (Sample s : b.samples()) {
          tokens += s.generated();
          nfe += s.nfe();
        }
        samples.addAll(b.samples());
      }
      double seconds = (System.nanoTime() - start) / 1e9;
      double[] nll = new double[samples.size()];
      for (int i = 0; i < samples.size(); i++) {
        SampleRequest r = requests.get(i);
        boolean[] known = r.knownMask();
        int[] targets = IntStream.range(0, known.length).filter(p -> !known[p]).toArray();
        nll[i] = scorer.score(new ScoreRequest(samples.get(i).tokens(), known, targets)).natsPerToken();
      }
      double mean = java.util.Arrays.stream(nll).average().orElse(Double.NaN);
      double var = java.util.Arrays.stream(nll).map(x -> (x - mean) * (x - mean)).sum() / Math.max(1, nll.length - 1);
      double se = Math.sqrt(var / Math.max(1, nll.length));
      double tpn = tokens / (double) Math.max(1, nfe);
      double tps = tokens / seconds;
      Row row = new Row(e.name(), samples.size(), tokens, nfe, seconds, mean, se, tpn, tps,
          reference == null ? 1 : nfe / (double) reference.nfe(), reference == null ? 1 : tps / reference.tokensPerSecond());
      if (reference == null) {
        reference = row;
      }
      rows.add(row);
    }
    return rows;
  }
}

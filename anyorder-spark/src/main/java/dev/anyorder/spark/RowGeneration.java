package dev.anyorder.spark;

import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.RequestBuilder;
import dev.anyorder.sampling.CommitListener;
import dev.anyorder.sampling.InvalidSettingException;
import dev.anyorder.sampling.SampleBatch;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.SequenceSeed;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Draws {@code numSamples} sequences per row after the row's prompt ({@link RequestBuilder#sampleRequest}),
 * all sequences of a batch in one sampler call; sequence {@code i} of a row draws from stream {@code i} of
 * the row's seed.
 */
final class RowGeneration extends BatchedPartition<RowGeneration.Prepared> {
  private static final long serialVersionUID = 1L;

  record Prepared(SampleRequest request, long seed) {}

  private final SampleOptions options;
  private final int promptIndex;

  RowGeneration(ModelSource source, SampleOptions options, int promptIndex, int seedIndex) {
    super(source, options.job(), seedIndex);
    this.options = options;
    this.promptIndex = promptIndex;
  }

  @Override
  Prepared prepare(AnyOrderModel model, Row row) {
    String prompt = row.isNullAt(promptIndex) ? null : row.getString(promptIndex);
    int length = options.length() == 0 ? model.contentLength() : options.length();
    try {
      SampleRequest request = RequestBuilder.sampleRequest(model.config(), model.vocabulary(), length, prompt, null);
      return new Prepared(request, rowSeed(options.sampler().seed(), row, prompt));
    } catch (InvalidSettingException e) {
      throw new IllegalArgumentException(e.setting() + ": " + e.getMessage(), e);
    }
  }

  @Override
  List<Object[]> run(AnyOrderModel model, List<Prepared> prepared) {
    int n = options.sampler().numSamples();
    List<SampleRequest> requests = new ArrayList<>(prepared.size() * n);
    List<SequenceSeed> seeds = new ArrayList<>(prepared.size() * n);
    for (Prepared p : prepared) {
      for (int i = 0; i < n; i++) {
        requests.add(p.request());
        seeds.add(new SequenceSeed(p.seed(), i));
      }
    }
    SampleBatch batch = model.sampler(options.sampler()).sample(requests, seeds, CommitListener.NONE);
    List<Object[]> out = new ArrayList<>(prepared.size());
    for (int r = 0; r < prepared.size(); r++) {
      // Spark takes arrays of an array column's element type (boxed) as the external form.
      String[] texts = new String[n];
      Double[] logProbs = new Double[n];
      for (int i = 0; i < n; i++) {
        var s = batch.samples().get(r * n + i);
        texts[i] = model.decode(s.tokens());
        logProbs[i] = s.logProb();
      }
      out.add(new Object[] {texts, logProbs});
    }
    return out;
  }

  @Override
  int resultColumns() {
    return 2;
  }
}

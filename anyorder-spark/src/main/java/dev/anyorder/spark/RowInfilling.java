package dev.anyorder.spark;

import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.sampling.CommitListener;
import dev.anyorder.sampling.Sample;
import dev.anyorder.sampling.SampleBatch;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.SequenceSeed;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Fills the unknown tokens of each row, all rows of a batch in one sampler call, each row drawing from its
 * own seed: placeholders of a text column ({@link AnyOrderModel#infill}), or nulls in an array-of-ids column.
 */
final class RowInfilling extends BatchedPartition<RowInfilling.Prepared> {
  private static final long serialVersionUID = 1L;

  record Prepared(SampleRequest request, long seed) {}

  private final SampleOptions options;
  private final int column;
  private final boolean text;

  RowInfilling(ModelSource source, SampleOptions options, int column, boolean text, int seedIndex) {
    super(source, options.job(), seedIndex);
    this.options = options;
    this.column = column;
    this.text = text;
  }

  @Override
  Prepared prepare(AnyOrderModel model, Row row) {
    if (row.isNullAt(column)) {
      throw new IllegalArgumentException("the " + (text ? "text" : "token list") + " is null");
    }
    if (text) {
      String template = row.getString(column);
      return new Prepared(model.infill(template, options.placeholder()), rowSeed(options.sampler().seed(), row, template));
    }
    List<Object> ids = row.getList(column);
    int[] given = new int[ids.size()];
    for (int i = 0; i < given.length; i++) {
      given[i] = ids.get(i) == null ? SampleRequest.UNKNOWN : ((Number) ids.get(i)).intValue();
      if (given[i] < 0 && ids.get(i) != null) {
        throw new IllegalArgumentException("token " + given[i] + " at position " + i + " is negative");
      }
    }
    return new Prepared(new SampleRequest(given).validate(model.config()), rowSeed(options.sampler().seed(), row, ids.toString()));
  }

  @Override
  List<Object[]> run(AnyOrderModel model, List<Prepared> prepared) {
    List<SampleRequest> requests = new ArrayList<>(prepared.size());
    List<SequenceSeed> seeds = new ArrayList<>(prepared.size());
    for (Prepared p : prepared) {
      requests.add(p.request());
      seeds.add(new SequenceSeed(p.seed(), 0));
    }
    SampleBatch batch = model.sampler(options.sampler()).sample(requests, seeds, CommitListener.NONE);
    List<Object[]> out = new ArrayList<>(prepared.size());
    for (Sample s : batch.samples()) {
      Object filled;
      if (text) {
        filled = model.decode(s.tokens());
      } else {
        Integer[] ids = new Integer[s.tokens().length]; // Spark's external form of array<int>
        for (int i = 0; i < ids.length; i++) {
          ids[i] = s.tokens()[i];
        }
        filled = ids;
      }
      out.add(new Object[] {filled, s.logProb(), s.nfe()});
    }
    return out;
  }

  @Override
  int resultColumns() {
    return 3;
  }
}

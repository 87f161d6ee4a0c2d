package dev.anyorder.spark;

import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.TextTemplate;
import dev.anyorder.sampling.CommitListener;
import dev.anyorder.sampling.GapFill;
import dev.anyorder.sampling.GapRequest;
import dev.anyorder.sampling.GapSampler;
import dev.anyorder.sampling.Sample;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.SequenceSeed;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Fills the unknown tokens of each row, all rows of a batch in one sampler call, each row drawing from its
 * own seed: placeholders of a text column ({@link AnyOrderModel#infill}), or nulls in an array-of-ids column.
 * A text with gaps of unknown length ({@code {...}}, {@code {...N}}; {@link AnyOrderModel#gaps}) is filled by
 * the {@link GapSampler}, its log-probability including the lengths drawn.
 */
final class RowInfilling extends BatchedPartition<RowInfilling.Prepared> {
  private static final long serialVersionUID = 1L;

  /** A row's work: a fixed-length request, or (when {@code gaps} is not null) one with gaps of unknown length. */
  record Prepared(SampleRequest request, GapRequest gaps, long seed) {
    Prepared(SampleRequest request, long seed) {
      this(request, null, seed);
    }
  }

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
      if (TextTemplate.hasGapsOfUnknownLength(template)) {
        return new Prepared(null, model.gaps(template, options.placeholder()), rowSeed(options.sampler().seed(), row, template));
      }
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
    List<GapRequest> gapRequests = new ArrayList<>();
    List<SequenceSeed> gapSeeds = new ArrayList<>();
    for (Prepared p : prepared) {
      if (p.gaps() != null) {
        gapRequests.add(p.gaps());
        gapSeeds.add(new SequenceSeed(p.seed(), 0));
      } else {
        requests.add(p.request());
        seeds.add(new SequenceSeed(p.seed(), 0));
      }
    }
    List<Sample> samples = requests.isEmpty() ? List.of()
        : model.sampler(options.sampler()).sample(requests, seeds, CommitListener.NONE).samples();
    List<GapFill> fills = gapRequests.isEmpty() ? List.of()
        : new GapSampler(model.network(), model.gapLayout().orElseThrow(), options.sampler()).sample(gapRequests, gapSeeds);
    List<Object[]> out = new ArrayList<>(prepared.size());
    int nextSample = 0;
    int nextFill = 0;
    for (Prepared p : prepared) {
      if (p.gaps() != null) {
        GapFill f = fills.get(nextFill++);
        out.add(new Object[] {model.decode(f.tokens()), f.logProb(), f.nfe()});
        continue;
      }
      Sample s = samples.get(nextSample++);
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

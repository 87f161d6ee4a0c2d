package dev.anyorder.spark;

import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.ScoreSettings;
import dev.anyorder.density.OrderScore;
import dev.anyorder.density.ScoreRequest;
import dev.anyorder.density.Scorer;
import dev.anyorder.sampling.InvalidSettingException;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;

/**
 * Scores the text of each row with the classes {@code anyorder score} uses ({@link ScoreSettings},
 * {@link Scorer}): one order per row, batched across the rows of a batch, or the order-free estimate, whose
 * orders are batched per row.
 */
final class RowScoring extends BatchedPartition<RowScoring.Prepared> {
  private static final long serialVersionUID = 1L;

  record Prepared(ScoreSettings settings, ScoreRequest request) {}

  private final ScoreOptions options;
  private final int textIndex;

  RowScoring(ModelSource source, ScoreOptions options, int textIndex, int seedIndex) {
    super(source, options.job(), seedIndex);
    this.options = options;
    this.textIndex = textIndex;
  }

  @Override
  Prepared prepare(AnyOrderModel model, Row row) {
    if (row.isNullAt(textIndex)) {
      throw new IllegalArgumentException("the text is null");
    }
    String text = row.getString(textIndex);
    int[] tokens = model.vocabulary().encode(text);
    // The row's settings are the job's with the row's own seed; they draw the orders as every front end does.
    ScoreSettings settings = options.settings().withSeed(rowSeed(options.seed(), row, text));
    try {
      return new Prepared(settings, settings.request(model.config(), tokens));
    } catch (InvalidSettingException e) {
      throw new IllegalArgumentException(e.setting() + ": " + e.getMessage(), e);
    }
  }

  @Override
  List<Object[]> run(AnyOrderModel model, List<Prepared> prepared) {
    Scorer scorer = model.scorer();
    List<Object[]> out = new ArrayList<>(prepared.size());
    if (options.orders() == 1) {
      List<ScoreRequest> requests = new ArrayList<>(prepared.size());
      prepared.forEach(p -> requests.add(p.request()));
      for (OrderScore s : scorer.scoreAll(requests)) {
        out.add(new Object[] {s.logProb(), s.natsPerToken(), s.targets()});
      }
    } else {
      for (Prepared p : prepared) {
        ScoreSettings.Result s = p.settings().score(scorer, p.request());
        out.add(new Object[] {s.logProb(), s.natsPerToken(), s.targets(), s.standardError()});
      }
    }
    return out;
  }

  @Override
  int resultColumns() {
    return options.orders() == 1 ? 3 : 4;
  }
}

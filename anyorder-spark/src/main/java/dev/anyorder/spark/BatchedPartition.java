package dev.anyorder.spark;

import dev.anyorder.api.AnyOrderModel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.util.TaskCompletionListener;

/**
 * A partition run in batches on one model replica of this executor: the task borrows the replica when it
 * reaches its first row and hands it back when the task ends, and every {@link JobOptions#batchSize()}
 * rows make one batched evaluation. Output rows are the input row's values followed by the results, one
 * output row per input row, in input order.
 *
 * <p>Each subclass turns a row into a prepared unit of work (or the message of why it cannot), then runs
 * the prepared rows of a batch together. If a batch fails as a whole with errors in a column, its rows
 * are retried one by one so only the bad row carries the error.
 *
 * @param <P> a prepared row
 */
abstract class BatchedPartition<P> implements MapPartitionsFunction<Row, Row> {
  private static final long serialVersionUID = 1L;

  final ModelSource source;
  final JobOptions job;
  private final int seedIndex;

  /** {@code seedIndex}: the index of {@link JobOptions#seedColumn()} in the input rows, or -1. */
  BatchedPartition(ModelSource source, JobOptions job, int seedIndex) {
    this.source = source;
    this.job = job;
    this.seedIndex = seedIndex;
  }

  /** The row's work, or throws IllegalArgumentException saying what is wrong with it. */
  abstract P prepare(AnyOrderModel model, Row row);

  /** The result values of each prepared row, in order, from one batched evaluation. */
  abstract List<Object[]> run(AnyOrderModel model, List<P> prepared);

  /** Result values of a row that failed: nulls, one per result column. */
  abstract int resultColumns();

  @Override
  public Iterator<Row> call(Iterator<Row> input) {
    return new Iterator<>() {
      private ExecutorModels.Lease lease;
      private Iterator<Row> ready = Collections.emptyIterator();

      @Override
      public boolean hasNext() {
        while (!ready.hasNext() && input.hasNext()) {
          List<Row> batch = new ArrayList<>(job.batchSize());
          while (batch.size() < job.batchSize() && input.hasNext()) {
            batch.add(input.next());
          }
          ready = process(model(), batch).iterator();
        }
        if (!ready.hasNext() && lease != null) {
          lease.close();
        }
        return ready.hasNext();
      }

      @Override
      public Row next() {
        if (!hasNext()) {
          throw new NoSuchElementException();
        }
        return ready.next();
      }

      private AnyOrderModel model() {
        if (lease == null) {
          ExecutorModels.Lease l = ExecutorModels.borrow(source, job.backend(), job.weights());
          lease = l;
          TaskContext task = TaskContext.get();
          if (task != null) { // a failed or abandoned task hands the replica back too
            task.addTaskCompletionListener(new TaskCompletionListener() {
              @Override
              public void onTaskCompletion(TaskContext context) {
                l.close();
              }
            });
          }
        }
        return lease.model();
      }
    };
  }

  private List<Row> process(AnyOrderModel model, List<Row> rows) {
    Object[][] results = new Object[rows.size()][];
    String[] errors = new String[rows.size()];
    List<P> prepared = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < rows.size(); i++) {
      try {
        prepared.add(prepare(model, rows.get(i)));
        at.add(i);
      } catch (IllegalArgumentException e) {
        errors[i] = fail(rows.get(i), e);
      }
    }
    if (!prepared.isEmpty()) {
      try {
        List<Object[]> out = run(model, prepared);
        for (int j = 0; j < out.size(); j++) {
          results[at.get(j)] = out.get(j);
        }
      } catch (RuntimeException batchFailure) {
        if (job.onError() == OnError.FAIL || prepared.size() == 1) {
          if (prepared.size() == 1) {
            errors[at.get(0)] = fail(rows.get(at.get(0)), batchFailure);
          } else {
            throw batchFailure;
          }
        } else {
          for (int j = 0; j < prepared.size(); j++) {
            try {
              results[at.get(j)] = run(model, List.of(prepared.get(j))).get(0);
            } catch (RuntimeException e) {
              errors[at.get(j)] = fail(rows.get(at.get(j)), e);
            }
          }
        }
      }
    }
    List<Row> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      Row row = rows.get(i);
      int extra = resultColumns() + (job.onError() == OnError.COLUMN ? 1 : 0);
      Object[] values = new Object[row.length() + extra];
      for (int c = 0; c < row.length(); c++) {
        values[c] = row.get(c);
      }
      if (results[i] != null) {
        System.arraycopy(results[i], 0, values, row.length(), resultColumns());
      }
      if (job.onError() == OnError.COLUMN) {
        values[values.length - 1] = errors[i];
      }
      out.add(RowFactory.create(values));
    }
    return out;
  }

  /** The row's error message, or with {@link OnError#FAIL} the exception that fails the task. */
  private String fail(Row row, RuntimeException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    if (job.onError() == OnError.FAIL) {
      throw new IllegalArgumentException("row " + abbreviated(row) + ": " + message, e);
    }
    return message;
  }

  private static String abbreviated(Row row) {
    String s = row.toString();
    return s.length() > 200 ? s.substring(0, 200) + "...]" : s;
  }

  /**
   * The seed of {@code row}: its seed column's value when the job names one (used as is, like the {@code seed}
   * of an HTTP request, so a row and a request with one seed get one result), else derived from the job's seed
   * and {@code key}, its input.
   */
  long rowSeed(long jobSeed, Row row, String key) {
    if (seedIndex < 0) {
      return RowSeeds.of(jobSeed, key);
    }
    if (row.isNullAt(seedIndex)) {
      throw new IllegalArgumentException("the seed column " + job.seedColumn() + " is null");
    }
    return ((Number) row.get(seedIndex)).longValue();
  }
}

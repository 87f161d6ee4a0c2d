package dev.anyorder.model.java;

import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network.CallResult;
import dev.anyorder.model.Network.SequenceCall;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.Step;
import dev.anyorder.model.WeightFormat;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH microbenchmark of one pure-Java network call, the unit every sampler pays per NFE: one row (a
 * sequential decode step), eight rows of one sequence (a speculative verification of eight drafts), a
 * batch of eight sequences of one row each, and 32 queries for each of eight sequences (a step of adaptive
 * decoding). Each call extends sequences whose caches hold half the model's maximum length and then rolls
 * them back (queries leave no trace), so every iteration sees the same context. Parameters: the weight
 * format (float32 or bfloat16) and the threads.
 *
 * <p>Two model shapes with random weights (speed does not depend on the values): {@code kjv}, the 4-layer,
 * width-128, block-64 character model of the KJV benchmarks (0.8M parameters, 3 MB of weights that stay in
 * cache), and {@code wide}, 6 layers, width 384, block 256 (11M parameters, 42 MB: every call streams the
 * weights from memory). Run it with (add {@code -prof gc} for the allocation per call):
 *
 * <pre>
 * ./mvnw -q -B test-compile dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/test-classpath.txt
 * java --add-modules jdk.incubator.vector -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *     org.openjdk.jmh.Main JavaNetworkBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
public class JavaNetworkBenchmark {
  @Param({"kjv", "wide"})
  public String model;

  @Param({"1", "2"})
  public int threads;

  /** How the weight matrices are stored: bfloat16 halves the bytes a call streams. */
  @Param({"float32", "bfloat16"})
  public String weights;

  private JavaNetwork network;
  private JavaDecodeState single;
  private JavaDecodeState batch;
  private List<SequenceCall> oneRow;
  private List<SequenceCall> eightRows;
  private List<SequenceCall> eightSequences;
  private List<SequenceCall> eightSequencesOfQueries;

  static ModelConfig config(String model) {
    return switch (model) {
      case "kjv" -> new ModelConfig(63, 64, 4, 4, 128, 4, 0.0, PositionEncoding.LEARNED, false, true);
      case "wide" -> new ModelConfig(63, 256, 6, 6, 384, 4, 0.0, PositionEncoding.LEARNED, false, true);
      default -> throw new IllegalArgumentException("unknown model " + model + " (kjv or wide)");
    };
  }

  @Setup(Level.Trial)
  public void setUp() {
    ModelConfig c = config(model);
    network = new JavaNetwork(c, JavaNetworkBatchingTest.randomWeights(c, 1), threads, WeightFormat.parse(weights));
    SplittableRandom rng = new SplittableRandom(1);
    int context = c.maxLength() / 2;
    single = network.newState(1);
    network.call(single, List.of(SequenceCall.extend(steps(c, rng, context), 0)));
    batch = network.newState(8);
    List<SequenceCall> prefixes = new ArrayList<>();
    for (int b = 0; b < 8; b++) {
      prefixes.add(SequenceCall.extend(steps(c, rng, context), 0));
    }
    network.call(batch, prefixes);
    oneRow = List.of(SequenceCall.extend(steps(c, rng, 1), 1));
    eightRows = List.of(SequenceCall.extend(steps(c, rng, 8), 8));
    List<SequenceCall> each = new ArrayList<>();
    for (int b = 0; b < 8; b++) {
      each.add(SequenceCall.extend(steps(c, rng, 1), 1));
    }
    eightSequences = Collections.unmodifiableList(each);
    List<SequenceCall> queries = new ArrayList<>();
    for (int b = 0; b < 8; b++) {
      queries.add(SequenceCall.query(steps(c, rng, 32)));
    }
    eightSequencesOfQueries = Collections.unmodifiableList(queries);
  }

  static List<Step> steps(ModelConfig c, SplittableRandom rng, int n) {
    List<Step> s = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      s.add(new Step(rng.nextInt(c.vocabSize()), rng.nextInt(c.maxLength()), rng.nextInt(c.maxLength())));
    }
    return s;
  }

  @TearDown(Level.Trial)
  public void tearDown() {
    network.close();
  }

  /** One sequential decode step. */
  @Benchmark
  public List<CallResult> oneRowCall() {
    List<CallResult> r = network.call(single, oneRow);
    single.rollback(0, 1);
    return r;
  }

  /** Eight extension rows of one sequence in one call. */
  @Benchmark
  public List<CallResult> eightRowCall() {
    List<CallResult> r = network.call(single, eightRows);
    single.rollback(0, 8);
    return r;
  }

  /** Thirty-two queries for each of eight sequences in one call (a step of adaptive decoding). */
  @Benchmark
  public List<CallResult> batchOfEightThirtyTwoQueries() {
    return network.call(batch, eightSequencesOfQueries);
  }

  /** One row for each of eight sequences in one call. */
  @Benchmark
  public List<CallResult> batchOfEightOneRowCalls() {
    List<CallResult> r = network.call(batch, eightSequences);
    for (int b = 0; b < 8; b++) {
      batch.rollback(b, 1);
    }
    return r;
  }
}

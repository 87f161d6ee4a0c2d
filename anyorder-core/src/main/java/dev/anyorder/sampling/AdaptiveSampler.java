package dev.anyorder.sampling;

import dev.anyorder.model.DecodeState;
import dev.anyorder.model.Network;
import dev.anyorder.model.Network.CallResult;
import dev.anyorder.model.Network.SequenceCall;
import dev.anyorder.model.Step;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Adaptive-order decoding after Kim et al., "Train for the Worst, Plan for the Best: Understanding Token
 * Ordering in Masked Diffusions" (2025), on a σ-GPT (docs/algorithms.md#adaptive-decoding). Each step asks one-pass
 * conditionals for every remaining position in one evaluation, ranks the positions by a
 * {@link PositionRule} (optionally perturbed by Gumbel noise, which turns the arg-max into a softmax-like
 * random choice) and commits the best {@code k}, each token drawn from its own conditional.
 *
 * <p>A decoding strategy, not an exact sampler of the joint: the order depends on the tokens, and with
 * {@code k > 1} the tokens of one step are drawn independently. The positions committed in one step enter
 * the cache in the order they were ranked (best first), merged into the next step's evaluation, so a
 * sequence of {@code T} targets costs {@code ceil(T / k)} evaluations. {@link Sample#logProbs()} holds the
 * log-probability under the conditional each token was drawn from.
 *
 * <p><b>Beam search</b> ({@link SamplerConfig#beam()} above 1) keeps several hypotheses per sequence
 * instead of one. Each step, every hypothesis asks the conditionals of its remaining positions, takes the
 * position the rule ranks first, and branches on that position's most probable tokens; the {@code beam}
 * branches with the highest sum of the model's log-probabilities (temperature 1) survive. A greedy
 * decoder's one confident mistake is final; a beam keeps the runner-up alive until the mistake shows. The
 * finished hypotheses are then reranked by their <em>consistency</em>: the sum over the targets of
 * {@code log p(x_j | every other position)}, each conditional asked with the others in front (one branch
 * per target over the known positions, one network call per hypothesis). On Sudoku this
 * picks the right grid among the beam's where the commit-order sum does not: a wrong digit is confident
 * when it is placed, and only conflicts with what comes after it. The model alone judges: no task rule
 * enters. A search, not a sampler: the result is deterministic given the model (the seed is unused), and
 * the listener hears every commit at the end, in the chosen hypothesis's order. A call costs {@code beam}
 * rows per remaining position and committed target; the rerank {@code beam · T²} rows for {@code T}
 * targets.
 */
public final class AdaptiveSampler extends AbstractSampler {
  /** The model's own conditionals (temperature 1, no truncation), by which a beam ranks and reranks hypotheses. */
  private static final TokenFilter MODEL = new TokenFilter(1.0, 0, 1.0);

  public AdaptiveSampler(Network network, SamplerConfig config) {
    super(network, config, SamplerKind.ADAPTIVE);
  }

  @Override
  protected void decode(List<SequenceCursor> cursors, CommitListener listener) {
    if (config.beam() > 1) {
      beamSearch(cursors, listener);
      return;
    }
    int batch = cursors.size();
    int longest = cursors.stream().mapToInt(SequenceCursor::remainingCount).max().orElse(1);
    try (DecodeState state = network.newState(batch, longest)) {
      while (cursors.stream().anyMatch(c -> !c.done())) {
        List<SequenceCall> calls = new ArrayList<>(batch);
        int[][] asked = new int[batch][];
        for (SequenceCursor c : cursors) {
          if (c.done()) {
            calls.add(idle());
            continue;
          }
          asked[c.sequence] = c.remaining();
          List<Step> queries = new ArrayList<>();
          for (int p : asked[c.sequence]) {
            queries.add(c.query(p));
          }
          calls.add(SequenceCall.extendThenQuery(c.backlog(), queries));
        }
        List<CallResult> results = evaluate(state, calls, cursors, 1);
        for (SequenceCursor c : cursors) {
          int[] positions = asked[c.sequence];
          if (positions == null) {
            continue;
          }
          c.markFed();
          float[][] logits = results.get(c.sequence).queryLogits();
          TokenDistribution[] p = new TokenDistribution[positions.length];
          double[] score = new double[positions.length];
          for (int i = 0; i < positions.length; i++) {
            p[i] = filter.apply(logits[i]);
            score[i] = config.rule().score(p[i]) + config.gumbelScale() * gumbel(c);
          }
          int take = Math.min(config.k(), positions.length);
          int[] best = IntStream.range(0, positions.length).boxed()
              .sorted(Comparator.<Integer>comparingDouble(i -> -score[i]).thenComparingInt(i -> positions[i]))
              .limit(take).mapToInt(Integer::intValue).toArray();
          int[] chosen = new int[take];
          int[] tokens = new int[take];
          double[] logProbs = new double[take];
          for (int j = 0; j < take; j++) {
            chosen[j] = positions[best[j]];
            tokens[j] = p[best[j]].sample(c.rng);
            logProbs[j] = p[best[j]].logProbability(tokens[j]);
          }
          commit(c, chosen, tokens, logProbs, listener);
        }
      }
    }
  }

  /** One hypothesis of a beam: the targets it committed, in order, and the sum of their log-probabilities. */
  private record Hypothesis(int[] positions, int[] tokens, double[] drawLogProbs, double logProb) {
    int[] filled(int[] given) {
      int[] t = given.clone();
      for (int i = 0; i < positions.length; i++) {
        t[positions[i]] = tokens[i];
      }
      return t;
    }

    Hypothesis then(int position, int token, double drawLogProb, double modelLogProb) {
      int n = positions.length;
      int[] p = java.util.Arrays.copyOf(positions, n + 1);
      int[] t = java.util.Arrays.copyOf(tokens, n + 1);
      double[] d = java.util.Arrays.copyOf(drawLogProbs, n + 1);
      p[n] = position;
      t[n] = token;
      d[n] = drawLogProb;
      return new Hypothesis(p, t, d, logProb + modelLogProb);
    }

    /** The teacher-forced steps of the commits after the cached known positions, from the pending input {@code last}. */
    List<Step> chain(int[] last, int skip) {
      List<Step> steps = new ArrayList<>(positions.length);
      int[] from = last;
      for (int i = 0; i < positions.length; i++) {
        if (i == skip) {
          continue;
        }
        steps.add(new Step(from[0], from[1], positions[i]));
        from = new int[] {tokens[i], positions[i]};
      }
      return steps;
    }

    /** The input the next step starts from: the last commit, or {@code last} before any. */
    int[] pending(int[] last) {
      int n = positions.length;
      return n == 0 ? last : new int[] {tokens[n - 1], positions[n - 1]};
    }
  }

  /**
   * The beam search of the class comment. Row {@code b · beam + i} of the state holds hypothesis {@code i}
   * of sequence {@code b}: its cache keeps the known positions only, every call teacher-forces the
   * hypothesis's commits on top and rolls them back afterwards, so hypotheses can be dropped and copied
   * freely between steps.
   */
  private void beamSearch(List<SequenceCursor> cursors, CommitListener listener) {
    int width = config.beam();
    int batch = cursors.size();
    List<List<Hypothesis>> beams = new ArrayList<>(batch);
    int[][] given = new int[batch][];
    int[][] pendingKnown = new int[batch][];
    int[] prefix = new int[batch];
    for (SequenceCursor c : cursors) {
      beams.add(List.of(new Hypothesis(new int[0], new int[0], new double[0], 0)));
      given[c.sequence] = new int[c.length()];
      for (int p = 0; p < c.length(); p++) {
        given[c.sequence][p] = c.token(p);
      }
      pendingKnown[c.sequence] = c.pendingInput();
      prefix[c.sequence] = c.settledCacheLength();
    }
    try (DecodeState state = network.newState(batch * width, width * cursors.stream().mapToInt(SequenceCursor::remainingCount).max().orElse(1))) {
      boolean[] prefilled = new boolean[batch];
      while (cursors.stream().anyMatch(c -> beams.get(c.sequence).get(0).positions().length < c.remainingCount())) {
        List<SequenceCall> calls = new ArrayList<>(batch * width);
        int[][][] asked = new int[batch][width][];
        for (SequenceCursor c : cursors) {
          List<Hypothesis> beam = beams.get(c.sequence);
          boolean finished = beam.get(0).positions().length == c.remainingCount();
          for (int i = 0; i < width; i++) {
            if (finished || i >= beam.size()) {
              // Every row caches the known positions from the first call on, so any row can take a hypothesis later.
              calls.add(prefilled[c.sequence] ? idle() : SequenceCall.extend(c.backlog(), 0));
              continue;
            }
            Hypothesis h = beam.get(i);
            int[] filled = h.filled(given[c.sequence]);
            int[] remaining = IntStream.range(0, filled.length).filter(p -> filled[p] == SampleRequest.UNKNOWN).toArray();
            asked[c.sequence][i] = remaining;
            int[] from = h.pending(pendingKnown[c.sequence]);
            List<Step> queries = new ArrayList<>(remaining.length);
            for (int p : remaining) {
              queries.add(new Step(from[0], from[1], p));
            }
            List<Step> extend = new ArrayList<>(prefilled[c.sequence] ? List.of() : c.backlog());
            extend.addAll(h.chain(pendingKnown[c.sequence], -1));
            calls.add(SequenceCall.extendThenQuery(extend, queries));
          }
        }
        List<CallResult> results = evaluate(state, calls, cursors, width);
        for (SequenceCursor c : cursors) {
          List<Hypothesis> beam = beams.get(c.sequence);
          if (asked[c.sequence][0] == null) {
            continue;
          }
          List<Hypothesis> next = new ArrayList<>();
          for (int i = 0; i < beam.size(); i++) {
            int row = c.sequence * width + i;
            int[] positions = asked[c.sequence][i];
            float[][] logits = results.get(row).queryLogits();
            int best = -1;
            double bestScore = Double.NEGATIVE_INFINITY;
            TokenDistribution bestP = null;
            for (int q = 0; q < positions.length; q++) {
              TokenDistribution p = filter.apply(logits[q]);
              double score = config.rule().score(p);
              if (score > bestScore) {
                bestScore = score;
                best = q;
                bestP = p;
              }
            }
            TokenDistribution raw = MODEL.apply(logits[best]);
            for (int token : bestP.mostProbable(width)) {
              next.add(beam.get(i).then(positions[best], token, bestP.logProbability(token), raw.logProbability(token)));
            }
          }
          beams.set(c.sequence, survivors(next, given[c.sequence], width));
          prefilled[c.sequence] = true;
          for (int i = 0; i < width; i++) {
            int row = c.sequence * width + i;
            state.rollback(row, state.length(row) - prefix[c.sequence]);
          }
        }
      }
      rerankAndCommit(cursors, beams, pendingKnown, listener);
    }
  }

  /** The {@code width} most probable hypotheses, one of each set of equal fillings (the likelier). */
  private static List<Hypothesis> survivors(List<Hypothesis> candidates, int[] given, int width) {
    List<Hypothesis> sorted = new ArrayList<>(candidates);
    sorted.sort(Comparator.comparingDouble(h -> -h.logProb()));
    List<Hypothesis> kept = new ArrayList<>(width);
    java.util.Set<java.util.List<Integer>> seen = new java.util.HashSet<>();
    for (Hypothesis h : sorted) {
      if (kept.size() == width) {
        break;
      }
      if (seen.add(java.util.Arrays.stream(h.filled(given)).boxed().toList())) {
        kept.add(h);
      }
    }
    return kept;
  }

  /**
   * Scores each finished hypothesis by its consistency (the sum over its targets of {@code log p(x_j | all
   * other positions)}, at temperature 1), commits the most consistent (ties: the higher commit-order
   * log-probability), and tells the listener.
   */
  private void rerankAndCommit(List<SequenceCursor> cursors, List<List<Hypothesis>> beams, int[][] pendingKnown,
      CommitListener listener) {
    for (SequenceCursor c : cursors) {
      List<Hypothesis> beam = beams.get(c.sequence);
      Hypothesis chosen = beam.get(0);
      if (beam.size() > 1 && chosen.positions().length > 0) {
        double bestConsistency = Double.NEGATIVE_INFINITY;
        for (Hypothesis h : beam) {
          double consistency = consistency(c, h, pendingKnown[c.sequence]);
          if (consistency > bestConsistency) {
            bestConsistency = consistency;
            chosen = h;
          }
        }
      }
      if (chosen.positions().length > 0) {
        commit(c, chosen.positions(), chosen.tokens(), chosen.drawLogProbs(), listener);
      }
    }
  }

  /**
   * The consistency of one finished hypothesis, in one network call on a state of its own: the known positions,
   * then one branch per target (the other targets in commit order, then the target). A call holds {@code T²}
   * rows for {@code T} targets; a batch of hypotheses in one call would make a backend that pads its rows to
   * the widest sequence hold every state row's {@code T²} rows at once (tens of gigabytes for a batch of
   * Sudoku puzzles), so each hypothesis costs its own call.
   */
  private double consistency(SequenceCursor c, Hypothesis h, int[] pendingKnown) {
    List<List<Step>> branches = new ArrayList<>(h.positions().length);
    for (int j = 0; j < h.positions().length; j++) {
      List<Step> chain = h.chain(pendingKnown, j);
      int[] from = chain.isEmpty() ? pendingKnown : lastInput(h, j);
      chain.add(new Step(from[0], from[1], h.positions()[j]));
      branches.add(chain);
    }
    List<Step> known = c.backlog();
    int rows = known.size() + h.positions().length * h.positions().length;
    try (DecodeState state = network.newState(1, rows)) {
      CallResult result = evaluate(state, List.of(new SequenceCall(known, known.size(), null, List.of(), branches)), List.of(c), 1)
          .get(0);
      double sum = 0;
      for (int j = 0; j < h.positions().length; j++) {
        float[][] chain = result.branchLogits()[j];
        sum += MODEL.apply(chain[chain.length - 1]).logProbability(h.tokens()[j]);
      }
      return sum;
    }
  }

  /** The last commit of {@code h} other than commit {@code skip}. */
  private static int[] lastInput(Hypothesis h, int skip) {
    int last = h.positions().length - 1;
    if (last == skip) {
      last--;
    }
    return new int[] {h.tokens()[last], h.positions()[last]};
  }

  /** A standard Gumbel draw, {@code -log(-log u)}; drawn even at scale 0 so the stream does not depend on it. */
  private static double gumbel(SequenceCursor c) {
    double u = c.rng.nextDouble();
    while (u == 0) {
      u = c.rng.nextDouble();
    }
    return -Math.log(-Math.log(u));
  }

  @Override
  public String toString() {
    return "AdaptiveSampler[" + config.rule() + ", k=" + config.k() + ", gumbel=" + config.gumbelScale() + "]";
  }
}

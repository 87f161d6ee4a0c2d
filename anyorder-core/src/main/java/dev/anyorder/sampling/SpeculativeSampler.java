package dev.anyorder.sampling;

import dev.anyorder.model.DecodeState;
import dev.anyorder.model.Network;
import dev.anyorder.model.Network.CallResult;
import dev.anyorder.model.Network.SequenceCall;
import dev.anyorder.model.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BinaryOperator;

/**
 * Exact speculative decoding for any-order models: Any-Subset Speculative Decoding (ASSD) after Guo and
 * Ermon, "Reviving Any-Subset Autoregressive Models with Principled Parallel Sampling and Speculative
 * Decoding" (2025), run on a σ-GPT (Pannatier et al., 2024) with its KV cache and a bonus token
 * (docs/algorithms.md#speculative-sampling).
 *
 * <p>Per round and sequence, with the targets in a fixed order σ and a window of {@code w} positions
 * {@code p_1..p_w}:
 *
 * <ol>
 *   <li><b>draft</b>: drafts {@code d_i ~ q_i}; with the {@link DrafterKind#SELF self} drafter {@code q_i}
 *       are the one-pass conditionals given the committed tokens (one evaluation), with the
 *       {@link DrafterKind#NGRAM n-gram} drafter a smoothed table (no evaluation);
 *   <li><b>verify</b> (one evaluation): the steps {@code (pending → p_1), (d_1, p_1 → p_2), …} are fed
 *       teacher-forced on top of the cache, giving the true conditionals {@code p_i} and, when a bonus is
 *       possible, {@code p_{w+1}};
 *   <li>accept {@code d_i} with probability {@code min(1, p_i(d_i)/q_i(d_i))}; at the first rejection
 *       draw from {@code normalize(max(0, p_i − q_i))} and stop; if all are accepted draw the bonus from
 *       {@code p_{w+1}};
 *   <li>keep the cache steps whose input and target are both committed, roll back the rest.
 * </ol>
 *
 * <p>The output is distributed exactly as {@link SequentialSampler} in order σ, for the tempered,
 * filtered model. With the self drafter the first draft is accepted without a test: its draft
 * distribution <em>is</em> the conditional the verifier would recompute (one-pass conditionals are exact,
 * docs/algorithms.md#one-pass-conditionals), so its acceptance probability is 1 and a test would only turn float rounding into spurious
 * rejections. It is committed with the draft call, whose query {@code (pending → p_1)} stays in the cache
 * as that step ({@link Network.SequenceCall#commitFirstQuery}), and verification starts at
 * {@code (d_1, p_1 → p_2)}: the round does not evaluate the same step twice. Hence every round commits at
 * least two tokens for two evaluations, and with the n-gram drafter at least one token for one: NFE ≤
 * tokens. When one target remains the sampler takes a plain
 * sequential step. With {@link SamplerConfig#adaptiveK()} the window grows by one after a fully accepted
 * round and shrinks by one after a rejection in its first half.
 */
public final class SpeculativeSampler extends AbstractSampler {
  private final int minWindow;
  private final int maxWindow;
  /** What a rejected draft is replaced by: a draw from {@code normalize(max(0, p - q))}. */
  private final BinaryOperator<TokenDistribution> residual;

  public SpeculativeSampler(Network network, SamplerConfig config) {
    this(network, config, TokenDistribution::residual);
  }

  /**
   * A sampler with another replacement rule for rejected drafts. Only the exactness test uses it, to show
   * that it rejects a sampler that gets this one rule wrong.
   */
  SpeculativeSampler(Network network, SamplerConfig config, BinaryOperator<TokenDistribution> residual) {
    super(network, config, SamplerKind.SPECULATIVE);
    this.residual = residual;
    // Without a bonus, a window of one would spend two evaluations on one token.
    this.minWindow = config.bonus() ? 1 : 2;
    this.maxWindow = Math.max(8, 2 * config.k());
  }

  /** What one sequence does in a round. */
  private static final class Plan {
    int[] positions; // the window p_1..p_w, or the single position of a sequential step
    boolean single;
    boolean withBonus; // verify also asks for p_{w+1}
    int[] drafts;
    TokenDistribution[] draftDistributions;
  }

  @Override
  protected void decode(List<SequenceCursor> cursors, CommitListener listener) {
    int batch = cursors.size();
    int[] window = new int[batch];
    Arrays.fill(window, config.k());
    boolean self = config.drafter() == DrafterKind.SELF;
    int vocab = network.config().vocabSize();
    try (DecodeState state = network.newState(batch, maxWindow + 1)) {
      while (cursors.stream().anyMatch(c -> !c.done())) {
        Plan[] plans = new Plan[batch];
        for (SequenceCursor c : cursors) {
          if (c.done()) {
            continue;
          }
          int[] remaining = c.remaining();
          Plan plan = new Plan();
          if (remaining.length == 1) {
            plan.single = true;
            plan.positions = remaining;
          } else {
            int w = Math.min(window[c.sequence], remaining.length);
            plan.positions = Arrays.copyOf(remaining, w);
            plan.withBonus = config.bonus() && remaining.length > w;
            if (plan.withBonus) {
              plan.positions = Arrays.copyOf(remaining, w + 1); // the last entry is the bonus position
            }
          }
          plans[c.sequence] = plan;
        }

        // Draft call (self drafter): one-pass conditionals for every window; single steps ride along.
        if (self) {
          List<SequenceCall> calls = new ArrayList<>(batch);
          for (SequenceCursor c : cursors) {
            Plan plan = plans[c.sequence];
            if (plan == null) {
              calls.add(idle());
              continue;
            }
            // A single step's position, like the first self draft, is committed whatever is drawn there.
            int[] asked = plan.single ? plan.positions : Arrays.copyOf(plan.positions, draftCount(plan));
            calls.add(c.backlogThenQueriesCommittingFirst(asked));
          }
          List<CallResult> results = evaluate(state, calls, cursors, 1);
          for (SequenceCursor c : cursors) {
            Plan plan = plans[c.sequence];
            if (plan == null) {
              continue;
            }
            c.markPendingFed();
            float[][] logits = results.get(c.sequence).queryLogits();
            if (plan.single) {
              commitSingle(c, plan.positions[0], filter.apply(logits[0]), listener);
              plans[c.sequence] = null;
              continue;
            }
            int w = draftCount(plan);
            plan.draftDistributions = new TokenDistribution[w];
            plan.drafts = new int[w];
            for (int i = 0; i < w; i++) {
              plan.draftDistributions[i] = filter.apply(logits[i]);
              plan.drafts[i] = plan.draftDistributions[i].sample(c.rng);
            }
            // Its draft distribution is the conditional the verifier would recompute (one-pass conditionals
            // are exact, docs/algorithms.md#one-pass-conditionals), so it is accepted with probability 1: commit it now, in the cache already.
            commit(c, new int[] {plan.positions[0]}, new int[] {plan.drafts[0]},
                new double[] {plan.draftDistributions[0].logProbability(plan.drafts[0])}, listener);
          }
        } else {
          for (SequenceCursor c : cursors) {
            Plan plan = plans[c.sequence];
            if (plan == null || plan.single) {
              continue;
            }
            int w = draftCount(plan);
            int[] context = new int[c.length()];
            for (int p = 0; p < context.length; p++) {
              context[p] = c.token(p);
            }
            plan.draftDistributions = new TokenDistribution[w];
            plan.drafts = new int[w];
            for (int i = 0; i < w; i++) {
              plan.draftDistributions[i] = NgramDrafter.draft(context, plan.positions[i], vocab);
              plan.drafts[i] = plan.draftDistributions[i].sample(c.rng);
              context[plan.positions[i]] = plan.drafts[i]; // later drafts may condition on earlier ones
            }
          }
        }

        // Verify call: teacher-force the drafts; single steps of the n-gram mode ride along.
        List<SequenceCall> calls = new ArrayList<>(batch);
        for (SequenceCursor c : cursors) {
          Plan plan = plans[c.sequence];
          if (plan == null) {
            calls.add(idle());
          } else if (plan.single) {
            calls.add(c.backlogThenQueriesCommittingFirst(plan.positions[0]));
          } else {
            int first = committedWithDrafts();
            int[] positions = Arrays.copyOfRange(plan.positions, first, plan.positions.length);
            List<Step> steps = new ArrayList<>(c.backlog());
            steps.addAll(c.chain(positions, Arrays.copyOfRange(plan.drafts, first, plan.drafts.length)));
            calls.add(SequenceCall.extend(steps, positions.length));
          }
        }
        List<CallResult> results = evaluate(state, calls, cursors, 1);
        for (SequenceCursor c : cursors) {
          Plan plan = plans[c.sequence];
          if (plan == null) {
            continue;
          }
          if (plan.single) {
            c.markPendingFed();
            commitSingle(c, plan.positions[0], filter.apply(results.get(c.sequence).queryLogits()[0]), listener);
            continue;
          }
          int accepted = accept(c, plan, results.get(c.sequence).extendLogits(), listener);
          settle(state, c.sequence, c);
          if (config.adaptiveK()) {
            int w = draftCount(plan);
            if (accepted == w) {
              window[c.sequence] = Math.min(maxWindow, window[c.sequence] + 1);
            } else if (2 * accepted < w) {
              window[c.sequence] = Math.max(minWindow, window[c.sequence] - 1);
            }
          }
        }
      }
    }
  }

  /** Drafts a round commits with its draft call: the first, with the self drafter; none with the n-gram one. */
  private int committedWithDrafts() {
    return config.drafter() == DrafterKind.SELF ? 1 : 0;
  }

  private static int draftCount(Plan plan) {
    return plan.withBonus ? plan.positions.length - 1 : plan.positions.length;
  }

  private void commitSingle(SequenceCursor c, int position, TokenDistribution p, CommitListener listener) {
    int token = p.sample(c.rng);
    commit(c, new int[] {position}, new int[] {token}, new double[] {p.logProbability(token)}, listener);
  }

  /**
   * Runs the accept / residual / bonus rule and commits; returns the number of accepted drafts, a first
   * draft committed with the draft call included. {@code verified[i]} is the conditional of the window's
   * {@code i}-th position not yet committed.
   */
  private int accept(SequenceCursor c, Plan plan, float[][] verified, CommitListener listener) {
    int w = draftCount(plan);
    int first = committedWithDrafts();
    int[] tokens = new int[w + 1];
    double[] logProbs = new double[w + 1];
    int accepted = first;
    int extra = -1; // residual or bonus token, at positions[accepted]
    for (int i = first; i < w; i++) {
      TokenDistribution p = filter.apply(verified[i - first]);
      TokenDistribution q = plan.draftDistributions[i];
      int d = plan.drafts[i];
      if (c.rng.nextDouble() * q.probability(d) < p.probability(d)) {
        tokens[accepted] = d;
        logProbs[accepted] = p.logProbability(d);
        accepted++;
      } else {
        extra = residual.apply(p, q).sample(c.rng);
        tokens[accepted] = extra;
        logProbs[accepted] = p.logProbability(extra);
        break;
      }
    }
    if (extra < 0 && plan.withBonus) {
      TokenDistribution p = filter.apply(verified[w - first]);
      extra = p.sample(c.rng);
      tokens[w] = extra;
      logProbs[w] = p.logProbability(extra);
    }
    int count = accepted + (extra >= 0 ? 1 : 0);
    if (count > first) {
      commit(c, Arrays.copyOfRange(plan.positions, first, count), Arrays.copyOfRange(tokens, first, count),
          Arrays.copyOfRange(logProbs, first, count), listener);
    }
    return accepted;
  }
}

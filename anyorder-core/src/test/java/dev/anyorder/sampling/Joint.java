package dev.anyorder.sampling;

import dev.anyorder.density.OrderScore;
import dev.anyorder.density.ScoreRequest;
import dev.anyorder.density.Scorer;
import dev.anyorder.model.Network;
import java.util.ArrayList;
import java.util.List;

/**
 * The exact joint distribution of the targets of a request under an order, enumerated by the scorer
 * (docs/algorithms.md#exactness-tests). Outcome {@code i} fills target {@code t} (targets in increasing position order)
 * with digit {@code t} of {@code i} in base V.
 */
final class Joint {
  private Joint() {}

  static int outcomes(int vocab, int targets) {
    return (int) Math.pow(vocab, targets);
  }

  static int[] sequence(SampleRequest request, int outcome, int vocab) {
    int[] x = request.given();
    for (int t : request.targetPositions()) {
      x[t] = outcome % vocab;
      outcome /= vocab;
    }
    return x;
  }

  static int index(int[] tokens, SampleRequest request, int vocab) {
    int[] targets = request.targetPositions();
    int i = 0;
    for (int j = targets.length - 1; j >= 0; j--) {
      i = i * vocab + tokens[targets[j]];
    }
    return i;
  }

  /** Probabilities of every outcome under {@code targetOrder}, for the model filtered by {@code filter}. */
  static double[] under(Network net, TokenFilter filter, SampleRequest request, int[] targetOrder) {
    return mixture(net, filter, request, List.of(targetOrder));
  }

  /** The uniform mixture over {@code orders} of the joints under each order. */
  static double[] mixture(Network net, TokenFilter filter, SampleRequest request, List<int[]> orders) {
    int v = net.config().vocabSize();
    int count = outcomes(v, request.targetPositions().length);
    double[] p = new double[count];
    Scorer scorer = new Scorer(net, filter);
    for (int[] order : orders) {
      List<ScoreRequest> all = new ArrayList<>(count);
      for (int i = 0; i < count; i++) {
        all.add(new ScoreRequest(sequence(request, i, v), request.knownMask(), order));
      }
      List<OrderScore> scores = scorer.scoreAll(all);
      for (int i = 0; i < count; i++) {
        p[i] += Math.exp(scores.get(i).logProb()) / orders.size();
      }
    }
    return p;
  }

  /** Every permutation of {@code items}. */
  static List<int[]> permutations(int[] items) {
    List<int[]> out = new ArrayList<>();
    permute(items.clone(), 0, out);
    return out;
  }

  private static void permute(int[] a, int from, List<int[]> out) {
    if (from == a.length) {
      out.add(a.clone());
      return;
    }
    for (int i = from; i < a.length; i++) {
      int t = a[from];
      a[from] = a[i];
      a[i] = t;
      permute(a, from + 1, out);
      a[i] = a[from];
      a[from] = t;
    }
  }
}

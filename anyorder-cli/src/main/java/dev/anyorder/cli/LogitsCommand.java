package dev.anyorder.cli;

import dev.anyorder.options.JsonArgs;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.model.DecodeState;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.Step;
import dev.anyorder.model.TeacherForcing;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code anyorder logits}: the raw logits of every step of one teacher-forced pass, as JSON, for debugging
 * and for comparing with other implementations of σ-GPT.
 */
@Command(name = "logits", mixinStandardHelpOptions = true,
    description = "Print each step's logits for a token sequence fed in a given order (JSON).")
final class LogitsCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Model directory.")
  Path model;

  @Option(names = "--tokens", required = true, description = "Token ids as a JSON array, e.g. [3,1,4,1,5].")
  String tokens;

  @Option(names = "--order", description = "Permutation of the positions as a JSON array (default: left to right).")
  String order;

  @Override
  public Integer call() throws Exception {
    int[] x = JsonArgs.intArray(tokens, "--tokens");
    int[] sigma = order == null ? dev.anyorder.orders.OrderKind.identity(x.length) : JsonArgs.intArray(order, "--order");
    if (sigma.length != x.length) {
      throw new IllegalArgumentException("--order has " + sigma.length + " positions for " + x.length + " tokens");
    }
    ObjectMapper json = new ObjectMapper();
    try (AnyOrderModel m = AnyOrderModel.load(model)) {
      ModelConfig c = m.config();
      List<Step> steps = TeacherForcing.steps(c, x, sigma);
      int[] targets = TeacherForcing.targets(c, x, sigma);
      float[][] logits;
      try (DecodeState state = m.network().newState(1)) {
        logits = m.network().call(state, List.of(Network.SequenceCall.extend(steps, steps.size()))).get(0).extendLogits();
      }
      ObjectNode root = json.createObjectNode();
      root.put("startSlot", c.startSlot());
      ArrayNode out = root.putArray("steps");
      for (int t = 0; t < steps.size(); t++) {
        Step s = steps.get(t);
        ObjectNode n = out.addObject();
        n.put("step", t).put("token", s.token()).put("position", s.fromPosition()).put("nextPosition", s.toPosition())
            .put("target", targets[t]);
        ArrayNode l = n.putArray("logits");
        for (float v : logits[t]) {
          l.add(v);
        }
      }
      System.out.println(json.writeValueAsString(root));
    }
    return 0;
  }
}

package dev.anyorder.model.djl;

import ai.djl.ndarray.NDManager;
import dev.anyorder.model.DecodeState;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.NetworkEngine;
import java.util.List;
import java.util.Map;

/**
 * The DJL/PyTorch engine as the core finds it: listed in {@code META-INF/services/dev.anyorder.model.NetworkEngine},
 * so {@code AnyOrderModel} runs {@code --backend djl} and {@code auto} on it whenever this module is on the
 * class path. A network it opens is a {@link DjlNetwork} over a {@link SigmaGpt} in a root manager of its own.
 */
public final class PyTorchEngine implements NetworkEngine {
  /** The name {@code --backend djl} selects this engine by. */
  public static final String NAME = "djl";

  /** For {@link java.util.ServiceLoader}, which needs a public no-argument constructor. */
  public PyTorchEngine() {}

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Network open(ModelConfig config, Map<String, float[]> weights, String device, int threads) {
    NDManager manager = PyTorchRuntime.newManager(device, threads);
    try {
      SigmaGpt model = SigmaGpt.fromWeights(config, weights, manager, false);
      return new ManagedNetwork(new DjlNetwork(model, true), manager);
    } catch (RuntimeException e) {
      manager.close();
      throw e;
    }
  }

  /** A {@link DjlNetwork} that also closes the root manager its model lives in, which no one else holds. */
  private record ManagedNetwork(DjlNetwork network, NDManager manager) implements Network {
    @Override
    public ModelConfig config() {
      return network.config();
    }

    @Override
    public DecodeState newState(int batch) {
      return network.newState(batch);
    }

    @Override
    public DecodeState newState(int batch, int rowsPerCall) {
      return network.newState(batch, rowsPerCall);
    }

    @Override
    public List<CallResult> call(DecodeState state, List<SequenceCall> calls) {
      return network.call(state, calls);
    }

    @Override
    public void close() {
      try {
        network.close();
      } finally {
        manager.close();
      }
    }
  }
}

package dev.anyorder.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * A native engine that evaluates a σ-GPT from its weights, beside the pure-Java runtime
 * ({@code dev.anyorder.model.java}) the core always has. Engines live in their own modules and register as
 * {@link ServiceLoader} services, so the core never names one: {@code anyorder-djl} lists its DJL/PyTorch
 * engine in {@code META-INF/services/dev.anyorder.model.NetworkEngine}. {@code AnyOrderModel} picks among the
 * engines present for {@code --backend djl} and {@code auto}, and runs on the pure-Java runtime when none is.
 */
public interface NetworkEngine {
  /** The name a backend selects this engine by, in lower case ({@code djl} for {@code --backend djl}). */
  String name();

  /**
   * A network over {@code weights} (keyed by {@link WeightLayout} names, already in the precision to compute
   * in), on {@code device} (e.g. {@code cpu}) with {@code threads} engine threads. The network owns everything
   * native it allocates and frees it when closed.
   *
   * @throws RuntimeException when the engine cannot start here, e.g. its native library is missing
   */
  Network open(ModelConfig config, Map<String, float[]> weights, String device, int threads);

  /** The engines on the class path, in the order {@link ServiceLoader} finds them. */
  static List<NetworkEngine> installed() {
    List<NetworkEngine> engines = new ArrayList<>();
    ServiceLoader.load(NetworkEngine.class).forEach(engines::add);
    return engines;
  }

  /** The installed engine called {@code name}, if there is one. */
  static Optional<NetworkEngine> named(String name) {
    return installed().stream().filter(e -> e.name().equals(name)).findFirst();
  }
}

package dev.anyorder.options;

import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.Backend;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * How a command runs a model ({@code sample}, {@code score}, {@code serve}): the backend, its threads and
 * the precision of the weight matrices, and the one place that loads a model directory with them.
 */
public final class EngineOptions {
  @Option(names = "--backend", defaultValue = BackendConverter.DEFAULT, converter = BackendConverter.class, description = BackendConverter.DESCRIPTION)
  public Backend backend;

  @Option(names = "--threads", defaultValue = "1",
      description = "Engine threads: PyTorch intra-op threads, or the Java runtime's threads for a call (default: ${DEFAULT-VALUE}).")
  public int threads;

  @Mixin
  public WeightsOption weights;

  /** Loads {@code directory} with these options. */
  public AnyOrderModel load(Path directory) {
    return AnyOrderModel.load(directory, backend, threads, weights.format);
  }
}

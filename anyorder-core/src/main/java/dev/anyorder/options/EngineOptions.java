package dev.anyorder.options;

import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.Backend;
import dev.anyorder.model.WeightFormat;
import java.nio.file.Path;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * How a command runs a model ({@code sample}, {@code score}, {@code serve}): the backend, its threads and
 * the precision of the weight matrices, and the one place that loads a model directory with them.
 */
public final class EngineOptions {
  @Option(names = "--backend", defaultValue = "auto", converter = BackendConverter.class, description = BackendConverter.DESCRIPTION)
  public Backend backend;

  @Option(names = "--threads", defaultValue = "1",
      description = "Engine threads: PyTorch intra-op threads, or the Java runtime's threads for a call (default: ${DEFAULT-VALUE}).")
  public int threads;

  @Option(names = "--weights", defaultValue = "float32", converter = WeightFormatConverter.class,
      description = "Precision of the weight matrices: float32, or bfloat16 (the matrices rounded to bfloat16, all arithmetic in "
          + "float32; the Java runtime then streams half the bytes per call, about twice as fast for one sequence on a model "
          + "whose weights do not fit in cache) (default: ${DEFAULT-VALUE}).")
  public WeightFormat weights;

  /** Loads {@code directory} with these options. */
  public AnyOrderModel load(Path directory) {
    return AnyOrderModel.load(directory, backend, threads, weights);
  }

  /** Parses {@code --weights}, naming the choices when the value is wrong. */
  public static final class WeightFormatConverter implements ITypeConverter<WeightFormat> {
    @Override
    public WeightFormat convert(String value) {
      try {
        return WeightFormat.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException("--weights must be float32 or bfloat16, got '" + value + "'");
      }
    }
  }
}

package dev.anyorder.options;

import dev.anyorder.model.WeightFormat;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --weights float32|bfloat16}, the precision a command keeps a model's weight matrices in: one
 * definition for {@code sample}, {@code score}, {@code serve} (through {@link EngineOptions}), {@code bench
 * sample} and the Spark jobs.
 */
public final class WeightsOption {
  @Option(names = "--weights", defaultValue = "float32", converter = Converter.class,
      description = "Precision of the weight matrices: float32, or bfloat16 (the matrices rounded to bfloat16 at load, all "
          + "arithmetic in float32, the same model on every backend; the Java runtime then streams half the bytes per call, "
          + "about twice as fast for one sequence on a model whose weights do not fit in cache) (default: ${DEFAULT-VALUE}).")
  public WeightFormat format;

  /** Parses {@code --weights}, naming the choices when the value is wrong. */
  public static final class Converter implements ITypeConverter<WeightFormat> {
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

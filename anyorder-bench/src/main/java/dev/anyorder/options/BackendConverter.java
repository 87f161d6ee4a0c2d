package dev.anyorder.options;

import dev.anyorder.api.Backend;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --backend auto|djl|java} case-insensitively, naming the choices when the value is wrong. */
public final class BackendConverter implements ITypeConverter<Backend> {
  public static final String DESCRIPTION = "Engine: auto (the faster of the two for each batch size and rows per call, by the crossover "
      + "'bench sample --save-crossover' records), djl (PyTorch) or java (pure-Java runtime, fastest for one sequence) (default: ${DEFAULT-VALUE}).";

  /** {@link Backend#DEFAULT} as the flag spells it, for {@code defaultValue} (an annotation needs a constant). */
  public static final String DEFAULT = "auto";

  @Override
  public Backend convert(String value) {
    try {
      return Backend.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("--backend must be auto, djl or java, got '" + value + "'");
    }
  }
}

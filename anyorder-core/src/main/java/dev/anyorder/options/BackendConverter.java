package dev.anyorder.options;

import dev.anyorder.api.Backend;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses {@code --backend djl|java} case-insensitively, naming the choices when the value is wrong. */
public final class BackendConverter implements ITypeConverter<Backend> {
  public static final String DESCRIPTION = "Engine: djl (PyTorch) or java (pure-Java runtime, fastest for one sequence) (default: ${DEFAULT-VALUE}).";

  @Override
  public Backend convert(String value) {
    try {
      return Backend.valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new TypeConversionException("--backend must be djl or java, got '" + value + "'");
    }
  }
}

package dev.anyorder.interop;

/**
 * Bad input met while importing a model of the published σ-GPT code (Pannatier, Courdier, Fleuret, 2024) or
 * exporting one for it: a missing, mis-shaped or ill-typed tensor, a lying safetensors header, a config
 * field that is missing, invalid or disagrees with the weights, or an output directory that is not free.
 * The message names the file and the tensor or field.
 */
public class InteropException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InteropException(String message) {
    super(message);
  }

  public InteropException(String message, Throwable cause) {
    super(message, cause);
  }
}

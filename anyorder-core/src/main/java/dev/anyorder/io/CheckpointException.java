package dev.anyorder.io;

/**
 * Bad input met while reading or writing a checkpoint or tensor file: a missing or truncated file, a
 * corrupted or lying safetensors header, a checksum mismatch, a tensor of the wrong name or shape, or an
 * invalid {@code config.json}. The message always names the file and, where there is one, the tensor.
 */
public class CheckpointException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CheckpointException(String message) {
    super(message);
  }

  public CheckpointException(String message, Throwable cause) {
    super(message, cause);
  }
}

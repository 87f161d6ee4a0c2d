package dev.anyorder.tasks.images;

import java.io.IOException;
import java.nio.file.Path;

/** A file that is not a well-formed IDX file (LeCun's MNIST format); the message names the file. */
public final class IdxFormatException extends IOException {

  private static final long serialVersionUID = 1L;

  public IdxFormatException(Path file, String problem) {
    super(file + ": " + problem);
  }

  public IdxFormatException(Path file, String problem, Throwable cause) {
    super(file + ": " + problem, cause);
  }
}

package dev.anyorder.data;

/**
 * Bad training data: a file that is not valid UTF-8 or gzip, a token file with a malformed or
 * inconsistent line, or a data set too small for the requested split. The message names the file and,
 * where it applies, the line or byte offset.
 */
public class DataFileException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DataFileException(String message) {
    super(message);
  }

  public DataFileException(String message, Throwable cause) {
    super(message, cause);
  }
}

package dev.anyorder.sampling;

/**
 * A sampler or token-filter setting out of its range. {@link #setting()} names the setting as its record
 * component ({@code topK}, {@code temperature}, ...), so a front end can report its own name for the
 * field (an HTTP {@code top_k}, a CLI {@code --top-k}) as data rather than by parsing the message.
 */
public final class InvalidSettingException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String setting;

  /**
   * @param setting the record component at fault
   * @param message a one-line explanation that names the setting
   */
  public InvalidSettingException(String setting, String message) {
    super(message);
    this.setting = java.util.Objects.requireNonNull(setting, "setting");
  }

  /** The setting at fault, as named by its record component. */
  public String setting() {
    return setting;
  }
}

package dev.anyorder.io;

import java.util.Objects;

/**
 * A field of a JSON object that is of the wrong type, out of range, unknown or not a valid setting.
 * {@link #field()} names it as it appears in the JSON (qualified by the objects around it, such as
 * {@code training.decoding.k}), so a front end can point at it as data: the HTTP server answers a
 * {@code 400} whose {@code field} it is, a model load names the file and the field.
 */
public final class InvalidFieldException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;
  private final String field;

  /**
   * @param field the field at fault, qualified
   * @param message a one-line explanation that names the field
   */
  public InvalidFieldException(String field, String message) {
    super(message);
    this.field = Objects.requireNonNull(field, "field");
  }

  /** The field at fault, as named in the JSON and qualified by the objects around it. */
  public String field() {
    return field;
  }
}

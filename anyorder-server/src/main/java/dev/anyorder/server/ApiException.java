package dev.anyorder.server;

/**
 * An error the server reports to the client as JSON {@code {"error": {"status", "code", "message",
 * "field"}}} with HTTP status {@link #status()}. Messages are written for the client: they name the field
 * at fault and never carry a stack trace.
 */
public final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;
  private final String code;
  private final String field;

  /**
   * @param status the HTTP status, 400..599
   * @param code a stable machine-readable code such as {@code invalid_field}
   * @param field the request field at fault, or null
   * @param message a one-line explanation for people
   */
  public ApiException(int status, String code, String field, String message) {
    super(message);
    if (status < 400 || status > 599) {
      throw new IllegalArgumentException("an API error needs a 4xx or 5xx status, got " + status);
    }
    if (code == null || code.isBlank()) {
      throw new IllegalArgumentException("an API error needs a code");
    }
    this.status = status;
    this.code = code;
    this.field = field;
  }

  /** {@code 400}: the field {@code field} is wrong. */
  public static ApiException invalidField(String field, String message) {
    return new ApiException(400, "invalid_field", field, message);
  }

  /** {@code 400}: a field the core's JSON readers found wrong ({@link dev.anyorder.io.JsonFields}, sampler fields). */
  public static ApiException invalidField(dev.anyorder.io.InvalidFieldException e) {
    return invalidField(e.field(), StrictJson.oneLine(e.getMessage()));
  }

  /** {@code 400}: the request as a whole is wrong. */
  public static ApiException badRequest(String message) {
    return new ApiException(400, "bad_request", null, message);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  /** The request field at fault, or null. */
  public String field() {
    return field;
  }
}

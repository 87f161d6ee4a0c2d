package dev.anyorder.server;

import java.util.Map;

/**
 * Headers every response carries so a browser treats the server's pages and JSON safely: no content-type
 * sniffing, no framing by other sites (clickjacking), and a Content-Security-Policy that lets the page
 * load only its own script, style and API.
 */
final class SecurityHeaders {
  /** Header name to value. */
  static final Map<String, String> NAMES_AND_VALUES = Map.of(
      "X-Content-Type-Options", "nosniff",
      "X-Frame-Options", "DENY",
      "Referrer-Policy", "no-referrer",
      "Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          + "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");

  private SecurityHeaders() {}
}

package dev.anyorder.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Jetty's own errors (a malformed URI, a 414 URI too long, a 431 header too large, failures before a
 * route runs) in the server's JSON error format instead of Jetty's HTML page, with the security headers
 * every response carries and never a stack trace.
 */
final class JsonErrorHandler extends ErrorHandler {

  JsonErrorHandler() {
    setShowStacks(false);
    setShowServlet(false);
    setShowMessageInTitle(false);
  }

  /** Errors found while parsing the request, before any handler runs. */
  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    SecurityHeaders.NAMES_AND_VALUES.forEach((name, value) -> fields.put(new HttpField(name, value)));
    return ByteBuffer.wrap(bytes(status, reason));
  }

  /** Errors of requests that reached the server but no route answered (or a filter failed). */
  @Override
  protected void generateAcceptableResponse(Request baseRequest, HttpServletRequest request, HttpServletResponse response, int code,
      String message) throws IOException {
    baseRequest.setHandled(true);
    response.setContentType("application/json");
    SecurityHeaders.NAMES_AND_VALUES.forEach(response::setHeader);
    response.getOutputStream().write(bytes(code, message));
  }

  static byte[] bytes(int status, String reason) {
    int code = status >= 400 && status <= 599 ? status : 500;
    String message = reason == null || reason.isBlank() ? defaultMessage(code) : StrictJson.oneLine(reason);
    try {
      return ResponseWriter.MAPPER.writeValueAsBytes(ResponseWriter.error(new ApiException(code, codeOf(code), null, message)));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("could not write an error", e);
    }
  }

  static String codeOf(int status) {
    switch (status) {
      case 400:
        return "bad_request";
      case 404:
        return "not_found";
      case 405:
        return "method_not_allowed";
      case 408:
        return "request_timeout";
      case 413:
        return "body_too_large";
      case 414:
        return "uri_too_long";
      case 431:
        return "headers_too_large";
      default:
        return status >= 500 ? "internal_error" : "http_" + status;
    }
  }

  private static String defaultMessage(int status) {
    switch (status) {
      case 414:
        return "the request URI is too long";
      case 431:
        return "the request headers are too large";
      default:
        return status >= 500 ? "the server failed; see its log" : "the request could not be read (HTTP " + status + ")";
    }
  }
}

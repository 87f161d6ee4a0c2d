package dev.anyorder.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A small JSON client for tests. */
final class HttpHelper {
  final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  final URI base;
  String token;

  HttpHelper(URI base) {
    this.base = base;
  }

  /**
   * A response.
   *
   * @param status HTTP status
   * @param body raw body
   * @param json body parsed as JSON, or null
   */
  record Reply(int status, String body, JsonNode json) {
    JsonNode error() {
      return json == null ? null : json.get("error");
    }
  }

  Reply get(String path) {
    return send(HttpRequest.newBuilder(base.resolve(path)).GET());
  }

  Reply post(String path, String body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body)));
  }

  Reply postBytes(String path, byte[] body) {
    return send(HttpRequest.newBuilder(base.resolve(path)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  Reply send(HttpRequest.Builder builder) {
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<String> r = client.send(builder.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
      JsonNode json = null;
      try {
        json = ResponseWriter.MAPPER.readTree(r.body());
      } catch (IOException notJson) {
        // leave null
      }
      return new Reply(r.statusCode(), r.body(), json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

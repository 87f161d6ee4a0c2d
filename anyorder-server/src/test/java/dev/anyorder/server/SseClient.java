package dev.anyorder.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Reads a Server-Sent Events response for tests. */
final class SseClient {
  /**
   * One event.
   *
   * @param name the event name
   * @param data its JSON payload
   * @param receivedNanos {@link System#nanoTime()} when its last line was read
   */
  record Event(String name, JsonNode data, long receivedNanos) {}

  /**
   * An open stream.
   *
   * @param status HTTP status
   * @param contentType the response's content type
   * @param reader the body, line by line
   * @param body the raw body stream, to close early
   */
  record Stream(int status, String contentType, BufferedReader reader, InputStream body) implements AutoCloseable {
    /** The next event, or null at the end of the stream; comments are skipped. */
    Event next() {
      try {
        String name = "message";
        StringBuilder data = new StringBuilder();
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          if (line.isEmpty()) {
            if (data.length() > 0) {
              return new Event(name, ResponseWriter.MAPPER.readTree(data.toString()), System.nanoTime());
            }
            continue;
          }
          if (line.startsWith("event:")) {
            name = line.substring(6).trim();
          } else if (line.startsWith("data:")) {
            data.append(line.substring(5).trim());
          }
        }
        return null;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    List<Event> all() {
      List<Event> events = new ArrayList<>();
      for (Event e = next(); e != null; e = next()) {
        events.add(e);
      }
      return events;
    }

    @Override
    public void close() throws IOException {
      body.close();
    }
  }

  static Stream open(HttpClient client, URI uri, String body, String token) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri).header("Content-Type", "application/json").timeout(Duration.ofSeconds(60))
        .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    try {
      HttpResponse<InputStream> r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
      return new Stream(r.statusCode(), r.headers().firstValue("Content-Type").orElse(""),
          new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8)), r.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}

package dev.anyorder.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyorder.io.JsonFields;
import java.io.IOException;

/**
 * Parses request bodies strictly: UTF-8 JSON with one top-level object, no duplicate keys, no trailing
 * content, bounded nesting and number lengths, a failure being an {@link ApiException} with status 400;
 * then the core's {@link JsonFields} reads fields by name with exact types and ranges, a failure being an
 * {@link dev.anyorder.io.InvalidFieldException} naming the field, which the server answers with a 400 whose
 * {@code field} it is. Nothing of the parser's internals reaches the client.
 */
final class StrictJson {
  /** Requests are flat objects with small arrays and one level of objects; nothing needs more. */
  static final int MAX_NESTING = 8;

  private static final ObjectMapper MAPPER = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).maxNumberLength(40)
          .maxStringLength(1 << 20).build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .build())
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private StrictJson() {}

  /** The top-level object of {@code body}. */
  static JsonFields parse(byte[] body) {
    if (body.length == 0) {
      throw ApiException.badRequest("the request body is empty; send a JSON object");
    }
    JsonNode node;
    try {
      node = MAPPER.readTree(body);
    } catch (StreamConstraintsException e) {
      throw ApiException.badRequest("the request body is too deeply nested or holds too long a number or string");
    } catch (JsonProcessingException e) {
      throw ApiException.badRequest("the request body is not valid JSON: " + oneLine(e.getOriginalMessage()));
    } catch (IOException | RuntimeException e) {
      throw ApiException.badRequest("the request body could not be read as JSON");
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("the request body must be a JSON object, got "
          + (node == null ? "nothing" : JsonFields.kind(node)));
    }
    return JsonFields.of(node, "");
  }

  static String oneLine(String message) {
    if (message == null) {
      return "malformed input";
    }
    String s = message.replaceAll("[\\r\\n\\t]+", " ");
    return s.length() > 160 ? s.substring(0, 160) + "…" : s;
  }
}

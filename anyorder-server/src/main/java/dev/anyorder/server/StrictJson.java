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
    String text = utf8(body);
    JsonNode node;
    try {
      // Parsed from the decoded text: Jackson would otherwise guess UTF-16 or UTF-32 from the first bytes.
      node = MAPPER.readTree(text);
    } catch (StreamConstraintsException e) {
      throw ApiException.badRequest("the request body is too deeply nested or holds too long a number or string");
    } catch (JsonProcessingException e) {
      // Jackson's own message names its classes and settings; the client gets fixed text and the place.
      throw ApiException.badRequest("the request body is not valid JSON" + where(e) + ": " + cause(e));
    } catch (IOException | RuntimeException e) {
      throw ApiException.badRequest("the request body could not be read as JSON");
    }
    if (node == null || !node.isObject()) {
      throw ApiException.badRequest("the request body must be a JSON object, got "
          + (node == null ? "nothing" : JsonFields.kind(node)));
    }
    return JsonFields.of(node, "");
  }

  /** The body as text; a body that is not UTF-8 (the API's one encoding) is a 400 saying where it goes wrong. */
  static String utf8(byte[] body) {
    java.nio.charset.CharsetDecoder decoder = java.nio.charset.StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
        .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
    java.nio.ByteBuffer in = java.nio.ByteBuffer.wrap(body);
    try {
      String text = decoder.decode(in).toString();
      if (text.indexOf('\u0000') >= 0) {
        // UTF-16 and UTF-32 text of ASCII characters is valid UTF-8 full of NULs, which JSON never holds raw.
        throw ApiException.badRequest("the request body holds a NUL byte at byte " + text.indexOf('\u0000')
            + "; send JSON encoded as UTF-8");
      }
      return text;
    } catch (java.nio.charset.CharacterCodingException e) {
      throw ApiException.badRequest("the request body is not UTF-8 (a malformed byte sequence near byte " + in.position()
          + "); send JSON encoded as UTF-8");
    }
  }

  /** {@code " at line L, column C"}, or nothing when the parser knows no place. */
  private static String where(JsonProcessingException e) {
    com.fasterxml.jackson.core.JsonLocation at = e.getLocation();
    if (at == null || at.getLineNr() < 1) {
      return "";
    }
    return " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  /**
   * What is wrong, in fixed words: a class of mistake from the parser's exception type and message, never the
   * message itself (it quotes Jackson's classes, settings and the offending input).
   */
  private static String cause(JsonProcessingException e) {
    String m = String.valueOf(e.getOriginalMessage()).toLowerCase(java.util.Locale.ROOT);
    if (e instanceof com.fasterxml.jackson.core.io.JsonEOFException || m.contains("end-of-input") || m.contains("end of input")) {
      return "it ends too early";
    }
    if (m.contains("duplicate field")) {
      return "a field appears twice";
    }
    if (m.contains("trailing token")) {
      return "there is more after the top-level value";
    }
    if (m.contains("non-standard")) {
      return "a number is not a JSON number (NaN and Infinity are not allowed)";
    }
    if (m.contains("leading zero")) {
      return "a number has a leading zero";
    }
    if (m.contains("control character") || m.contains("illegal unquoted character")) {
      return "a string holds a raw control character (escape it)";
    }
    if (m.contains("unrecognized token") || m.contains("unexpected character")) {
      return "an unexpected character or word";
    }
    if (m.contains("escape")) {
      return "a string holds an invalid escape";
    }
    return "malformed input";
  }

  static String oneLine(String message) {
    if (message == null) {
      return "malformed input";
    }
    String s = message.replaceAll("[\\r\\n\\t]+", " ");
    return s.length() > 160 ? s.substring(0, 160) + "…" : s;
  }
}

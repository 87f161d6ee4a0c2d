package dev.anyorder.data;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.zip.GZIPInputStream;

/**
 * Where training data came from: a file's path, size, SHA-256 and whether it was gzip-compressed, as
 * recorded in a checkpoint's provenance. Also reads such a file as UTF-8 text.
 *
 * @param path the file as given
 * @param bytes size of the file on disk
 * @param sha256 lower-case hex SHA-256 of the file on disk (compressed bytes for gzip)
 * @param gzip whether the file was gzip-compressed (detected by its magic bytes, not its name)
 */
public record SourceFile(Path path, long bytes, String sha256, boolean gzip) {

  public SourceFile {
    Objects.requireNonNull(path, "path must not be null");
    Objects.requireNonNull(sha256, "sha256 must not be null");
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must be non-negative, got " + bytes);
    }
    if (!sha256.matches("[0-9a-f]{64}")) {
      throw new IllegalArgumentException("sha256 must be 64 lower-case hex digits, got '" + sha256 + "'");
    }
  }

  /** A file's text with the description of the file it came from. */
  public record Text(SourceFile source, String text) {
    public Text {
      Objects.requireNonNull(source, "source must not be null");
      Objects.requireNonNull(text, "text must not be null");
    }
  }

  /**
   * Reads {@code file} (plain or gzip, by magic sniffing) as strict UTF-8; a leading byte order mark is
   * dropped.
   *
   * @throws DataFileException if the file is missing, not valid gzip, or not valid UTF-8 (naming the
   *     byte offset of the first malformed sequence)
   */
  public static Text readText(Path file) {
    byte[] raw;
    try {
      raw = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new DataFileException("missing file " + file);
    } catch (IOException | OutOfMemoryError e) {
      throw new DataFileException("cannot read " + file + ": " + e, e);
    }
    boolean gzip = raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b;
    byte[] content = raw;
    if (gzip) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 1 << 16)) {
        content = in.readAllBytes();
      } catch (IOException e) {
        throw new DataFileException(file + ": corrupt gzip data: " + e.getMessage(), e);
      }
    }
    SourceFile source = new SourceFile(file, raw.length, sha256Hex(raw), gzip);
    return new Text(source, decodeUtf8(content, file, gzip));
  }

  private static String decodeUtf8(byte[] content, Path file, boolean gzip) {
    int start = content.length >= 3 && (content[0] & 0xff) == 0xef && (content[1] & 0xff) == 0xbb
        && (content[2] & 0xff) == 0xbf ? 3 : 0;
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(content, start, content.length - start);
    CharBuffer out = CharBuffer.allocate(content.length - start);
    CoderResult result = decoder.decode(in, out, true);
    if (!result.isError()) {
      result = decoder.flush(out);
    }
    if (result.isError()) {
      throw new DataFileException(file + ": not valid UTF-8: malformed byte sequence at byte offset " + in.position()
          + (gzip ? " of the decompressed content" : ""));
    }
    out.flip();
    return out.toString();
  }

  /** Provenance JSON: path, bytes, sha256, gzip. */
  public ObjectNode toJson() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    json.put("path", path.toString());
    json.put("bytes", bytes);
    json.put("sha256", sha256);
    json.put("gzip", gzip);
    return json;
  }

  static String sha256Hex(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every Java platform", e);
    }
  }
}

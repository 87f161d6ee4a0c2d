package dev.anyorder.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Reader and writer of the <a href="https://github.com/huggingface/safetensors">safetensors</a> format:
 * an unsigned 64-bit little-endian header length {@code N}, {@code N} bytes of UTF-8 JSON mapping each
 * tensor name to {@code {"dtype", "shape", "data_offsets": [begin, end]}} (offsets relative to the data
 * buffer after the header) plus an optional {@code "__metadata__"} string map, then the little-endian,
 * row-major tensor data.
 *
 * <p>Reads F32, F16 and BF16 (converted to float) and rejects other dtypes. Writes F32 in the given order,
 * with the header padded with spaces to a multiple of 8 bytes, exactly as the reference implementation
 * does, so that any safetensors reader can load the result. Reading validates the whole header before
 * touching the data: the offsets must tile the data buffer exactly, without gaps, overlaps or trailing
 * bytes. Every error is a {@link CheckpointException} naming the file and the tensor.
 */
public final class Safetensors {
  /** Header key of the free-form string metadata. */
  public static final String METADATA_KEY = "__metadata__";
  /** Largest header accepted, as in the reference implementation. */
  static final long MAX_HEADER_BYTES = 100L * 1024 * 1024;
  private static final int CHUNK_BYTES = 8 << 20;
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
  private static final float[] HALF_TO_FLOAT = halfTable();

  private Safetensors() {}

  /** Element types this reader understands, with their safetensors names and sizes. */
  enum DType {
    F32(4),
    F16(2),
    BF16(2);

    final int bytes;

    DType(int bytes) {
      this.bytes = bytes;
    }
  }

  /** One validated header entry. */
  private record Entry(String name, DType dtype, long[] shape, long count, long begin, long end) {}

  // ------------------------------------------------------------------------------------------------ read

  /** Reads every tensor and the metadata of {@code file}. */
  public static TensorFile read(Path file) {
    Objects.requireNonNull(file, "file must not be null");
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      long size = channel.size();
      if (size < 8) {
        throw fail(file, "truncated: " + size + " bytes, shorter than the 8-byte header length");
      }
      long headerLength = readFully(channel, 0, 8).getLong(0);
      if (headerLength < 0 || headerLength > size - 8) {
        throw fail(file, "header length " + Long.toUnsignedString(headerLength) + " is larger than the file ("
            + size + " bytes): truncated or not a safetensors file");
      }
      if (headerLength > MAX_HEADER_BYTES) {
        throw fail(file, "header length " + headerLength + " exceeds the limit of " + MAX_HEADER_BYTES + " bytes");
      }
      ByteBuffer headerBytes = readFully(channel, 8, (int) headerLength);
      long dataStart = 8 + headerLength;
      ParsedHeader header = parseHeader(headerBytes, file);
      checkLayout(header.entries, size - dataStart, file);
      List<NamedTensor> tensors = new ArrayList<>(header.entries.size());
      ByteBuffer chunk = ByteBuffer.allocateDirect(CHUNK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (Entry e : header.entries) {
        float[] data = readData(channel, dataStart + e.begin, e, chunk, file);
        tensors.add(new NamedTensor(e.name, e.shape, data));
      }
      return new TensorFile(tensors, header.metadata);
    } catch (NoSuchFileException e) {
      throw new CheckpointException("missing file " + file);
    } catch (EOFException e) {
      throw fail(file, "truncated while reading: " + e.getMessage());
    } catch (IOException e) {
      throw new CheckpointException("cannot read " + file + ": " + e, e);
    }
  }

  private record ParsedHeader(List<Entry> entries, Map<String, String> metadata) {}

  private static ParsedHeader parseHeader(ByteBuffer bytes, Path file) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(bytes).toString();
    } catch (CharacterCodingException e) {
      throw fail(file, "header is not valid UTF-8");
    }
    if (!text.startsWith("{")) {
      throw fail(file, "header is not a JSON object (it must start with '{'): not a safetensors file");
    }
    JsonNode root;
    try {
      root = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw fail(file, "header is not valid JSON: " + e.getOriginalMessage());
    }
    if (root == null || !root.isObject()) {
      throw fail(file, "header is not a JSON object");
    }
    List<Entry> entries = new ArrayList<>();
    Map<String, String> metadata = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      if (field.getKey().equals(METADATA_KEY)) {
        readMetadata(field.getValue(), metadata, file);
      } else {
        entries.add(parseEntry(field.getKey(), field.getValue(), file));
      }
    }
    return new ParsedHeader(entries, metadata);
  }

  private static void readMetadata(JsonNode node, Map<String, String> metadata, Path file) {
    if (!node.isObject()) {
      throw fail(file, METADATA_KEY + " must be a JSON object of strings, got " + node.getNodeType());
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> m = it.next();
      if (!m.getValue().isTextual()) {
        throw fail(file, METADATA_KEY + " value of '" + m.getKey() + "' must be a string, got "
            + m.getValue().getNodeType());
      }
      metadata.put(m.getKey(), m.getValue().textValue());
    }
  }

  private static Entry parseEntry(String name, JsonNode node, Path file) {
    if (name.isEmpty()) {
      throw fail(file, "header has a tensor with an empty name");
    }
    if (!node.isObject()) {
      throw failTensor(file, name, "header entry must be a JSON object, got " + node.getNodeType());
    }
    JsonNode dtypeNode = node.get("dtype");
    if (dtypeNode == null) {
      throw failTensor(file, name, "missing field \"dtype\"");
    }
    if (!dtypeNode.isTextual()) {
      throw failTensor(file, name, "\"dtype\" must be a string, got " + dtypeNode);
    }
    DType dtype;
    try {
      dtype = DType.valueOf(dtypeNode.textValue());
    } catch (IllegalArgumentException e) {
      throw failTensor(file, name, "unsupported dtype " + dtypeNode.textValue() + " (only F32, F16 and BF16 can be read)");
    }
    JsonNode shapeNode = node.get("shape");
    if (shapeNode == null) {
      throw failTensor(file, name, "missing field \"shape\"");
    }
    if (!shapeNode.isArray()) {
      throw failTensor(file, name, "\"shape\" must be an array of non-negative integers, got " + shapeNode);
    }
    long[] shape = new long[shapeNode.size()];
    for (int i = 0; i < shape.length; i++) {
      shape[i] = nonNegativeInteger(shapeNode.get(i), file, name, "\"shape\" " + shapeNode);
    }
    JsonNode offsetsNode = node.get("data_offsets");
    if (offsetsNode == null) {
      throw failTensor(file, name, "missing field \"data_offsets\"");
    }
    if (!offsetsNode.isArray() || offsetsNode.size() != 2) {
      throw failTensor(file, name, "\"data_offsets\" must be an array [begin, end], got " + offsetsNode);
    }
    long begin = nonNegativeInteger(offsetsNode.get(0), file, name, "\"data_offsets\" " + offsetsNode);
    long end = nonNegativeInteger(offsetsNode.get(1), file, name, "\"data_offsets\" " + offsetsNode);
    if (end < begin) {
      throw failTensor(file, name, "header lies about offsets: \"data_offsets\" " + offsetsNode + " end before they begin");
    }
    long count;
    long expectedBytes;
    try {
      count = NamedTensor.elementCount(shape, name);
      expectedBytes = Math.multiplyExact(count, dtype.bytes);
    } catch (IllegalArgumentException | ArithmeticException e) {
      throw failTensor(file, name, "shape " + Arrays.toString(shape) + " is too large");
    }
    if (end - begin != expectedBytes) {
      throw failTensor(file, name, "data_offsets " + offsetsNode + " span " + (end - begin) + " bytes but shape "
          + Arrays.toString(shape) + " of " + dtype + " needs " + expectedBytes);
    }
    if (count > Integer.MAX_VALUE - 8) {
      throw failTensor(file, name, count + " values do not fit in one Java array");
    }
    return new Entry(name, dtype, shape, count, begin, end);
  }

  private static long nonNegativeInteger(JsonNode n, Path file, String tensor, String what) {
    if (!n.isIntegralNumber()) {
      throw failTensor(file, tensor, what + " must hold non-negative integers, found " + n);
    }
    if (!n.canConvertToLong()) {
      throw failTensor(file, tensor, what + " holds " + n + ", too large for this reader");
    }
    if (n.longValue() < 0) {
      throw failTensor(file, tensor, what + " must hold non-negative integers, found " + n);
    }
    return n.longValue();
  }

  /** The offsets, sorted, must tile [0, dataBytes) exactly. */
  private static void checkLayout(List<Entry> entries, long dataBytes, Path file) {
    entries.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
    long position = 0;
    Entry previous = null;
    for (Entry e : entries) {
      if (e.begin != position) {
        String where = previous == null ? "the data buffer starts at 0" : "tensor '" + previous.name + "' ends at " + position;
        String kind = e.begin < position ? "overlaps" : "leaves a gap";
        throw failTensor(file, e.name, "header lies about offsets: tensor begins at " + e.begin + " but " + where
            + " (" + kind + ")");
      }
      position = e.end;
      previous = e;
    }
    if (position > dataBytes) {
      throw fail(file, "truncated: the header describes " + position + " bytes of tensor data but only " + dataBytes
          + " follow the header");
    }
    if (position < dataBytes) {
      throw fail(file, "header lies about offsets: tensors cover " + position + " bytes but " + dataBytes
          + " bytes of data follow the header");
    }
  }

  private static float[] readData(FileChannel channel, long position, Entry e, ByteBuffer chunk, Path file)
      throws IOException {
    float[] out = new float[(int) e.count];
    int perChunk = CHUNK_BYTES / e.dtype.bytes;
    short[] halves = e.dtype == DType.F32 ? null : new short[(int) Math.min(perChunk, e.count)];
    int done = 0;
    while (done < out.length) {
      int n = Math.min(perChunk, out.length - done);
      chunk.clear().limit(n * e.dtype.bytes);
      readFully(channel, position + (long) done * e.dtype.bytes, chunk, file, e.name);
      chunk.flip();
      switch (e.dtype) {
        case F32 -> chunk.asFloatBuffer().get(out, done, n);
        case F16 -> {
          chunk.asShortBuffer().get(halves, 0, n);
          for (int i = 0; i < n; i++) {
            out[done + i] = HALF_TO_FLOAT[halves[i] & 0xffff];
          }
        }
        case BF16 -> {
          chunk.asShortBuffer().get(halves, 0, n);
          for (int i = 0; i < n; i++) {
            out[done + i] = Float.intBitsToFloat((halves[i] & 0xffff) << 16);
          }
        }
      }
      done += n;
    }
    return out;
  }

  private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    readFully(channel, position, buffer, null, null);
    buffer.flip();
    return buffer;
  }

  private static void readFully(FileChannel channel, long position, ByteBuffer into, Path file, String tensor)
      throws IOException {
    long at = position;
    while (into.hasRemaining()) {
      int n = channel.read(into, at);
      if (n < 0) {
        throw new EOFException("file ended at byte " + at + (tensor == null ? "" : " inside tensor '" + tensor + "'"));
      }
      at += n;
    }
  }

  /** IEEE 754 binary16 to float, for all 65536 bit patterns. */
  private static float[] halfTable() {
    float[] table = new float[1 << 16];
    for (int bits = 0; bits < table.length; bits++) {
      table[bits] = halfToFloat(bits);
    }
    return table;
  }

  static float halfToFloat(int bits) {
    int sign = (bits & 0x8000) << 16;
    int exponent = (bits >>> 10) & 0x1f;
    int mantissa = bits & 0x3ff;
    if (exponent == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
    }
    if (exponent == 0) {
      float magnitude = mantissa * 0x1p-24f; // subnormal (or zero): mantissa * 2^-24
      return sign == 0 ? magnitude : -magnitude;
    }
    return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
  }

  // ----------------------------------------------------------------------------------------------- write

  /** Atomically writes {@code contents} as F32 to {@code file} (see {@link AtomicFiles}). */
  public static AtomicFiles.WrittenFile write(Path file, TensorFile contents) {
    try {
      return AtomicFiles.write(file, out -> write(out, contents));
    } catch (IOException e) {
      throw new CheckpointException("cannot write " + file + ": " + e, e);
    }
  }

  /** Writes {@code contents} as F32 to {@code out} in safetensors layout; the stream is not closed. */
  public static void write(OutputStream out, TensorFile contents) throws IOException {
    byte[] header = header(contents);
    ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
    chunk.putLong(header.length);
    out.write(chunk.array(), 0, 8);
    out.write(header);
    int perChunk = chunk.capacity() / Float.BYTES;
    for (NamedTensor t : contents.tensors()) {
      float[] data = t.data();
      for (int done = 0; done < data.length; ) {
        int n = Math.min(perChunk, data.length - done);
        chunk.clear();
        chunk.asFloatBuffer().put(data, done, n);
        out.write(chunk.array(), 0, n * Float.BYTES);
        done += n;
      }
    }
  }

  /** The JSON header of {@code contents} as written, padded with spaces to a multiple of 8 bytes. */
  static byte[] header(TensorFile contents) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    if (!contents.metadata().isEmpty()) {
      ObjectNode metadata = root.putObject(METADATA_KEY);
      contents.metadata().forEach(metadata::put);
    }
    long offset = 0;
    for (NamedTensor t : contents.tensors()) {
      ObjectNode entry = root.putObject(t.name());
      entry.put("dtype", "F32");
      ArrayNode shape = entry.putArray("shape");
      for (long d : t.shape()) {
        shape.add(d);
      }
      long end = offset + (long) t.data().length * Float.BYTES;
      entry.putArray("data_offsets").add(offset).add(end);
      offset = end;
    }
    byte[] json;
    try {
      json = JSON.writeValueAsBytes(root);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a safetensors header", e);
    }
    int padded = (json.length + 7) / 8 * 8;
    byte[] header = Arrays.copyOf(json, padded);
    Arrays.fill(header, json.length, padded, (byte) ' ');
    return header;
  }

  private static CheckpointException fail(Path file, String message) {
    return new CheckpointException(file + ": " + message);
  }

  private static CheckpointException failTensor(Path file, String tensor, String message) {
    return new CheckpointException(file + ": tensor '" + tensor + "': " + message);
  }
}

package dev.anyorder.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsTest {
  @TempDir Path tmp;

  private static byte[] file(String header, byte[] data) {
    byte[] h = header.getBytes(StandardCharsets.UTF_8);
    return file(h.length, h, data);
  }

  private static byte[] file(long declaredLength, byte[] header, byte[] data) {
    ByteBuffer b = ByteBuffer.allocate(8 + header.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
    b.putLong(declaredLength).put(header).put(data);
    return b.array();
  }

  private static byte[] shorts(int... values) {
    ByteBuffer b = ByteBuffer.allocate(values.length * 2).order(ByteOrder.LITTLE_ENDIAN);
    for (int v : values) {
      b.putShort((short) v);
    }
    return b.array();
  }

  private Path put(String name, byte[] bytes) throws IOException {
    Path p = tmp.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private CheckpointException rejected(String header, byte[] data) throws IOException {
    Path p = put("bad.safetensors", file(header, data));
    CheckpointException e = assertThrows(CheckpointException.class, () -> Safetensors.read(p));
    assertTrue(e.getMessage().contains(p.toString()), "message names the file: " + e.getMessage());
    return e;
  }

  private static void assertContains(String expected, Throwable e) {
    assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
  }

  @Test
  void roundTripsF32WithMetadataScalarsAndEmptyTensors() {
    Random r = new Random(1);
    float[] big = new float[3 * 1000 * 700];
    for (int i = 0; i < big.length; i++) {
      big[i] = (float) r.nextGaussian();
    }
    List<NamedTensor> tensors = List.of(
        new NamedTensor("z.big", new long[] {3, 1000, 700}, big),
        new NamedTensor("a.scalar", new long[] {}, new float[] {Float.NaN}),
        new NamedTensor("m.empty", new long[] {0, 5}, new float[0]),
        new NamedTensor("b.vec", new long[] {3}, new float[] {-0.0f, Float.POSITIVE_INFINITY, Float.MIN_VALUE}));
    TensorFile written = new TensorFile(tensors, Map.of("step", "42", "ü", "ñ"));
    Path p = tmp.resolve("t.safetensors");
    Safetensors.write(p, written);
    TensorFile read = Safetensors.read(p);
    assertEquals(written, read);
    assertEquals(List.of("z.big", "a.scalar", "m.empty", "b.vec"), read.tensors().stream().map(NamedTensor::name).toList());
  }

  @Test
  void writesExactlyWhatThePythonReferenceWrites() throws IOException {
    // safetensors.numpy.save_file({"a": np.array([1, 2], dtype=np.float32)}) produces these bytes.
    Path p = tmp.resolve("tiny.safetensors");
    Safetensors.write(p, TensorFile.of(List.of(new NamedTensor("a", new long[] {2}, new float[] {1f, 2f}))));
    String json = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}";
    assertEquals(54, json.length()); // padded with 2 spaces to 56
    byte[] expected = new byte[8 + 56 + 8];
    expected[0] = 56;
    System.arraycopy(json.getBytes(StandardCharsets.US_ASCII), 0, expected, 8, 54);
    Arrays.fill(expected, 8 + 54, 8 + 56, (byte) ' ');
    byte[] data = {0, 0, (byte) 0x80, 0x3f, 0, 0, 0, 0x40};
    System.arraycopy(data, 0, expected, 64, 8);
    assertArrayEquals(expected, Files.readAllBytes(p));
  }

  @Test
  void metadataComesFirstAndHeaderIsPaddedToEight() throws IOException {
    Path p = tmp.resolve("m.safetensors");
    Safetensors.write(p, new TensorFile(List.of(new NamedTensor("w", new long[] {1}, new float[] {3f})),
        Map.of("format", "pt")));
    byte[] bytes = Files.readAllBytes(p);
    long n = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong();
    assertEquals(0, n % 8);
    String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
    assertEquals("{\"__metadata__\":{\"format\":\"pt\"},\"w\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}",
        header.stripTrailing());
  }

  @Test
  void readsF16() throws IOException {
    byte[] data = shorts(0x3C00, 0xC000, 0x3800, 0x7BFF, 0x0001, 0x8000, 0x7C00, 0xFC00, 0x7E00, 0x0400);
    Path p = put("h.safetensors", file("{\"h\":{\"dtype\":\"F16\",\"shape\":[2,5],\"data_offsets\":[0,20]}}", data));
    NamedTensor t = Safetensors.read(p).tensors().get(0);
    assertArrayEquals(new long[] {2, 5}, t.shape());
    float[] expected = {1f, -2f, 0.5f, 65504f, 0x1p-24f, -0.0f, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY,
        Float.NaN, 0x1p-14f};
    assertArrayEquals(expected, t.data());
    for (int bits = 0; bits < 1 << 16; bits++) { // agrees with a direct evaluation of the IEEE formula
      int e = (bits >> 10) & 0x1f;
      int m = bits & 0x3ff;
      double v = e == 0 ? m * Math.pow(2, -24) : e == 31 ? (m == 0 ? Double.POSITIVE_INFINITY : Double.NaN)
          : (1 + m / 1024.0) * Math.pow(2, e - 15);
      v = (bits & 0x8000) != 0 ? -v : v;
      assertEquals((float) v, Safetensors.halfToFloat(bits), "bits " + Integer.toHexString(bits));
    }
  }

  @Test
  void readsBF16() throws IOException {
    byte[] data = shorts(0x3F80, 0xC000, 0x4049, 0x0000, 0x7F80);
    Path p = put("b.safetensors", file("{\"b\":{\"dtype\":\"BF16\",\"shape\":[5],\"data_offsets\":[0,10]}}", data));
    assertArrayEquals(new float[] {1f, -2f, 3.140625f, 0f, Float.POSITIVE_INFINITY},
        Safetensors.read(p).tensors().get(0).data());
  }

  @Test
  void rejectsOtherDtypesNamingTensorAndDtype() throws IOException {
    var e = rejected("{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]);
    assertContains("tensor 'ids'", e);
    assertContains("unsupported dtype I64", e);
  }

  @Test
  void rejectsFilesShorterThanTheHeaderLength() throws IOException {
    Path p = put("short.safetensors", new byte[] {1, 2, 3});
    assertContains("shorter than the 8-byte header length", assertThrows(CheckpointException.class, () -> Safetensors.read(p)));
  }

  @Test
  void rejectsHeaderLengthLargerThanTheFile() throws IOException {
    byte[] header = "{}".getBytes(StandardCharsets.UTF_8);
    Path p = put("long.safetensors", file(1000, header, new byte[0]));
    var e = assertThrows(CheckpointException.class, () -> Safetensors.read(p));
    assertContains("header length 1000 is larger than the file (10 bytes)", e);
    Path q = put("neg.safetensors", file(-1, header, new byte[0]));
    assertContains("header length 18446744073709551615 is larger", assertThrows(CheckpointException.class, () -> Safetensors.read(q)));
  }

  @Test
  void rejectsInvalidJson() throws IOException {
    assertContains("header is not valid JSON", rejected("{\"a\":{\"dtype\":\"F32\",", new byte[0]));
    assertContains("not a JSON object", rejected("[1,2]   ", new byte[0]));
    assertContains("header is not valid JSON", rejected("{\"a\":1} {}", new byte[0]));
    assertContains("Duplicate field 'a'", rejected(
        "{\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]},\"a\":{\"dtype\":\"F32\",\"shape\":[],\"data_offsets\":[0,4]}}",
        new byte[4]));
  }

  @Test
  void rejectsMissingFields() throws IOException {
    assertContains("tensor 'a': missing field \"dtype\"", rejected("{\"a\":{\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[4]));
    assertContains("tensor 'a': missing field \"shape\"", rejected("{\"a\":{\"dtype\":\"F32\",\"data_offsets\":[0,4]}}", new byte[4]));
    assertContains("tensor 'a': missing field \"data_offsets\"", rejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[1]}}", new byte[4]));
    assertContains("\"data_offsets\" must be an array [begin, end]",
        rejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0]}}", new byte[4]));
    assertContains("__metadata__ value of 'k' must be a string",
        rejected("{\"__metadata__\":{\"k\":1}}", new byte[0]));
  }

  @Test
  void rejectsNegativeOrNonIntegerShapes() throws IOException {
    var e = rejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[-1],\"data_offsets\":[0,4]}}", new byte[4]);
    assertContains("tensor 'a'", e);
    assertContains("non-negative integers, found -1", e);
    assertContains("found 2.5", rejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[2.5],\"data_offsets\":[0,4]}}", new byte[4]));
    assertContains("found \"2\"", rejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[\"2\"],\"data_offsets\":[0,8]}}", new byte[8]));
  }

  @Test
  void rejectsByteLengthNotMatchingShape() throws IOException {
    var e = rejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]);
    assertContains("tensor 'a': data_offsets [0,8] span 8 bytes but shape [3] of F32 needs 12", e);
  }

  @Test
  void rejectsOffsetsThatOverlapLeaveGapsOrDoNotCoverTheBuffer() throws IOException {
    String overlap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}";
    var e = rejected(overlap, new byte[8]);
    assertContains("tensor 'b': header lies about offsets", e);
    assertContains("overlaps", e);
    String gap = "{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]},"
        + "\"b\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[8,12]}}";
    assertContains("leaves a gap", rejected(gap, new byte[12]));
    assertContains("tensor 'a': header lies about offsets: tensor begins at 4 but the data buffer starts at 0",
        rejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[4,8]}}", new byte[8]));
    assertContains("header lies about offsets: tensors cover 4 bytes but 8 bytes",
        rejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[1],\"data_offsets\":[0,4]}}", new byte[8]));
    assertContains("end before they begin",
        rejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[0],\"data_offsets\":[8,4]}}", new byte[8]));
  }

  @Test
  void rejectsOffsetsBeyondTheFileAndTruncatedFiles() throws IOException {
    assertContains("truncated: the header describes 8 bytes of tensor data but only 4 follow",
        rejected("{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]}}", new byte[4]));
    Path good = tmp.resolve("good.safetensors");
    Safetensors.write(good, TensorFile.of(List.of(new NamedTensor("w", new long[] {4}, new float[] {1, 2, 3, 4}))));
    byte[] bytes = Files.readAllBytes(good);
    Path cut = put("cut.safetensors", Arrays.copyOf(bytes, bytes.length - 3));
    var e = assertThrows(CheckpointException.class, () -> Safetensors.read(cut));
    assertContains(cut.toString(), e);
    assertContains("truncated", e);
    Path cutHeader = put("cuth.safetensors", Arrays.copyOf(bytes, 20));
    assertContains("is larger than the file", assertThrows(CheckpointException.class, () -> Safetensors.read(cutHeader)));
  }

  @Test
  void missingFileIsNamed() {
    Path p = tmp.resolve("nope.safetensors");
    assertContains("missing file " + p, assertThrows(CheckpointException.class, () -> Safetensors.read(p)));
  }

  @Test
  void namedTensorValidatesAndComparesContents() {
    var e = assertThrows(IllegalArgumentException.class, () -> new NamedTensor("w", new long[] {2, 3}, new float[5]));
    assertContains("tensor 'w': shape [2, 3] holds 6 values but data has 5", e);
    assertContains("negative dimension", assertThrows(IllegalArgumentException.class,
        () -> new NamedTensor("w", new long[] {-1}, new float[0])));
    NamedTensor a = new NamedTensor("w", new long[] {2}, new float[] {1, 2});
    NamedTensor b = new NamedTensor("w", new long[] {2}, new float[] {1, 2});
    assertEquals(a, b);
    assertEquals(a.hashCode(), b.hashCode());
    assertTrue(!a.equals(new NamedTensor("w", new long[] {2}, new float[] {1, 3})));
    assertContains("duplicate tensor name 'w'", assertThrows(IllegalArgumentException.class,
        () -> TensorFile.of(List.of(a, b))));
  }
}

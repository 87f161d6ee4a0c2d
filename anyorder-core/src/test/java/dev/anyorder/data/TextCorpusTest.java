package dev.anyorder.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TextCorpusTest {
  @TempDir Path tmp;

  private Path text(String name, String content) throws IOException {
    return Files.writeString(tmp.resolve(name), content);
  }

  private static String sample() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      b.append((char) ('a' + i % 7));
    }
    return b.toString();
  }

  @Test
  void splitsFirstNinetyPercentForTraining() throws IOException {
    TextCorpus c = TextCorpus.read(text("t.txt", sample()), null, 5, 0.1);
    assertEquals(100, c.tokenCount());
    assertEquals(7, c.vocabSize());
    assertArrayEquals(Arrays.copyOfRange(c.ids(), 0, 90), c.trainIds());
    assertArrayEquals(Arrays.copyOfRange(c.ids(), 90, 100), c.validationIds());
    assertEquals(sample(), c.vocabulary().decode(c.ids()));
    List<int[][]> validation = c.validationBatches(1, 10);
    assertEquals(2, validation.size());
    assertArrayEquals(Arrays.copyOfRange(c.ids(), 95, 100), validation.get(1)[0]);
    List<int[][]> again = TextCorpus.read(tmp.resolve("t.txt"), null, 5, 0.1).validationBatches(1, 10);
    for (int i = 0; i < validation.size(); i++) {
      assertArrayEquals(validation.get(i), again.get(i));
    }
    assertEquals(1, c.validationBatches(1, 1).size());
  }

  @Test
  void samplesReproducibleWindowsFromTheTrainPart() throws IOException {
    TextCorpus c = TextCorpus.read(text("t.txt", sample()), null, 8, 0.1);
    int[][] a = c.batch(50, new SplittableRandom(7));
    int[][] b = c.batch(50, new SplittableRandom(7));
    assertArrayEquals(a, b);
    String train = c.vocabulary().decode(c.trainIds());
    for (int[] w : a) {
      assertEquals(8, w.length);
      assertTrue(train.contains(c.vocabulary().decode(w)));
    }
    assertThrows(IllegalArgumentException.class, () -> c.sampleWindows(1, 91, new SplittableRandom(1)));
  }

  @Test
  void readsGzipByMagicAndRecordsProvenance() throws IOException {
    Path plain = text("p.txt", sample());
    Path gz = tmp.resolve("compressed.bin");
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
      out.write(sample().getBytes(StandardCharsets.UTF_8));
    }
    TextCorpus a = TextCorpus.read(plain, null, 4, 0.1);
    TextCorpus b = TextCorpus.read(gz, a.vocabulary(), 4, 0.1);
    assertArrayEquals(a.ids(), b.ids());
    assertTrue(b.source().gzip());
    var p = b.provenance();
    assertEquals("text", p.get("format").textValue());
    assertEquals(Files.size(gz), p.get("bytes").longValue());
    assertEquals(SourceFile.sha256Hex(Files.readAllBytes(gz)), p.get("sha256").textValue());
    assertEquals(0.1, p.get("validationFraction").doubleValue());
  }

  @Test
  void rejectsMalformedUtf8NamingTheOffset() throws IOException {
    Path bad = Files.write(tmp.resolve("bad.txt"), new byte[] {'a', 'b', (byte) 0xC3, 'c', 'd'});
    var e = assertThrows(DataFileException.class, () -> TextCorpus.read(bad, null, 1, 0));
    assertEquals(bad + ": not valid UTF-8: malformed byte sequence at byte offset 2", e.getMessage());
  }

  @Test
  void rejectsUnknownCharactersAndTooShortTexts() throws IOException {
    Path p = text("t.txt", "abcz");
    var e = assertThrows(DataFileException.class,
        () -> TextCorpus.read(p, CharacterVocabulary.fromText("abc"), 1, 0));
    assertTrue(e.getMessage().contains("'z' (U+007A) at index 3"), e.getMessage());
    assertTrue(assertThrows(DataFileException.class, () -> TextCorpus.read(p, null, 5, 0)).getMessage()
        .contains("fewer than the sequence length 5"));
    assertTrue(assertThrows(DataFileException.class, () -> TextCorpus.read(p, null, 2, 0.25)).getMessage()
        .contains("the validation part"));
    assertThrows(IllegalArgumentException.class, () -> TextCorpus.read(p, null, 1, 1.0));
  }

  @Test
  void surrogatePairsAreSingleTokens() throws IOException {
    TextCorpus c = TextCorpus.read(text("e.txt", "😀a😀b"), null, 2, 0);
    assertEquals(4, c.tokenCount());
    assertEquals(3, c.vocabSize());
  }
}

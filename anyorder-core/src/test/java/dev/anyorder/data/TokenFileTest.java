package dev.anyorder.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenFileTest {
  @TempDir Path tmp;

  private Path file(String content) throws IOException {
    return Files.writeString(tmp.resolve("tokens.txt"), content);
  }

  private static String lines(int n) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < n; i++) {
      b.append(i % 5).append(' ').append((i + 1) % 5).append("\t").append(i % 3).append('\n');
    }
    return b.toString();
  }

  @Test
  void readsLinesIgnoringTrailingBlankLinesAndInfersTheVocabulary() throws IOException {
    TokenFile f = TokenFile.read(file("0 1 2\r\n3  4 5\n\n  \n"), 0);
    assertEquals(2, f.lineCount());
    assertEquals(3, f.sequenceLength());
    assertEquals(6, f.vocabSize());
    assertTrue(f.vocabSizeInferred());
    assertArrayEquals(new int[] {3, 4, 5}, f.line(1));
    TokenFile given = TokenFile.read(tmp.resolve("tokens.txt"), 10, 0);
    assertEquals(10, given.vocabSize());
    assertFalse(given.vocabSizeInferred());
  }

  @Test
  void linesOfTheWrongLengthAreNamed() throws IOException {
    Path p = file("1 2 3\n4 5 6\n7 8\n");
    var e = assertThrows(DataFileException.class, () -> TokenFile.read(p, 0));
    assertEquals(p + ": line 3 has 2 ids, expected 3 like line 1 (every sequence must have the same length)",
        e.getMessage());
  }

  @Test
  void malformedIdsAreNamed() throws IOException {
    Path p = file("1 2 3\n4 -5 6\n");
    assertEquals(p + ": line 2: '-5' (token 2) is not a non-negative integer id",
        assertThrows(DataFileException.class, () -> TokenFile.read(p, 0)).getMessage());
    Path q = file("1 2 x3\n");
    assertTrue(assertThrows(DataFileException.class, () -> TokenFile.read(q, 0)).getMessage().contains("line 1: 'x3'"));
    Path big = file("1 99999999999\n");
    assertTrue(assertThrows(DataFileException.class, () -> TokenFile.read(big, 0)).getMessage().contains("'99999999999'"));
  }

  @Test
  void idsBeyondAGivenVocabularyAreNamed() throws IOException {
    Path p = file("1 2\n3 7\n");
    assertEquals(p + ": line 2: id 7 is out of range for the vocabulary size 5 (ids must be in [0, 5))",
        assertThrows(DataFileException.class, () -> TokenFile.read(p, 5, 0)).getMessage());
  }

  @Test
  void blankLinesInTheMiddleAndEmptyFilesAreRejected() throws IOException {
    Path p = file("1 2\n\n3 4\n");
    assertTrue(assertThrows(DataFileException.class, () -> TokenFile.read(p, 0)).getMessage()
        .contains("line 2 is blank but sequences follow it (line 3)"));
    Path empty = file("\n\n");
    assertTrue(assertThrows(DataFileException.class, () -> TokenFile.read(empty, 0)).getMessage().contains("no sequences"));
  }

  @Test
  void splitsTheLastLinesForValidationDeterministically() throws IOException {
    Path p = file(lines(20));
    TokenFile f = TokenFile.read(p, 0.25);
    assertEquals(15, f.trainLineCount());
    List<int[][]> v = f.validationBatches(2, 100);
    assertEquals(3, v.size());
    assertEquals(1, v.get(2).length);
    assertArrayEquals(f.line(15), v.get(0)[0]);
    assertArrayEquals(f.line(19), v.get(2)[0]);
    assertEquals(1, f.validationBatches(2, 1).size());
    int[][] a = f.batch(40, new SplittableRandom(3));
    assertArrayEquals(a, TokenFile.read(p, 0.25).batch(40, new SplittableRandom(3)));
    for (int[] line : a) {
      boolean inTrain = false;
      for (int i = 0; i < 15; i++) {
        inTrain |= java.util.Arrays.equals(line, f.line(i));
      }
      assertTrue(inTrain, "batches come from the train lines");
    }
    var prov = f.provenance();
    assertEquals("tokens", prov.get("format").textValue());
    assertEquals(20, prov.get("lines").intValue());
    assertEquals(64, prov.get("sha256").textValue().length());
  }

  @Test
  void tooFewLinesForTheSplitIsAnError() throws IOException {
    Path p = file("1 2\n");
    assertTrue(assertThrows(DataFileException.class, () -> TokenFile.read(p, 0.5)).getMessage().contains("no train lines"));
  }
}

package dev.anyorder.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.data.Vocabulary;
import dev.anyorder.sampling.GapRequest;
import dev.anyorder.sampling.SampleRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@link TextTemplate#parseGaps}: {@code {...}} and {@code {...N}} beside {@code _} and {@code {_N}}, several per
 * text, and bad input refused with the problem and where it is.
 */
class GapTemplateTest {
  static final Vocabulary TEXT = CharacterVocabulary.fromText("abc d,.:");
  static final int G = GapRequest.GAP;
  static final int U = SampleRequest.UNKNOWN;

  static int id(char c) {
    return TEXT.encode(String.valueOf(c))[0];
  }

  @Test
  void everyKindOfGapMixes() {
    GapRequest r = TextTemplate.parseGaps(TEXT, "a{...}b_{_2}c{...5}", '_', 32);
    assertArrayEquals(new int[] {id('a'), G, id('b'), U, U, U, id('c'), G}, r.template());
    assertArrayEquals(new int[] {32, 5}, r.maxLengths());
    assertEquals(2, r.gaps());
    assertArrayEquals(new int[] {id('a'), U, U, id('b'), U, U, U, id('c')}, r.expand(new int[] {2, 0}));
    assertArrayEquals(new int[][] {{1, 3}, {8, 8}}, r.spans(new int[] {2, 0}));
  }

  @Test
  void aTemplateWithoutGapsOfUnknownLengthIsTheOrdinaryRequest() {
    GapRequest r = TextTemplate.parseGaps(TEXT, "ab_{_2}c", '_', 8);
    assertEquals(0, r.gaps());
    assertArrayEquals(TextTemplate.parse(TEXT, "ab_{_2}c", '_').given(), r.template());
  }

  @Test
  void aTextFitsATemplateInEveryWayItsGapsAllow() {
    GapRequest r = TextTemplate.parseGaps(TEXT, "a{...}a{...2}", '_', 3);
    List<int[]> ways = TextTemplate.alignments(r, TEXT.encode("aaab"), 100);
    // "a" + "" + "a" + "ab", "a" + "a" + "a" + "b"; the second gap cannot take 3.
    assertEquals(2, ways.size());
    assertArrayEquals(new int[] {0, 2}, ways.get(0));
    assertArrayEquals(new int[] {1, 1}, ways.get(1));
    assertTrue(TextTemplate.alignments(r, TEXT.encode("ba"), 100).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> TextTemplate.alignments(r, TEXT.encode("aaab"), 1));
  }

  @Test
  void badInputNamesTheProblem() {
    assertMessage("a{...b", "unclosed brace at index 1");
    assertMessage("ab {x} c", "\"{x}\" at index 3 is not a gap");
    assertMessage("ab {_0} c", "at least 1 token");
    assertMessage("ab {...} é", "'é' (U+00E9) at index 9 is not in the model's vocabulary");
  }

  private static void assertMessage(String template, String expected) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TextTemplate.parseGaps(TEXT, template, '_', 8));
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }
}

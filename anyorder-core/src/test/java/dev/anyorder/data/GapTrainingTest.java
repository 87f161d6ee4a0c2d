package dev.anyorder.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.model.GapLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Gap examples ({@link GapTraining#example}) are windows with their spans cut out: the context survives in
 * order, each gap of unknown length is one marker with its true length, fixed gaps keep their width, the layout
 * fits the block, and the spans come at every scale, from empty to the longest gap, words starting after spaces.
 */
class GapTrainingTest {
  static final String TEXT = "In the beginning God created the heaven and the earth.\nAnd the earth was without form, and void;\n";

  @Test
  void examplesAreTheWindowWithItsSpansCutOut() {
    CharacterVocabulary v = CharacterVocabulary.fromText(TEXT);
    GapTraining gaps = GapTraining.of(0.5, 3, 32, v);
    int[] window = v.encode(TEXT.substring(0, 64));
    SplittableRandom rng = new SplittableRandom(1);
    List<Integer> lengths = new ArrayList<>();
    int wordStarts = 0;
    int spansAfterText = 0;
    for (int i = 0; i < 2000; i++) {
      GapTraining.Example e = gaps.example(window, 64, rng);
      if (e == null) {
        continue;
      }
      int[] layout = e.layout();
      assertTrue(layout.length <= 64);
      int markers = 0;
      int at = 0; // where the window resumes after the last span
      int g = 0;
      for (int p = 0; p < layout.length; p++) {
        if (layout[p] == GapLayout.MARKER) {
          markers++;
          int length = e.lengths()[g++];
          assertTrue(length >= 0 && length <= 32);
          lengths.add(length);
          if (at > 0 && length > 0) {
            spansAfterText++;
            wordStarts += window[at - 1] == v.idOf(' ') || window[at - 1] == v.idOf('\n') ? 1 : 0;
          }
          at += length;
        } else if (layout[p] == GapLayout.HOLE) {
          at++;
        } else {
          assertEquals(window[at], layout[p], "context out of order in example " + i);
          at++;
        }
      }
      assertEquals(e.lengths().length, markers);
      assertTrue(markers >= 1 && markers <= 3);
    }
    assertTrue(lengths.contains(0), "empty gaps (insertion points) are drawn");
    assertTrue(lengths.stream().anyMatch(l -> l >= 1 && l <= 4), "a few characters");
    assertTrue(lengths.stream().anyMatch(l -> l >= 20), "long spans, up to a verse");
    assertTrue(wordStarts > spansAfterText / 2, "word, phrase and verse spans start at a break: " + wordStarts + " of " + spansAfterText);
  }

  @Test
  void settingsAreChecked() {
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new GapTraining(0, 3, 32, null, null)).getMessage().contains("share"));
    assertTrue(assertThrows(IllegalArgumentException.class, () -> new GapTraining(0.5, 0, 32, null, null)).getMessage().contains("slot"));
  }
}

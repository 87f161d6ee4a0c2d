package dev.anyorder.tasks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

class SplitTest {

  @Test
  void equalContentAlwaysGetsTheSameSplit() {
    int[] a = {1, 2, 3, 4};
    assertEquals(Split.of(a), Split.of(a.clone()));
    assertEquals(Split.of(new int[] {9, 1, 2, 3, 4, 9}, 1, 5), Split.of(a));
  }

  @Test
  void roughlyOneInTenGoesToTest() {
    Random rng = new Random(1);
    int test = 0;
    for (int i = 0; i < 10_000; i++) {
      int[] c = rng.ints(20, 0, 5).toArray();
      test += Split.of(c) == Split.TEST ? 1 : 0;
    }
    assertTrue(test > 800 && test < 1200, "test share " + test);
  }

  @Test
  void rejectsBadRange() {
    assertThrows(IllegalArgumentException.class, () -> Split.of(new int[3], 2, 5));
  }

  @Test
  void instanceIsImmutableAndScoreOrdered() {
    int[] seq = {1, 2};
    TaskInstance t = new TaskInstance(seq, new boolean[] {true, false});
    seq[0] = 7;
    t.sequence()[1] = 7;
    assertEquals(1, t.token(0));
    assertEquals(2, t.token(1));
    assertEquals(Task.UNKNOWN, t.prompt()[1]);
    assertTrue(t.keepsKnown(new int[] {1, 0}));
    TaskScore s = TaskScore.builder().put("b", true).put("a", 0.5).build();
    assertEquals(java.util.List.of("b", "a"), java.util.List.copyOf(s.metrics().keySet()));
    assertThrows(IllegalArgumentException.class, () -> s.get("c"));
    assertThrows(IllegalArgumentException.class, () -> new TaskInstance(new int[2], new boolean[3]));
  }
}

package dev.anyorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --no-progress} writes one plain line per evaluation and checkpoint, for logs, and no bar. */
class TrainLogLinesTest {
  @TempDir Path tmp;

  @Test
  void noProgressPrintsALinePerEvaluationAndCheckpoint() throws Exception {
    Path data = tmp.resolve("t.txt");
    Files.writeString(data, "in the beginning was the word, and the word was with god.\n".repeat(40));
    String out = SampleStreamSeedTest.stdout("train", "--data", data.toString(), "--out", tmp.resolve("m").toString(), "--layers", "1",
        "--heads", "1", "--dim", "8", "--block", "16", "--batch", "2", "--steps", "6", "--eval-every", "3", "--eval-batches", "1",
        "--checkpoint-every", "4", "--threads", "1", "--no-progress");
    List<String> lines = out.lines().filter(l -> l.startsWith("train step")).toList();
    assertEquals(4, lines.size(), out);
    assertTrue(lines.get(0).matches("train step 3/6: loss [0-9.]+, val [0-9.]+ \\(l2r [0-9.]+\\) \\| [0-9.]+k tok/s"), lines.get(0));
    assertEquals("train step 4/6: checkpoint saved", lines.get(1));
    assertTrue(lines.get(2).startsWith("train step 6/6: loss "), lines.get(2));
    assertEquals("train step 6/6: checkpoint saved", lines.get(3));
    assertTrue(!out.contains("\r"), "no progress bar redraws");
  }
}

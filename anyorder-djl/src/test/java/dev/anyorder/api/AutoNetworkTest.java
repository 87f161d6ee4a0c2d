package dev.anyorder.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import dev.anyorder.model.DecodeState;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network.SequenceCall;
import dev.anyorder.model.Step;
import dev.anyorder.model.TeacherForcing;
import dev.anyorder.model.djl.DjlNetwork;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.model.java.JavaNetwork;
import dev.anyorder.testing.TinyModels;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link Backend#AUTO}: states land on the backend the crossover names, and compute what that backend computes. */
class AutoNetworkTest {
  static final ModelConfig CONFIG = TinyModels.config(5, 10);
  @TempDir Path tmp;

  @Test
  void placesStatesByRowsPerCallAndComputesTheSameNumbers() {
    try (NDManager manager = TinyModels.manager()) {
      SigmaGpt model = TinyModels.random(CONFIG, 3, 0.5, manager);
      JavaNetwork java = new JavaNetwork(CONFIG, model.weights());
      try (AutoNetwork auto = new AutoNetwork(new DjlNetwork(model, true), java, new BackendCrossover(8, "test"))) {
        assertEquals(Backend.JAVA, auto.choose(1, 1));
        assertEquals(Backend.JAVA, auto.choose(2, 4));
        assertEquals(Backend.DJL, auto.choose(8, 2));
        assertEquals(Backend.DJL, auto.choose(1, 9));
        List<Step> steps = TeacherForcing.steps(CONFIG, new int[] {1, 2, 3, 4, 0, 1, 2, 3, 4, 0}, new int[] {3, 1, 4, 0, 5, 9, 2, 6, 8, 7});
        float[][] reference;
        try (DecodeState s = java.newState(1)) {
          reference = java.call(s, List.of(SequenceCall.extend(steps, steps.size()))).get(0).extendLogits();
        }
        for (int rows : new int[] {1, 64}) {
          try (DecodeState s = auto.newState(1, rows)) {
            float[][] got = auto.call(s, List.of(SequenceCall.extend(steps, steps.size()))).get(0).extendLogits();
            assertEquals(steps.size(), s.length(0));
            for (int i = 0; i < got.length; i++) {
              for (int v = 0; v < got[i].length; v++) {
                assertEquals(reference[i][v], got[i][v], 1e-4, "rows " + rows + " step " + i);
              }
            }
            s.rollback(0, 3);
            assertEquals(steps.size() - 3, s.length(0));
          }
        }
      }
    }
  }

  @Test
  void theCrossoverComesFromTheModelDirectoryElseTheDefault() throws Exception {
    assertEquals(BackendCrossover.DEFAULT, BackendCrossover.forModel(tmp));
    Path file = new BackendCrossover(24, "bench sample").save(tmp, "a test");
    assertTrue(Files.readString(file).contains("\"javaMaxRows\" : 24"));
    BackendCrossover read = BackendCrossover.forModel(tmp);
    assertEquals(24, read.javaMaxRows());
    assertTrue(read.prefersJava(3, 8));
    assertTrue(!read.prefersJava(5, 5));
    Files.writeString(file, "{\"javaMaxRows\": \"many\"}");
    assertThrows(IllegalArgumentException.class, () -> BackendCrossover.forModel(tmp));
    assertThrows(IllegalArgumentException.class, () -> new BackendCrossover(-1, "x"));
  }
}

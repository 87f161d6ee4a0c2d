package dev.anyorder.interop;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyorder.model.DecodeState;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.Network;
import dev.anyorder.model.Step;
import dev.anyorder.model.TeacherForcing;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Fixture files of the interop tests (made by {@code anyorder-djl/src/test/python/}) and the logits computation they check. */
final class InteropFixtures {
  static final ObjectMapper JSON = new ObjectMapper();

  private InteropFixtures() {}

  /** Copies resource {@code interop/NAME} into {@code dir} and returns its path. */
  static Path copy(String name, Path dir) {
    Path target = dir.resolve(name);
    try (InputStream in = InteropFixtures.class.getResourceAsStream("/interop/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource interop/" + name);
      }
      Files.createDirectories(dir);
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode readJson(Path file) {
    try {
      return JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static int[] ints(JsonNode array) {
    int[] out = new int[array.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = array.get(i).intValue();
    }
    return out;
  }

  /**
   * What {@code anyorder logits} computes: one teacher-forced pass over {@code tokens} in {@code order}, the
   * logits of every step (for a model without start slot, step t predicts {@code tokens[order[t+1]]}).
   */
  static float[][] logits(Network net, int[] tokens, int[] order) {
    ModelConfig c = net.config();
    List<Step> steps = TeacherForcing.steps(c, tokens, order);
    try (DecodeState state = net.newState(1)) {
      return net.call(state, List.of(Network.SequenceCall.extend(steps, steps.size()))).get(0).extendLogits();
    }
  }

  static double maxDifference(float[][] a, float[][] b) {
    if (a.length != b.length) {
      throw new AssertionError("different number of rows: " + a.length + " vs " + b.length);
    }
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      if (a[i].length != b[i].length) {
        throw new AssertionError("row " + i + " has " + a[i].length + " vs " + b[i].length + " logits");
      }
      for (int j = 0; j < a[i].length; j++) {
        max = Math.max(max, Math.abs((double) a[i][j] - b[i][j]));
      }
    }
    return max;
  }
}

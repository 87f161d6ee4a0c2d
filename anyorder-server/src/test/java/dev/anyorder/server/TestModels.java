package dev.anyorder.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.data.IdVocabulary;
import dev.anyorder.data.Vocabulary;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.NamedTensor;
import dev.anyorder.io.SavedModel;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.WeightLayout;
import dev.anyorder.model.djl.SigmaGpt;
import dev.anyorder.testing.TinyModels;
import dev.anyorder.training.TrainingCheckpoint;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;

/** Model directories of tiny random σ-GPTs for server tests: a text model and a Sudoku model. */
final class TestModels {
  /** Every character the text model knows; '_' is left out so it can mark gaps. */
  static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz ,.";
  static final int TEXT_LENGTH = 48;

  private TestModels() {}

  /** A character model over {@link #ALPHABET} with sequences of up to {@link #TEXT_LENGTH}. */
  static Path textModel(Path parent) {
    return textModel(parent, TEXT_LENGTH);
  }

  /** A character model over {@link #ALPHABET} with sequences of up to {@code length}. */
  static Path textModel(Path parent, int length) {
    return save(parent.resolve("text-model-" + length), TinyModels.config(ALPHABET.length(), length),
        CharacterVocabulary.fromText(ALPHABET), null);
  }

  /**
   * A character model over {@link #ALPHABET} trained, by its record, for gaps of unknown length: a content block
   * of {@code length} and {@code slots} length slots, gaps of up to {@code maxGap} characters.
   */
  static Path gapTextModel(Path parent, int length, int slots, int maxGap) {
    ObjectNode training = ResponseWriter.MAPPER.createObjectNode();
    training.putObject("config").putObject(dev.anyorder.model.GapLayout.FIELD).put("slots", slots).put("maxGap", maxGap);
    return save(parent.resolve("gap-text-model"), TinyModels.config(ALPHABET.length(), length + slots),
        CharacterVocabulary.fromText(ALPHABET), training);
  }

  /**
   * {@link #textModel(Path)} whose data record names its source file by {@code sourcePath}, as a trained
   * model's provenance does (an absolute path on the training machine).
   */
  static Path textModelWithSource(Path parent, String sourcePath) {
    ObjectNode data = ResponseWriter.MAPPER.createObjectNode();
    data.put("format", "text");
    data.putObject("source").put("path", sourcePath).put("bytes", 1234);
    return save(parent.resolve("text-model-sourced"), TinyModels.config(ALPHABET.length(), TEXT_LENGTH),
        CharacterVocabulary.fromText(ALPHABET), null, data);
  }

  /** An id model of Sudoku's shape (81 cells, 9 digits) whose training record names the task. */
  static Path sudokuModel(Path parent) {
    ObjectNode training = ResponseWriter.MAPPER.createObjectNode();
    training.put("task", "sudoku");
    return save(parent.resolve("sudoku-model"), TinyModels.config(9, 81), new IdVocabulary(9), training);
  }

  /**
   * An id model of the 7x7 maze's shape (98 tokens, 5 token kinds) whose data record, like the demo's
   * before task records were complete, only names the task.
   */
  static Path mazeModel(Path dir) {
    ObjectNode data = ResponseWriter.MAPPER.createObjectNode();
    data.put("format", "task");
    data.put("task", "maze-7x7");
    return save(dir, TinyModels.config(5, 98), new IdVocabulary(5), null, data);
  }

  /** An id model of the interior-only lean 7x7 maze (two 5x5 interiors: 50 tokens) with its full task record. */
  static Path interiorMazeModel(Path dir) {
    return interiorMazeModel(dir, null);
  }

  /**
   * {@link #interiorMazeModel(Path)} whose training record holds {@code decoding} as the model's recommended
   * one, as a demo model's does: a sampler object, or any JSON to test how a bad record is refused.
   */
  static Path interiorMazeModel(Path dir, JsonNode decoding) {
    ObjectNode data = ResponseWriter.MAPPER.createObjectNode();
    data.put("format", "task");
    dev.anyorder.tasks.maze.MazeTask task = new dev.anyorder.tasks.maze.MazeTask(
        dev.anyorder.tasks.maze.MazeConfig.parse("7x7").withFixedCellsGiven(true).withInteriorOnly(true));
    data.set(dev.anyorder.tasks.TaskFactory.RECORD_FIELD, dev.anyorder.tasks.TaskFactory.record(task));
    ObjectNode training = null;
    if (decoding != null) {
      training = ResponseWriter.MAPPER.createObjectNode();
      training.set(TrainingCheckpoint.DECODING, decoding);
    }
    return save(dir, TinyModels.config(5, 50), new IdVocabulary(5), training, data);
  }

  private static Path save(Path dir, ModelConfig config, Vocabulary vocabulary, ObjectNode training) {
    return save(dir, config, vocabulary, training, null);
  }

  private static Path save(Path dir, ModelConfig config, Vocabulary vocabulary, ObjectNode training, ObjectNode dataRecord) {
    Map<String, float[]> w = SigmaGpt.initialWeights(config, 11);
    SplittableRandom rng = new SplittableRandom(17);
    for (Map.Entry<String, float[]> e : w.entrySet()) {
      if (e.getKey().contains("ln_")) {
        continue;
      }
      float[] data = e.getValue();
      for (int i = 0; i < data.length; i++) {
        data[i] = (float) ((rng.nextDouble() * 2 - 1) * 0.5 * Math.sqrt(3));
      }
    }
    w.put(WeightLayout.LM_HEAD, w.get(WeightLayout.WTE).clone());
    try {
      Files.createDirectories(dir.getParent());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    SavedModel saved = new SavedModel(config, vocabulary, NamedTensor.inLayout(config, w), null, training, dataRecord, Map.of());
    ModelDirectory.save(dir, saved);
    return dir;
  }
}

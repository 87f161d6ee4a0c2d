package dev.anyorder.interop;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.data.SubwordVocabulary;
import dev.anyorder.data.Vocabulary;
import dev.anyorder.io.AtomicFiles;
import dev.anyorder.io.CheckpointException;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.NamedTensor;
import dev.anyorder.io.SavedModel;
import dev.anyorder.io.Safetensors;
import dev.anyorder.io.TensorFile;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.model.PositionEncoding;
import dev.anyorder.model.SinusoidalPositions;
import dev.anyorder.model.WeightLayout;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Writes an AnyOrder model in the layout of the published σ-GPT text code (Pannatier, Courdier, Fleuret,
 * "σ-GPTs: A New Approach to Autoregressive Models", 2024), so a PyTorch user can load it into that code's
 * {@code sigmaGPT} module: {@code model.safetensors} (F32, nanoGPT tensor names, the tied head under both
 * {@code transformer.wte.weight} and {@code lm_head.weight} as {@code state_dict()} lists them) and
 * {@code config.json} ({@link SigmaGptArgs#toJson}: nested {@code model_args} plus AnyOrder's fields), plus
 * {@code tokenizer.json} for a subword model.
 *
 * <p>What export means for a model <em>with</em> a start slot: the start token's row stays in {@code wte}
 * (the last row, id {@code vocab_size-1}) and the "none" position's row in {@code wpe} (the last row,
 * {@code block_size-1}), so {@code model_args} describes the tensors exactly and the module loads them
 * strictly. To use the slot in PyTorch, begin every order with the start token at position "none":
 * {@code idx = [start, x[σ(0)], …]}, {@code order = [none, σ(0), σ(1), …]}; the first output then predicts
 * {@code x[σ(0)]}. The head's logit for the start token is meaningless and must be ignored (AnyOrder never
 * samples it). Without the slot, the model behaves exactly as one trained by the published code. A model with
 * sinusoidal positions is exported with its table written out as {@code wpe}, which gives the same outputs
 * (it imports back as a learned table with identical values). Importing an export gives identical logits.
 */
public final class SigmaGptExporter {
  /** File names written by {@link #export}. */
  public static final String WEIGHTS_FILE = "model.safetensors";
  public static final String CONFIG_FILE = "config.json";

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private SigmaGptExporter() {}

  /**
   * Exports the model directory {@code modelDir} into the new directory {@code out}, which appears complete
   * or not at all.
   *
   * @throws InteropException if the model cannot be loaded or {@code out} exists and is not empty
   */
  public static void export(Path modelDir, Path out) {
    OutputDirectory.checkWritable(out);
    SavedModel model;
    try {
      model = ModelDirectory.load(modelDir);
    } catch (CheckpointException e) {
      throw new InteropException(e.getMessage(), e);
    }
    export(model, out);
  }

  /** Exports a loaded model into the new directory {@code out}. */
  public static void export(SavedModel model, Path out) {
    ModelConfig config = model.config();
    if (config.positions() == PositionEncoding.GRID) {
      // Writing the expanded table as wpe would load, but training it there would untie the cells of a row.
      throw new InteropException("this model has grid positions (" + config.grid() + "): each position's embedding is a sum"
          + " of shared row, column and box embeddings, which the published σ-GPT code cannot represent (it learns one"
          + " independent row per position), so the export would not be the same model once trained there; train with"
          + " --positions learned to export");
    }
    Vocabulary vocabulary = model.vocabulary();
    List<String> itos = vocabulary instanceof CharacterVocabulary c ? characters(c) : null;
    byte[] tokenizer = vocabulary instanceof SubwordVocabulary s ? s.tokenizerJson() : null;
    SigmaGptArgs args = SigmaGptArgs.of(config, itos, tokenizer == null ? null : SubwordVocabulary.FILE_NAME);
    TensorFile weights = new TensorFile(tensors(model), Map.of("format", "pt"));
    byte[] configJson;
    try {
      configJson = JSON.writeValueAsBytes(args.toJson());
    } catch (java.io.IOException e) {
      throw new IllegalStateException("cannot serialise the export config", e);
    }
    OutputDirectory.publish(out, dir -> {
      Safetensors.write(dir.resolve(WEIGHTS_FILE), weights);
      if (tokenizer != null) {
        AtomicFiles.writeBytes(dir.resolve(SubwordVocabulary.FILE_NAME), tokenizer);
      }
      AtomicFiles.writeBytes(dir.resolve(CONFIG_FILE), configJson);
    });
  }

  /** The weights in the published layout: the model's own, with a sinusoidal table written out as {@code wpe}. */
  static List<NamedTensor> tensors(SavedModel model) {
    ModelConfig c = model.config();
    if (c.positions() == PositionEncoding.LEARNED) {
      return model.weights();
    }
    ModelConfig learned = new ModelConfig(c.vocabSize(), c.maxLength(), c.layers(), c.heads(), c.dim(), c.mlpRatio(),
        c.dropout(), PositionEncoding.LEARNED, c.bias(), c.startSlot());
    List<NamedTensor> out = new ArrayList<>();
    for (Map.Entry<String, long[]> e : WeightLayout.expected(learned).entrySet()) {
      out.add(e.getKey().equals(WeightLayout.WPE)
          ? new NamedTensor(WeightLayout.WPE, e.getValue(), SinusoidalPositions.table(c.positionRows(), c.dim() / 2))
          : model.weight(e.getKey()));
    }
    return out;
  }

  private static List<String> characters(CharacterVocabulary vocabulary) {
    List<String> out = new ArrayList<>(vocabulary.size());
    for (int cp : vocabulary.codePoints()) {
      out.add(new String(Character.toChars(cp)));
    }
    return out;
  }
}

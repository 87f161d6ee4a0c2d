package dev.anyorder.interop;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.data.IdVocabulary;
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
import dev.anyorder.model.WeightLayout;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts a model trained by the published σ-GPT text code (Pannatier, Courdier, Fleuret, "σ-GPTs: A New
 * Approach to Autoregressive Models", 2024; nanoGPT-based) into an AnyOrder model directory.
 *
 * <p>Input: that model's state dict as safetensors (nanoGPT tensor names, F32/F16/BF16) and a JSON config
 * ({@link SigmaGptArgs}). Both codes use the same tensor names and the same forward pass, so the weights
 * are copied unchanged: token embedding plus the concatenation {@code (wpe[σ(t)], wpe[σ(t+1)])} of two
 * {@code n_embd/2}-wide position rows, pre-LayerNorm GPT-2 blocks with erf GELU, attention scaled by
 * {@code 1/sqrt(head dim)}, a final LayerNorm and a head tied to the token embedding. Such a model has no
 * start slot ({@code startSlot=false}): the first token of an order is always given.
 *
 * <p>Accepted variations: a {@code _orig_mod.} prefix (from {@code torch.compile}); the causal-mask buffers
 * {@code attn.bias}/{@code attn.masked_bias} (dropped); the tied head stored under one name only (as
 * {@code safetensors.torch.save_model} does) or under both (then they must be equal). Everything else that
 * does not fit is an {@link InteropException} naming the tensor or config field. The vocabulary comes from
 * {@code itos} (characters, in increasing code point order as nanoGPT's {@code sorted(set(text))} makes
 * them), from a {@code tokenizer} file next to the config, or else is plain ids.
 */
public final class SigmaGptImporter {
  private static final ObjectMapper JSON = new ObjectMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
  private static final String COMPILED_PREFIX = "_orig_mod.";
  private static final Pattern MASK_BUFFER = Pattern.compile("transformer\\.h\\.\\d+\\.attn\\.(bias|masked_bias)");
  private static final Pattern BLOCK = Pattern.compile("transformer\\.h\\.(\\d+)\\..*");

  private SigmaGptImporter() {}

  /**
   * Reads and checks the published model, without writing anything.
   *
   * @throws InteropException naming the file and the tensor or field at fault
   */
  public static SavedModel read(Path weightsFile, Path configFile) {
    Objects.requireNonNull(weightsFile, "weightsFile must not be null");
    Objects.requireNonNull(configFile, "configFile must not be null");
    SigmaGptArgs args = readArgs(configFile);
    ModelConfig config;
    try {
      config = args.modelConfig();
    } catch (IllegalArgumentException e) {
      throw new InteropException(configFile + ": " + e.getMessage(), e);
    }
    TensorFile file;
    try {
      file = Safetensors.read(weightsFile);
    } catch (CheckpointException e) {
      throw new InteropException(e.getMessage(), e);
    }
    List<NamedTensor> weights = matchLayout(file.tensors(), args, config, weightsFile, configFile);
    Vocabulary vocabulary = vocabulary(args, config, configFile);
    ObjectNode provenance = JsonNodeFactory.instance.objectNode();
    provenance.put("importedFrom", "sigma-gpt");
    provenance.put("weights", weightsFile.getFileName().toString());
    provenance.put("weightsSha256", sha256(weightsFile));
    provenance.put("config", configFile.getFileName().toString());
    provenance.put("configSha256", sha256(configFile));
    Map<String, byte[]> extras = vocabulary instanceof SubwordVocabulary s
        ? Map.of(SubwordVocabulary.FILE_NAME, s.tokenizerJson()) : Map.of();
    try {
      return new SavedModel(config, vocabulary, weights, null, null, provenance, extras);
    } catch (IllegalArgumentException e) {
      throw new InteropException(weightsFile + ": " + e.getMessage(), e);
    }
  }

  /**
   * Imports the published model into a new model directory {@code out}. Nothing appears under {@code out}
   * unless the whole import succeeds: the directory is written beside it under a hidden name and renamed
   * into place.
   *
   * @throws InteropException if the input is bad or {@code out} already exists and is not empty
   */
  public static SavedModel importModel(Path weightsFile, Path configFile, Path out) {
    OutputDirectory.checkWritable(out);
    SavedModel model = read(weightsFile, configFile);
    OutputDirectory.publish(out, staging -> ModelDirectory.save(staging, model));
    return model;
  }

  static SigmaGptArgs readArgs(Path configFile) {
    JsonNode root;
    try {
      root = JSON.readTree(Files.readAllBytes(configFile));
    } catch (NoSuchFileException e) {
      throw new InteropException("config file " + configFile + " does not exist");
    } catch (IOException e) {
      throw new InteropException(configFile + ": not valid JSON: " + e.getMessage(), e);
    }
    try {
      return SigmaGptArgs.fromJson(root);
    } catch (IllegalArgumentException e) {
      throw new InteropException(configFile + ": " + e.getMessage(), e);
    }
  }

  /** The tensors renamed, de-duplicated and checked against the layout {@code config} implies. */
  static List<NamedTensor> matchLayout(List<NamedTensor> tensors, SigmaGptArgs args, ModelConfig config, Path weightsFile,
      Path configFile) {
    Map<String, NamedTensor> byName = new LinkedHashMap<>();
    for (NamedTensor t : tensors) {
      String name = t.name().startsWith(COMPILED_PREFIX) ? t.name().substring(COMPILED_PREFIX.length()) : t.name();
      if (MASK_BUFFER.matcher(name).matches()) {
        continue;
      }
      if (byName.put(name, new NamedTensor(name, t.shape(), t.data())) != null) {
        throw new InteropException(weightsFile + ": tensor '" + name + "' appears twice (with and without the "
            + COMPILED_PREFIX + " prefix)");
      }
    }
    NamedTensor wte = byName.get(WeightLayout.WTE);
    NamedTensor head = byName.get(WeightLayout.LM_HEAD);
    if (wte == null && head != null) {
      byName.put(WeightLayout.WTE, new NamedTensor(WeightLayout.WTE, head.shape(), head.data()));
    } else if (wte != null && head == null) {
      byName.put(WeightLayout.LM_HEAD, new NamedTensor(WeightLayout.LM_HEAD, wte.shape(), wte.data()));
    } else if (wte != null && !(wte.hasShape(head.shape()) && Arrays.equals(wte.data(), head.data()))) {
      throw new InteropException(weightsFile + ": tensor '" + WeightLayout.LM_HEAD + "' differs from '" + WeightLayout.WTE
          + "': the σ-GPT head is tied to the token embedding");
    }
    Map<String, long[]> expected = WeightLayout.expected(config);
    for (String name : byName.keySet()) {
      if (!expected.containsKey(name)) {
        throw new InteropException(weightsFile + ": " + unexpected(name, args, configFile));
      }
    }
    List<NamedTensor> out = new ArrayList<>(expected.size());
    for (Map.Entry<String, long[]> e : expected.entrySet()) {
      NamedTensor t = byName.get(e.getKey());
      if (t == null) {
        throw new InteropException(weightsFile + ": missing tensor '" + e.getKey() + "' (shape "
            + Arrays.toString(e.getValue()) + " for " + configFile.getFileName() + ": " + SigmaGptArgs.fieldsOf(e.getKey(), args)
            + (e.getKey().endsWith(".bias") ? ", bias=true" : "") + ")");
      }
      if (!t.hasShape(e.getValue())) {
        throw new InteropException(weightsFile + ": tensor '" + e.getKey() + "' has shape " + Arrays.toString(t.shape())
            + " but " + configFile.getFileName() + " (" + SigmaGptArgs.fieldsOf(e.getKey(), args) + ") needs "
            + Arrays.toString(e.getValue()));
      }
      out.add(t);
    }
    return out;
  }

  private static String unexpected(String name, SigmaGptArgs args, Path configFile) {
    Matcher block = BLOCK.matcher(name);
    if (block.matches() && Long.parseLong(block.group(1)) >= args.nLayer()) {
      return "tensor '" + name + "' belongs to block " + block.group(1) + " but " + configFile.getFileName()
          + " says n_layer=" + args.nLayer();
    }
    if (name.endsWith(".bias") && !args.bias()) {
      return "tensor '" + name + "' is a bias but " + configFile.getFileName() + " says bias=false";
    }
    return "unexpected tensor '" + name + "' (not part of a σ-GPT of this config)";
  }

  private static Vocabulary vocabulary(SigmaGptArgs args, ModelConfig config, Path configFile) {
    if (args.itos() != null) {
      int[] codePoints = new int[args.itos().size()];
      for (int i = 0; i < codePoints.length; i++) {
        String s = args.itos().get(i);
        if (s.codePointCount(0, s.length()) != 1) {
          throw new InteropException(configFile + ": config field \"itos\" entry " + i + " is \"" + s
              + "\", not one character (give no itos for a model over plain ids)");
        }
        codePoints[i] = s.codePointAt(0);
      }
      try {
        return CharacterVocabulary.of(codePoints);
      } catch (IllegalArgumentException e) {
        throw new InteropException(configFile + ": config field \"itos\": " + e.getMessage(), e);
      }
    }
    if (args.tokenizer() != null) {
      Path file = configFile.toAbsolutePath().getParent().resolve(args.tokenizer());
      SubwordVocabulary v;
      try {
        v = SubwordVocabulary.read(file);
      } catch (IllegalArgumentException | IllegalStateException e) {
        throw new InteropException(configFile + ": config field \"tokenizer\": " + e.getMessage(), e);
      }
      if (v.size() != config.vocabSize()) {
        throw new InteropException(configFile + ": config field \"tokenizer\": " + file + " has " + v.size()
            + " tokens but the model has " + config.vocabSize());
      }
      return v;
    }
    return new IdVocabulary(config.vocabSize());
  }

  private static String sha256(Path file) {
    try {
      return AtomicFiles.digest(file).sha256();
    } catch (IOException e) {
      throw new InteropException("cannot read " + file + ": " + e, e);
    }
  }
}

package dev.anyorder.io;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.data.Vocabulary;
import dev.anyorder.model.ModelConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The on-disk form of a model or training checkpoint, a directory holding:
 *
 * <ul>
 *   <li>{@code model.safetensors}: the weights, F32, named as in {@link dev.anyorder.model.WeightLayout}
 *       (the tied head under both of its names), readable by any safetensors reader;
 *   <li>{@code optimizer.safetensors} (optional): optimizer state with its {@code __metadata__};
 *   <li>extra files given by name, e.g. a copied {@code tokenizer.json};
 *   <li>{@code config.json}: {@code "format": "anyorder-model"}, {@code "formatVersion": 1}, the
 *       {@code "model"} config ({@link ModelConfigJson}), the {@code "vocabulary"}, the optional
 *       {@code "training"} and {@code "data"} objects, and {@code "files"}: the size and SHA-256 of every
 *       other file written by the same save.
 * </ul>
 *
 * <p>{@link #save} first writes every file to a hidden temporary file and flushes it, then renames them
 * into place, {@code config.json} last: it is the commit record. A failure before the renames leaves the
 * previous checkpoint untouched; a crash between renames leaves files that no longer match the checksums
 * of the previous {@code config.json}, which {@link #load} reports. No half-written file ever carries a
 * final name. {@link #load} verifies everything and never modifies the directory.
 */
public final class ModelDirectory {
  public static final String CONFIG_FILE = "config.json";
  public static final String MODEL_FILE = "model.safetensors";
  public static final String OPTIMIZER_FILE = "optimizer.safetensors";
  public static final String FORMAT = "anyorder-model";
  public static final int FORMAT_VERSION = 1;

  private static final Set<String> RESERVED = Set.of(CONFIG_FILE, MODEL_FILE, OPTIMIZER_FILE);
  private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,199}");
  private static final ObjectMapper JSON = new ObjectMapper()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(SerializationFeature.INDENT_OUTPUT);

  private ModelDirectory() {}

  // ------------------------------------------------------------------------------------------------ save

  /**
   * Saves {@code model} into {@code dir}, creating it if missing and replacing a previous checkpoint.
   *
   * @throws CheckpointException if a file cannot be written; the previous checkpoint is then either still
   *     loadable or reported as inconsistent by {@link #load}
   */
  public static void save(Path dir, SavedModel model) {
    List<AtomicFiles.StagedFile> staged = new ArrayList<>();
    try {
      Files.createDirectories(dir);
      ObjectNode files = JSON.createObjectNode();
      TensorFile weights = new TensorFile(model.weights(), Map.of("format", "pt"));
      record(files, stage(staged, dir.resolve(MODEL_FILE), out -> Safetensors.write(out, weights)));
      if (model.optimizer() != null) {
        record(files, stage(staged, dir.resolve(OPTIMIZER_FILE), out -> Safetensors.write(out, model.optimizer())));
      }
      for (Map.Entry<String, byte[]> extra : model.extraFiles().entrySet()) {
        byte[] bytes = extra.getValue();
        record(files, stage(staged, dir.resolve(extra.getKey()), out -> out.write(bytes)));
      }
      byte[] config = JSON.writeValueAsBytes(configJson(model, files));
      stage(staged, dir.resolve(CONFIG_FILE), out -> out.write(config));
      for (AtomicFiles.StagedFile file : staged) {
        file.commit(); // config.json is last: the commit record
      }
      if (model.optimizer() == null) {
        Files.deleteIfExists(dir.resolve(OPTIMIZER_FILE)); // stale state of an earlier save
      }
    } catch (IOException e) {
      throw new CheckpointException("cannot save checkpoint to " + dir + ": " + e, e);
    } finally {
      staged.forEach(AtomicFiles.StagedFile::close);
    }
  }

  private static AtomicFiles.WrittenFile stage(List<AtomicFiles.StagedFile> staged, Path target,
      AtomicFiles.Content content) throws IOException {
    AtomicFiles.StagedFile file = AtomicFiles.stage(target, content);
    staged.add(file);
    return file.written();
  }

  private static void record(ObjectNode files, AtomicFiles.WrittenFile written) {
    ObjectNode entry = files.putObject(written.path().getFileName().toString());
    entry.put("bytes", written.bytes());
    entry.put("sha256", written.sha256());
  }

  private static ObjectNode configJson(SavedModel model, ObjectNode files) {
    ObjectNode json = JSON.createObjectNode();
    json.put("format", FORMAT);
    json.put("formatVersion", FORMAT_VERSION);
    json.set("model", ModelConfigJson.toJson(model.config()));
    json.set("vocabulary", model.vocabulary().toJson());
    if (model.training() != null) {
      json.set("training", model.training());
    }
    if (model.data() != null) {
      json.set("data", model.data());
    }
    json.set("files", files);
    return json;
  }

  /** Fails unless {@code name} is a plain file name an extra file may have. */
  static void checkExtraFileName(String name) {
    if (name == null || !PLAIN_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("extra file name '" + name + "' must be a plain file name (letters, digits, "
          + "'.', '_', '-'; not starting with '.' or '-')");
    }
    if (RESERVED.contains(name)) {
      throw new IllegalArgumentException("extra file name '" + name + "' is reserved for the checkpoint itself");
    }
  }

  // ------------------------------------------------------------------------------------------------ load

  /** The parsed, validated {@code config.json} of a checkpoint. */
  private record Manifest(Path dir, ModelConfig config, Vocabulary vocabulary, JsonNode training, JsonNode data,
      Map<String, FileEntry> files) {}

  /** Size and checksum of one file as recorded in {@code config.json}. */
  private record FileEntry(long bytes, String sha256) {}

  /**
   * The model directory {@code dir} names: {@code dir} itself when it holds a model, or else the one model
   * under it (a benchmark or demo report keeps its models in {@code models/}), searched three levels deep.
   *
   * @throws CheckpointException when {@code dir} holds no model, or several (the message lists them)
   */
  public static Path locate(Path dir) {
    if (Files.exists(dir.resolve(CONFIG_FILE))) {
      return dir;
    }
    if (!Files.isDirectory(dir)) {
      throw new CheckpointException("no model directory at " + dir);
    }
    List<Path> found;
    try (java.util.stream.Stream<Path> walk = Files.walk(dir, 3)) {
      found = walk.filter(p -> p.getFileName() != null && p.getFileName().toString().equals(CONFIG_FILE))
          .map(Path::getParent)
          .filter(p -> !p.getFileName().toString().endsWith(".calibration"))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new CheckpointException("could not search " + dir + " for a model: " + e.getMessage(), e);
    }
    if (found.size() == 1) {
      return found.get(0);
    }
    if (found.isEmpty()) {
      throw new CheckpointException("no model in " + dir + " (no " + CONFIG_FILE + " in it or below it)");
    }
    StringBuilder names = new StringBuilder();
    for (Path p : found) {
      names.append(names.length() == 0 ? "" : ", ").append(p);
    }
    throw new CheckpointException(dir + " holds " + found.size() + " models; name one: " + names);
  }

  /**
   * Loads and verifies the checkpoint in {@code dir}: weights, config, vocabulary, JSON records and extra
   * files, but not the optimizer state (see {@link #loadOptimizer}); the result has no optimizer.
   *
   * @throws CheckpointException with one message naming the file and the problem
   */
  public static SavedModel load(Path dir) {
    return load(dir, false);
  }

  /** As {@link #load(Path)}, also loading and verifying the optimizer state if {@code withOptimizer}. */
  public static SavedModel load(Path dir, boolean withOptimizer) {
    Manifest manifest = readManifest(dir);
    Path modelFile = dir.resolve(MODEL_FILE);
    verify(manifest, MODEL_FILE);
    TensorFile weights = Safetensors.read(modelFile);
    SavedModel.weightProblem(manifest.config, weights.tensors()).ifPresent(problem -> {
      throw new CheckpointException(modelFile + ": " + problem);
    });
    Map<String, byte[]> extras = new LinkedHashMap<>();
    for (String name : manifest.files.keySet()) {
      if (!RESERVED.contains(name)) {
        extras.put(name, readVerified(manifest, name));
      }
    }
    TensorFile optimizer = withOptimizer ? readOptimizer(manifest).orElse(null) : null;
    try {
      return new SavedModel(manifest.config, manifest.vocabulary, weights.tensors(), optimizer, manifest.training,
          manifest.data, extras);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(dir + ": " + e.getMessage(), e);
    }
  }

  /** The verified optimizer state of the checkpoint in {@code dir}, or empty if it was saved without. */
  public static Optional<TensorFile> loadOptimizer(Path dir) {
    return readOptimizer(readManifest(dir));
  }

  /** Only the model config of the checkpoint in {@code dir}, without verifying the other files. */
  public static ModelConfig readConfig(Path dir) {
    Path file = dir.resolve(CONFIG_FILE);
    return modelConfig(parseConfig(dir), file);
  }

  private static Optional<TensorFile> readOptimizer(Manifest manifest) {
    if (!manifest.files.containsKey(OPTIMIZER_FILE)) {
      return Optional.empty();
    }
    verify(manifest, OPTIMIZER_FILE);
    return Optional.of(Safetensors.read(manifest.dir.resolve(OPTIMIZER_FILE)));
  }

  private static ObjectNode parseConfig(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new CheckpointException("checkpoint directory " + dir + " does not exist or is not a directory");
    }
    Path file = dir.resolve(CONFIG_FILE);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CheckpointException("missing file " + file + ": " + dir + " is not a complete checkpoint");
    } catch (IOException e) {
      throw new CheckpointException("cannot read " + file + ": " + e, e);
    }
    JsonNode root;
    try {
      root = JSON.readTree(bytes);
    } catch (IOException e) {
      String detail = e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.toString();
      throw new CheckpointException(file + ": invalid JSON: " + detail, e);
    }
    if (root == null || !root.isObject()) {
      throw new CheckpointException(file + ": must hold a JSON object");
    }
    JsonNode format = root.get("format");
    if (format == null || !FORMAT.equals(format.textValue())) {
      throw new CheckpointException(file + ": \"format\" must be \"" + FORMAT + "\", got " + format);
    }
    JsonNode version = root.get("formatVersion");
    if (version == null || !version.isIntegralNumber()) {
      throw new CheckpointException(file + ": missing integer field \"formatVersion\"");
    }
    if (!version.canConvertToInt() || version.intValue() != FORMAT_VERSION) {
      throw new CheckpointException(file + ": unsupported formatVersion " + version + " (this program reads "
          + FORMAT_VERSION + ")");
    }
    return (ObjectNode) root;
  }

  private static ModelConfig modelConfig(ObjectNode root, Path file) {
    JsonNode model = root.get("model");
    if (model == null) {
      throw new CheckpointException(file + ": missing field \"model\"");
    }
    try {
      return ModelConfigJson.fromJson(model);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(file + ": " + e.getMessage(), e);
    }
  }

  private static Manifest readManifest(Path dir) {
    Path file = dir.resolve(CONFIG_FILE);
    ObjectNode root = parseConfig(dir);
    ModelConfig config = modelConfig(root, file);
    JsonNode vocabularyJson = root.get("vocabulary");
    if (vocabularyJson == null) {
      throw new CheckpointException(file + ": missing field \"vocabulary\"");
    }
    Vocabulary vocabulary;
    try {
      vocabulary = Vocabulary.fromJson(vocabularyJson);
    } catch (IllegalArgumentException e) {
      throw new CheckpointException(file + ": " + e.getMessage(), e);
    }
    if (vocabulary.size() != config.vocabSize()) {
      throw new CheckpointException(file + ": the vocabulary has " + vocabulary.size() + " tokens but model.vocabSize is "
          + config.vocabSize());
    }
    JsonNode training = optionalObject(root, "training", file);
    JsonNode data = optionalObject(root, "data", file);
    JsonNode filesJson = root.get("files");
    if (filesJson == null || !filesJson.isObject()) {
      throw new CheckpointException(file + ": missing object \"files\" (sizes and checksums of the checkpoint files)");
    }
    Map<String, FileEntry> files = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = filesJson.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> f = it.next();
      String name = f.getKey();
      if (!PLAIN_NAME.matcher(name).matches() || name.equals(CONFIG_FILE)) {
        throw new CheckpointException(file + ": \"files\" lists '" + name + "', which is not a valid checkpoint file name");
      }
      JsonNode bytes = f.getValue().get("bytes");
      JsonNode sha = f.getValue().get("sha256");
      if (bytes == null || !bytes.isIntegralNumber() || !bytes.canConvertToLong() || bytes.longValue() < 0
          || sha == null || !sha.isTextual() || !sha.textValue().matches("[0-9a-f]{64}")) {
        throw new CheckpointException(file + ": \"files\" entry of '" + name
            + "' must be {\"bytes\": size, \"sha256\": 64 hex digits}, got " + f.getValue());
      }
      files.put(name, new FileEntry(bytes.longValue(), sha.textValue()));
    }
    if (!files.containsKey(MODEL_FILE)) {
      throw new CheckpointException(file + ": \"files\" does not list " + MODEL_FILE);
    }
    return new Manifest(dir, config, vocabulary, training, data, files);
  }

  private static JsonNode optionalObject(ObjectNode root, String name, Path file) {
    JsonNode node = root.get(name);
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isObject()) {
      throw new CheckpointException(file + ": \"" + name + "\" must be a JSON object, got " + node.getNodeType());
    }
    return node;
  }

  /** Checks size and SHA-256 of {@code name} against config.json, streaming the file. */
  private static void verify(Manifest manifest, String name) {
    Path path = manifest.dir.resolve(name);
    AtomicFiles.WrittenFile actual;
    try {
      actual = AtomicFiles.digest(path);
    } catch (NoSuchFileException e) {
      throw new CheckpointException("missing file " + path + " (listed in " + CONFIG_FILE + ")");
    } catch (IOException e) {
      throw new CheckpointException("cannot read " + path + ": " + e, e);
    }
    checkMatches(manifest, name, actual.bytes(), actual.sha256());
  }

  private static byte[] readVerified(Manifest manifest, String name) {
    Path path = manifest.dir.resolve(name);
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new CheckpointException("missing file " + path + " (listed in " + CONFIG_FILE + ")");
    } catch (IOException e) {
      throw new CheckpointException("cannot read " + path + ": " + e, e);
    }
    checkMatches(manifest, name, bytes.length, AtomicFiles.sha256Hex(bytes));
    return bytes;
  }

  private static void checkMatches(Manifest manifest, String name, long bytes, String sha256) {
    FileEntry expected = manifest.files.get(name);
    String detail = null;
    if (bytes != expected.bytes) {
      detail = bytes + " bytes, expected " + expected.bytes;
    } else if (!sha256.equals(expected.sha256)) {
      detail = "SHA-256 " + sha256 + ", expected " + expected.sha256;
    }
    if (detail != null) {
      throw new CheckpointException(manifest.dir.resolve(name) + " does not match " + CONFIG_FILE
          + ": interrupted save or modified file (" + detail + ")");
    }
  }
}

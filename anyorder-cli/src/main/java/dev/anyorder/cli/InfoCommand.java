package dev.anyorder.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyorder.io.ModelDirectory;
import dev.anyorder.io.SavedModel;
import dev.anyorder.model.ModelConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import dev.anyorder.training.TrainingCheckpoint;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code anyorder info}: what a model directory holds, after validating it completely. */
@Command(name = "info", mixinStandardHelpOptions = true, description = "Show a model's configuration, vocabulary and training record.")
final class InfoCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Model directory.")
  Path model;

  @Option(names = "--json", description = "Print the whole record as JSON.")
  boolean json;

  @Override
  public Integer call() throws Exception {
    SavedModel saved = ModelDirectory.load(model);
    ObjectMapper mapper = new ObjectMapper();
    JsonNode config = mapper.readTree(model.resolve(ModelDirectory.CONFIG_FILE).toFile());
    if (json) {
      System.out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(config));
      return 0;
    }
    ModelConfig c = saved.config();
    System.out.printf("model        %s%n", model.toAbsolutePath());
    System.out.printf("shape        %d layers, %d heads, width %d, MLP x%d, max length %d%n", c.layers(), c.heads(), c.dim(),
        c.mlpRatio(), c.maxLength());
    System.out.printf("parameters   %,d%n", c.parameterCount());
    System.out.printf("positions    %s, bias %s, start slot %s, dropout %.2f%n", c.positions().name().toLowerCase()
        + (c.grid() == null ? "" : " (" + c.grid() + ")"), c.bias(), c.startSlot(), c.dropout());
    System.out.printf("vocabulary   %d tokens (%s)%n", c.vocabSize(), saved.vocabulary().isText() ? "text" : "ids");
    JsonNode training = saved.training();
    if (training != null) {
      System.out.printf("training     step %d of %d, order %s, %.1f s%n", training.path("step").asInt(),
          training.path("config").path("steps").asInt(), training.path("config").path("order").path("type").asText() + "/"
              + training.path("config").path("order").path("kind").asText(""), training.path("wallSeconds").asDouble());
      TrainingCheckpoint.provenance(training, model.resolve(ModelDirectory.CONFIG_FILE))
          .ifPresent(p -> System.out.printf("provenance   %s%n", p.describe()));
      if (training.has("evaluation")) {
        System.out.printf("validation   %s%n", training.get("evaluation"));
      }
    }
    if (saved.data() != null) {
      System.out.printf("data         %s%n", saved.data());
    }
    return 0;
  }
}

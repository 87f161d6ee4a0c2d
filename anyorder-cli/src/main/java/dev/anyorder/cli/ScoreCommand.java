package dev.anyorder.cli;

import dev.anyorder.options.EngineOptions;
import dev.anyorder.options.ScoringOptions;
import dev.anyorder.options.SamplingOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.RequestBuilder;
import dev.anyorder.data.SourceFile;
import dev.anyorder.density.OrderFreeScore;
import dev.anyorder.density.OrderScore;
import dev.anyorder.density.ScoreRequest;
import dev.anyorder.density.Scorer;
import dev.anyorder.sampling.InvalidSettingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code anyorder score}: log-likelihood of target tokens given known ones (docs/algorithms.md#scoring). */
@Command(name = "score", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Score log p(targets | known) of each line: under one order, or averaged over random orders.")
final class ScoreCommand implements Callable<Integer> {
  enum Format { json, jsonl }

  @Option(names = "--model", required = true, description = "Model directory.")
  Path model;

  @ArgGroup(exclusive = true, multiplicity = "1")
  Input input;

  static final class Input {
    @Option(names = "--input", description = "File with one sequence per line (text, or ids for id models).")
    Path file;

    @Option(names = "--text", description = "One sequence given inline.")
    String text;
  }

  @Mixin
  ScoringOptions scoring;

  @Option(names = "--format", defaultValue = "json", description = "json or jsonl (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--per-position", description = "Include per-position log-probabilities.")
  boolean perPosition;

  @Mixin
  EngineOptions engine;

  @Override
  public Integer call() throws Exception {
    ObjectMapper json = new ObjectMapper();
    try (AnyOrderModel m = engine.load(model)) {
      List<String> lines = new ArrayList<>();
      if (input.text != null) {
        lines.add(input.text);
      } else {
        for (String line : SourceFile.readText(input.file).text().split("\n", -1)) {
          if (!line.isEmpty()) {
            lines.add(line);
          }
        }
      }
      Scorer scorer = m.scorer();
      ArrayNode all = json.createArrayNode();
      SplittableRandom rng = new SplittableRandom(scoring.seed);
      for (int i = 0; i < lines.size(); i++) {
        int[] tokens;
        try {
          tokens = m.vocabulary().encode(lines.get(i));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
        }
        ScoreRequest request;
        try {
          request = RequestBuilder.scoreRequest(m.config(), tokens, scoring.knownPositions(), SamplingOptions.orderSpec(scoring.order), rng);
        } catch (InvalidSettingException e) {
          throw new IllegalArgumentException("line " + (i + 1) + ": --" + e.setting() + ": " + e.getMessage(), e);
        }
        ObjectNode n = json.createObjectNode();
        n.put("line", i + 1);
        n.put("tokens", tokens.length);
        if (scoring.orders > 1) {
          OrderFreeScore s = scorer.orderFree(tokens, request.known(), scoring.orders, rng.nextLong());
          n.put("targets", s.targets()).put("orders", scoring.orders).put("logProb", s.logProb()).put("standardError", s.standardError())
              .put("natsPerToken", s.natsPerToken()).put("bitsPerToken", s.bitsPerToken());
        } else {
          OrderScore s = scorer.score(request);
          n.put("targets", s.targets()).put("logProb", s.logProb()).put("natsPerToken", s.natsPerToken())
              .put("bitsPerToken", s.bitsPerToken());
          n.set("order", json.valueToTree(s.targetOrder()));
          if (perPosition) {
            ArrayNode pp = n.putArray("perPosition");
            for (double v : s.perPosition()) {
              if (Double.isNaN(v)) {
                pp.addNull();
              } else {
                pp.add(v);
              }
            }
          }
        }
        if (format == Format.jsonl) {
          System.out.println(n);
        } else {
          all.add(n);
        }
      }
      if (format == Format.json) {
        JsonNode result = all.size() == 1 ? all.get(0) : all;
        System.out.println(json.writerWithDefaultPrettyPrinter().writeValueAsString(result));
      }
    }
    return 0;
  }
}

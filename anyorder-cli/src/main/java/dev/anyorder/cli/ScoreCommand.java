package dev.anyorder.cli;

import dev.anyorder.options.EngineOptions;
import dev.anyorder.options.ScoringOptions;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.FillScore;
import dev.anyorder.data.SourceFile;
import dev.anyorder.api.ScoreSettings;
import dev.anyorder.density.ScoreJson;
import dev.anyorder.io.ResultFields;
import dev.anyorder.density.ScoreRequest;
import dev.anyorder.density.Scorer;
import dev.anyorder.sampling.InvalidSettingException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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

  @Option(names = "--infill", description = "Score each line as a fill of this template (_, {_N}, {...}, {...N}): log p(line |"
      + " context) including the gap lengths, summed over the ways the line fits, content left to right; also the most"
      + " probable way's gap_lengths, length_log_prob and content_log_prob.")
  String infill;

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
      ScoreSettings settings;
      try {
        settings = scoring.settings();
      } catch (InvalidSettingException e) {
        throw new IllegalArgumentException("--" + e.setting() + ": " + e.getMessage(), e);
      }
      for (int i = 0; i < lines.size(); i++) {
        if (infill != null) {
          FillScore fill;
          try {
            fill = m.scoreFill(infill, lines.get(i));
          } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
          }
          ObjectNode n = json.createObjectNode();
          n.put("line", i + 1);
          n.put(ResultFields.LOG_PROB, fill.logProb());
          n.put(ResultFields.ALIGNMENTS, fill.alignments());
          n.set(ResultFields.GAP_LENGTHS, json.valueToTree(fill.lengths()));
          n.put(ResultFields.LENGTH_LOG_PROB, fill.best().lengthLogProb());
          n.put(ResultFields.CONTENT_LOG_PROB, fill.best().contentLogProb());
          n.put(ResultFields.TARGETS, fill.best().targets());
          if (format == Format.jsonl) {
            System.out.println(n);
          } else {
            all.add(n);
          }
          continue;
        }
        int[] tokens;
        try {
          tokens = m.vocabulary().encode(lines.get(i));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException("line " + (i + 1) + ": " + e.getMessage(), e);
        }
        ScoreRequest request;
        try {
          // Each line draws from the seed afresh, as one HTTP request or one Spark row with that seed would.
          request = settings.request(m.config(), tokens);
        } catch (InvalidSettingException e) {
          throw new IllegalArgumentException("line " + (i + 1) + ": --" + e.setting() + ": " + e.getMessage(), e);
        }
        ScoreSettings.Result result = settings.score(scorer, request);
        ObjectNode n = json.createObjectNode();
        n.put("line", i + 1);
        n.put(ResultFields.LENGTH, tokens.length);
        n.setAll(result.single() != null ? ScoreJson.of(result.single(), perPosition) : ScoreJson.of(result.orderFree(), false));
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

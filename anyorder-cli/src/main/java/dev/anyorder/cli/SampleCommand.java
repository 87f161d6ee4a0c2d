package dev.anyorder.cli;

import dev.anyorder.options.EngineOptions;
import dev.anyorder.options.JsonArgs;
import dev.anyorder.options.SamplingOptions;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.RequestBuilder;
import dev.anyorder.io.ResultFields;
import dev.anyorder.sampling.CommitListener;
import dev.anyorder.sampling.InvalidSettingException;
import dev.anyorder.sampling.GapFill;
import dev.anyorder.sampling.Sample;
import dev.anyorder.sampling.SampleBatch;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.Sampler;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SequenceSeed;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code anyorder sample}: unconditional generation, prompts and infilling with any sampler. */
@Command(name = "sample", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Generate sequences: unconditionally, after a prompt, or filling gaps anywhere.")
final class SampleCommand implements Callable<Integer> {
  enum Format { text, jsonl }

  @Option(names = "--model", required = true, description = "Model directory.")
  Path model;

  @ArgGroup(exclusive = true)
  Conditioning conditioning = new Conditioning();

  static final class Conditioning {
    @Option(names = "--prompt", description = "Known text at the start of the sequence (text models).")
    String prompt;

    @Option(names = "--infill", description = "Text with a placeholder for every unknown token, e.g. \"In the ____ God\"; {_N} stands"
        + " for N unknown tokens, {...} for a gap of unknown length (up to the model's longest) and {...N} for one of at most N"
        + " (models trained with --gaps); such fills print best first with their log-probability.")
    String infill;

    @Option(names = "--known", description = "Known tokens as JSON position -> id, e.g. {\"0\": 3, \"5\": 1}.")
    String known;
  }

  @Option(names = "--placeholder", defaultValue = "_", description = "Placeholder character of --infill (default: ${DEFAULT-VALUE}).")
  char placeholder;

  @Option(names = "--length", description = "Sequence length (default: the model's maximum; --infill sets it).")
  Integer length;

  @Option(names = "--num-samples", defaultValue = "1") int numSamples;

  @Option(names = "--format", defaultValue = "text", description = "text or jsonl (default: ${DEFAULT-VALUE}).")
  Format format;

  @Option(names = "--stream", description = "Redraw the sequence in the terminal as positions are committed.")
  boolean stream;

  @Mixin
  EngineOptions engine;

  @Mixin
  SamplingOptions sampling;

  @Override
  public Integer call() {
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    try (AnyOrderModel m = engine.load(model)) {
      if (conditioning.infill != null && dev.anyorder.api.TextTemplate.hasGapsOfUnknownLength(conditioning.infill)) {
        return fillGaps(m, out);
      }
      SampleRequest request = request(m);
      SamplerConfig config = sampling.toConfig(numSamples);
      Sampler sampler = m.sampler(config);
      List<SampleRequest> requests = Collections.nCopies(numSamples, request);
      SampleBatch batch;
      if (stream) {
        batch = streamed(m, sampler, request, out);
      } else {
        batch = sampler.sample(requests, CommitListener.NONE);
      }
      ObjectMapper json = new ObjectMapper();
      for (Sample s : batch.samples()) {
        if (format == Format.jsonl) {
          ObjectNode n = json.createObjectNode();
          n.set(ResultFields.TOKENS, json.valueToTree(s.tokens()));
          if (m.vocabulary().isText()) {
            n.put(ResultFields.TEXT, m.decode(s.tokens()));
          }
          n.set(ResultFields.COMMIT_ORDER, json.valueToTree(s.commitOrder()));
          n.put(ResultFields.NFE, s.nfe());
          n.put(ResultFields.TOKENS_GENERATED, s.generated());
          n.put(ResultFields.LOG_PROB, s.logProb());
          out.println(n);
        } else if (!stream) {
          out.println(m.decode(s.tokens()));
        }
      }
      if (format == Format.text) {
        int tokens = batch.samples().stream().mapToInt(Sample::generated).sum();
        int nfe = batch.samples().stream().mapToInt(Sample::nfe).sum();
        System.err.printf("%d sample(s), %d tokens generated in %d NFE (%.2f tokens/NFE) with %s%n", batch.samples().size(), tokens, nfe,
            tokens / (double) Math.max(1, nfe), config.kind().label());
      }
    }
    return 0;
  }

  /** Fills gaps of unknown length: {@code --num-samples} fills, best first, each with its log-probability. */
  private int fillGaps(AnyOrderModel m, PrintStream out) {
    if (stream) {
      throw new IllegalArgumentException("--stream does not show gaps of unknown length yet: drop --stream");
    }
    SamplerConfig config = sampling.toConfig(numSamples);
    List<GapFill> fills = m.fillGaps(conditioning.infill, placeholder, config);
    ObjectMapper json = new ObjectMapper();
    for (GapFill f : fills) {
      String text = m.decode(f.tokens());
      if (format == Format.jsonl) {
        ObjectNode n = json.createObjectNode();
        n.put(ResultFields.TEXT, text);
        n.put(ResultFields.LOG_PROB, f.logProb());
        n.put(ResultFields.LENGTH_LOG_PROB, f.lengthLogProb());
        n.set(ResultFields.GAP_LENGTHS, json.valueToTree(f.lengths()));
        n.set(ResultFields.GAP_SPANS, json.valueToTree(f.spans()));
        n.set(ResultFields.TOKENS, json.valueToTree(f.tokens()));
        n.put(ResultFields.NFE, f.nfe());
        out.println(n);
      } else {
        out.printf("%.3f\t%s%n", f.logProb(), printable(text));
      }
    }
    if (format == Format.text) {
      System.err.printf("%d fill(s), best first, with log p(fill | context) including the gap lengths, by %s%n", fills.size(),
          config.kind().label());
    }
    return 0;
  }

  private SampleRequest request(AnyOrderModel m) {
    if (conditioning.infill != null) {
      return m.infill(conditioning.infill, placeholder);
    }
    int n = length == null ? m.contentLength() : length;
    try {
      return RequestBuilder.sampleRequest(m.config(), m.vocabulary(), n, conditioning.prompt,
          conditioning.known == null ? null : JsonArgs.positionMap(conditioning.known, "--known"));
    } catch (InvalidSettingException e) {
      throw new IllegalArgumentException("--" + e.setting() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Samples one sequence at a time, redrawing the line on every commit; sample {@code i} draws from
   * {@link SequenceSeed} stream {@code i}, so the samples equal the batch path's.
   */
  SampleBatch streamed(AnyOrderModel m, Sampler sampler, SampleRequest request, PrintStream out) {
    List<Sample> samples = new ArrayList<>();
    int total = 0;
    for (int i = 0; i < numSamples; i++) {
      int[] shown = request.given();
      // Stream i of the seed: the same draw as sample i of the batch path (not seed + i, which differed).
      Sampler one = m.sampler(sampler.config().withNumSamples(1));
      SampleBatch b = one.sample(List.of(request), List.of(new SequenceSeed(sampler.config().seed(), i)),
          (sequence, positions, tokens, nfe) -> {
        for (int j = 0; j < positions.length; j++) {
          shown[positions[j]] = tokens[j];
        }
        out.print("\r\033[2K" + printable(m.render(shown, placeholder)) + "  [NFE " + nfe + "]");
        out.flush();
      });
      out.println();
      samples.addAll(b.samples());
      total += b.totalNfe();
    }
    return new SampleBatch(samples, total);
  }

  private static String printable(String s) {
    return s.replace("\n", "⏎").replace("\r", "");
  }

  @Override
  public String toString() {
    return "sample " + model + " " + Arrays.asList(sampling);
  }
}

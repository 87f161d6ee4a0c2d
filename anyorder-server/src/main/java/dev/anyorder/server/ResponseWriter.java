package dev.anyorder.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.data.Vocabulary;
import dev.anyorder.api.ScoreSettings;
import dev.anyorder.density.ScoreJson;
import dev.anyorder.io.ResultFields;
import dev.anyorder.sampling.Sample;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerConfigJson;
import java.util.List;
import java.util.Objects;

/** Builds the JSON the API answers with. Non-finite numbers are written as {@code null}. */
final class ResponseWriter {
  static final ObjectMapper MAPPER = new ObjectMapper();
  private final Vocabulary vocabulary;

  ResponseWriter(Vocabulary vocabulary) {
    this.vocabulary = Objects.requireNonNull(vocabulary, "vocabulary");
  }

  /** The response of a generation job whose samples came out of a batch of {@code batchRequests} jobs. */
  ObjectNode generation(GenerationJob job, List<Sample> samples, double computeMillis, int batchRequests, int batchSequences) {
    ObjectNode root = MAPPER.createObjectNode();
    ArrayNode out = root.putArray("samples");
    int nfe = 0;
    int generated = 0;
    for (Sample s : samples) {
      ObjectNode o = out.addObject();
      int[] tokens = s.tokens();
      ints(o.putArray(ResultFields.TOKENS), tokens);
      if (vocabulary.isText()) {
        o.put(ResultFields.TEXT, vocabulary.decode(tokens));
      }
      ints(o.putArray(ResultFields.COMMIT_ORDER), s.commitOrder());
      number(o, ResultFields.LOG_PROB, s.logProb());
      o.put(ResultFields.NFE, s.nfe());
      nfe = Math.max(nfe, s.nfe());
      generated += s.generated();
    }
    root.put(ResultFields.NFE, nfe);
    root.put(ResultFields.TOKENS_GENERATED, generated);
    root.set("sampler", sampler(job.spec.sampler()));
    ObjectNode timing = root.putObject("timing");
    double queued = job.queuedMillis();
    timing.put("queued_ms", round(queued));
    timing.put("compute_ms", round(computeMillis));
    timing.put("total_ms", round((System.nanoTime() - job.enqueuedNanos) / 1e6));
    ObjectNode batch = root.putObject("batch");
    batch.put("requests", batchRequests);
    batch.put("sequences", batchSequences);
    return root;
  }

  /** The response of a scoring job: one order's score or the order-free estimate, in {@link ScoreJson}'s form. */
  /** The response of a gap fill job: its fills best first, each with its text, log-probability and gap lengths. */
  ObjectNode gapFills(GapFillJob job, List<dev.anyorder.sampling.GapFill> fills, double computeMillis) {
    ObjectNode root = MAPPER.createObjectNode();
    root.set("sampler", sampler(job.spec.sampler()));
    com.fasterxml.jackson.databind.node.ArrayNode out = root.putArray("samples");
    int nfe = 0;
    for (dev.anyorder.sampling.GapFill f : fills) {
      ObjectNode o = out.addObject();
      int[] tokens = f.tokens();
      o.set(ResultFields.TOKENS, MAPPER.valueToTree(tokens));
      o.put(ResultFields.TEXT, vocabulary.decode(tokens));
      number(o, ResultFields.LOG_PROB, f.logProb());
      number(o, ResultFields.LENGTH_LOG_PROB, f.lengthLogProb());
      o.set(ResultFields.GAP_LENGTHS, MAPPER.valueToTree(f.lengths()));
      o.set(ResultFields.GAP_SPANS, MAPPER.valueToTree(f.spans()));
      o.put(ResultFields.NFE, f.nfe());
      nfe += f.nfe();
    }
    root.put(ResultFields.NFE, nfe);
    ObjectNode timing = root.putObject("timing");
    timing.put("queued_ms", round(job.queuedMillis()));
    timing.put("compute_ms", round(computeMillis));
    timing.put("total_ms", round((System.nanoTime() - job.enqueuedNanos) / 1e6));
    return root;
  }

  ObjectNode score(ScoringJob job, ScoreSettings.Result result, double computeMillis) {
    ObjectNode root = result.single() != null ? ScoreJson.of(result.single(), true) : ScoreJson.of(result.orderFree(), true);
    root.put(ResultFields.NFE, 1);
    ObjectNode timing = root.putObject("timing");
    timing.put("queued_ms", round(job.queuedMillis()));
    timing.put("compute_ms", round(computeMillis));
    timing.put("total_ms", round((System.nanoTime() - job.enqueuedNanos) / 1e6));
    return root;
  }

  /** One streamed commit. */
  ObjectNode commit(GenerationJob.CommitEvent e) {
    ObjectNode o = MAPPER.createObjectNode();
    o.put("sample", e.sample());
    o.put("step", e.step());
    ints(o.putArray("positions"), e.positions());
    int[] tokens = e.tokens();
    ints(o.putArray("tokens"), tokens);
    if (vocabulary.isText()) {
      ArrayNode symbols = o.putArray("symbols");
      for (int t : tokens) {
        symbols.add(vocabulary.decode(new int[] {t}));
      }
    }
    o.put("nfe", e.nfe());
    return o;
  }

  /** A sampler configuration in the API's one JSON form of it ({@link SamplerConfigJson}). */
  static ObjectNode sampler(SamplerConfig c) {
    return SamplerConfigJson.toJson(c);
  }

  /** {@code {"error": {"status", "code", "message", "field"?}}}. */
  static ObjectNode error(ApiException e) {
    ObjectNode root = MAPPER.createObjectNode();
    ObjectNode o = root.putObject("error");
    o.put("status", e.status());
    o.put("code", e.code());
    o.put("message", e.getMessage());
    if (e.field() != null) {
      o.put("field", e.field());
    }
    return root;
  }

  static void ints(ArrayNode a, int[] values) {
    for (int v : values) {
      a.add(v);
    }
  }

  static void number(ObjectNode o, String name, double v) {
    if (Double.isFinite(v)) {
      o.put(name, v);
    } else {
      o.putNull(name);
    }
  }

  static double round(double millis) {
    return Math.round(millis * 1000) / 1000.0;
  }
}

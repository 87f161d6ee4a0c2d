package dev.anyorder.api;

import dev.anyorder.data.Vocabulary;
import dev.anyorder.density.ScoreRequest;
import dev.anyorder.model.ModelConfig;
import dev.anyorder.sampling.InvalidSettingException;
import dev.anyorder.sampling.OrderSpec;
import dev.anyorder.sampling.SampleRequest;
import java.util.Map;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The one place that turns what a front end received (a prompt, known tokens by position, known positions
 * of a sequence to score, an order) into validated {@link SampleRequest}s and {@link ScoreRequest}s, for
 * the command line, the HTTP server and the benchmarks alike. Every error is an
 * {@link InvalidSettingException} whose {@link InvalidSettingException#setting() setting} names the
 * input at fault ({@code prompt}, {@code known}, {@code order}, {@code tokens}, {@code length}), so each
 * front end reports its own field name without reading the message.
 */
public final class RequestBuilder {
  private RequestBuilder() {}

  /**
   * A generation request of {@code length} tokens: the encoded {@code prompt} (may be null or empty) at
   * the start, plus {@code known} tokens by position (may be null), checked against the model.
   */
  public static SampleRequest sampleRequest(ModelConfig model, Vocabulary vocabulary, int length, String prompt,
      Map<Integer, Integer> known) {
    Objects.requireNonNull(model, "model");
    if (length < 1 || length > model.maxLength()) {
      throw new InvalidSettingException("length", "length must be in 1.." + model.maxLength() + " for this model, got " + length);
    }
    int[] given;
    if (prompt != null && !prompt.isEmpty()) {
      given = attempt("prompt", () -> TextTemplate.prefix(vocabulary, prompt, length)).given();
    } else {
      given = SampleRequest.unconditional(length).given();
    }
    if (known != null) {
      for (Map.Entry<Integer, Integer> e : known.entrySet()) {
        int p = e.getKey();
        if (p < 0 || p >= length) {
          throw new InvalidSettingException("known", "known position " + p + " is outside 0.." + (length - 1));
        }
        if (given[p] != SampleRequest.UNKNOWN && given[p] != e.getValue()) {
          throw new InvalidSettingException("known", "known position " + p + " conflicts with the prompt");
        }
        given[p] = e.getValue();
      }
    }
    SampleRequest request = new SampleRequest(given);
    return attempt(known != null && !known.isEmpty() ? "known" : prompt != null && !prompt.isEmpty() ? "prompt" : "length",
        () -> request.validate(model));
  }

  /**
   * A score request for {@code tokens} given the tokens at {@code knownPositions} (may be null: score
   * every token), with the targets in {@code order} ({@code rng} draws a random one).
   */
  public static ScoreRequest scoreRequest(ModelConfig model, int[] tokens, int[] knownPositions, OrderSpec order,
      RandomGenerator rng) {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(order, "order");
    if (tokens == null || tokens.length == 0) {
      throw new InvalidSettingException("tokens", "the sequence to score is empty");
    }
    boolean[] known = new boolean[tokens.length];
    if (knownPositions != null) {
      for (int p : knownPositions) {
        if (p < 0 || p >= tokens.length) {
          throw new InvalidSettingException("known", "known position " + p + " is outside 0.." + (tokens.length - 1));
        }
        if (known[p]) {
          throw new InvalidSettingException("known", "known lists position " + p + " twice");
        }
        known[p] = true;
      }
    }
    int[] given = tokens.clone();
    for (int i = 0; i < given.length; i++) {
      if (!known[i]) {
        given[i] = SampleRequest.UNKNOWN;
      }
    }
    SampleRequest shape = attempt("known", () -> new SampleRequest(given).validate(model));
    int[] targetOrder = attempt("order", () -> order.targetOrder(shape, rng));
    return attempt("tokens", () -> new ScoreRequest(tokens, known, targetOrder));
  }

  private static <T> T attempt(String setting, java.util.function.Supplier<T> action) {
    try {
      return action.get();
    } catch (InvalidSettingException e) {
      throw e;
    } catch (IllegalArgumentException e) {
      throw new InvalidSettingException(setting, e.getMessage());
    }
  }
}

package dev.anyorder.api;

import dev.anyorder.data.Vocabulary;
import dev.anyorder.sampling.SampleRequest;

/**
 * Text with gaps, as users write infilling requests: {@code "In the beginning ____ created"} where each
 * placeholder character stands for exactly one unknown token of a character-level model.
 */
public final class TextTemplate {
  private TextTemplate() {}

  /** Encodes every non-placeholder character; unknown characters raise an error naming them. */
  public static SampleRequest parse(Vocabulary vocabulary, String template, char placeholder) {
    requireText(vocabulary);
    int[] codePoints = template.codePoints().toArray();
    int[] given = new int[codePoints.length];
    for (int i = 0; i < codePoints.length; i++) {
      if (codePoints[i] == placeholder) {
        given[i] = SampleRequest.UNKNOWN;
      } else {
        given[i] = encodeOne(vocabulary, codePoints[i], i);
      }
    }
    return new SampleRequest(given);
  }

  /** The first tokens given by {@code prompt}, the rest of {@code length} unknown. */
  public static SampleRequest prefix(Vocabulary vocabulary, String prompt, int length) {
    int[] ids = prompt.isEmpty() ? new int[0] : vocabulary.encode(prompt);
    if (ids.length > length) {
      throw new IllegalArgumentException("the prompt has " + ids.length + " tokens, more than the requested length " + length);
    }
    int[] given = new int[length];
    java.util.Arrays.fill(given, SampleRequest.UNKNOWN);
    System.arraycopy(ids, 0, given, 0, ids.length);
    return new SampleRequest(given);
  }

  /** Text of a partial sequence with {@code placeholder} at positions not yet committed. */
  public static String render(Vocabulary vocabulary, int[] tokens, char placeholder) {
    if (!vocabulary.isText()) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < tokens.length; i++) {
        sb.append(i == 0 ? "" : " ").append(tokens[i] < 0 ? String.valueOf(placeholder) : Integer.toString(tokens[i]));
      }
      return sb.toString();
    }
    StringBuilder sb = new StringBuilder();
    for (int t : tokens) {
      sb.append(t < 0 ? String.valueOf(placeholder) : vocabulary.decode(new int[] {t}));
    }
    return sb.toString();
  }

  private static int encodeOne(Vocabulary vocabulary, int codePoint, int index) {
    try {
      return vocabulary.encode(new String(Character.toChars(codePoint)))[0];
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(String.format("character '%s' (U+%04X) at index %d is not in the model's vocabulary",
          new String(Character.toChars(codePoint)), codePoint, index), e);
    }
  }

  private static void requireText(Vocabulary vocabulary) {
    if (!vocabulary.isText()) {
      throw new IllegalArgumentException("text infilling needs a model with a text vocabulary; this model uses token ids: use --known");
    }
  }
}

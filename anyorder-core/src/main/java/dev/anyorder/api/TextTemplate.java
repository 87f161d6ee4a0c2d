package dev.anyorder.api;

import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.data.Vocabulary;
import dev.anyorder.sampling.GapRequest;
import dev.anyorder.sampling.SampleRequest;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Text with gaps, as users write infilling requests for a σ-GPT (Pannatier, Courdier, Fleuret, 2024):
 * {@code "In the beginning ____ created"} where each placeholder character stands for exactly one unknown
 * token, or {@code "In the beginning {_4} created"} where {@code {_N}} stands for {@code N} unknown tokens.
 * With a character vocabulary a token is a character; with a subword vocabulary the text between gaps is
 * encoded piece by piece (each piece on its own, so a token never straddles a gap) and {@code N} counts
 * subword tokens. {@link #parseGaps} also reads gaps of unknown length, {@code {...}} and {@code {...N}}.
 */
public final class TextTemplate {
  /** {@code {_N}}: N unknown tokens. */
  private static final Pattern GAP = Pattern.compile("\\{_(\\d{1,7})\\}");
  /** {@code {...}} or {@code {...N}}: a gap of unknown length, at most N tokens. */
  private static final Pattern UNKNOWN_GAP = Pattern.compile("\\{\\.\\.\\.(\\d{0,7})\\}");

  private TextTemplate() {}

  /**
   * Encodes the text between gaps; each {@code placeholder} character is one unknown token and each
   * {@code {_N}} is {@code N} unknown tokens. Unknown characters raise an error naming them.
   */
  public static SampleRequest parse(Vocabulary vocabulary, String template, char placeholder) {
    requireText(vocabulary);
    List<Integer> given = new ArrayList<>();
    Matcher gap = GAP.matcher(template);
    int at = 0;
    while (gap.find()) {
      literal(vocabulary, template, at, gap.start(), placeholder, given);
      int n = Integer.parseInt(gap.group(1));
      if (n < 1) {
        throw new IllegalArgumentException("gap " + gap.group() + " at index " + gap.start() + " must stand for at least 1 token");
      }
      for (int i = 0; i < n; i++) {
        given.add(SampleRequest.UNKNOWN);
      }
      at = gap.end();
    }
    literal(vocabulary, template, at, template.length(), placeholder, given);
    return new SampleRequest(given.stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * Text with gaps of unknown length as well: besides {@code _} and {@code {_N}}, {@code {...}} is a gap of
   * 0 to {@code longestGap} tokens and {@code {...N}} one of 0 to {@code N} (docs/algorithms.md#gaps-of-unknown-length).
   * Every brace must open one of these forms.
   *
   * @throws IllegalArgumentException naming the problem and its index: an unclosed brace, a brace that is
   *     no gap, a character the vocabulary lacks
   */
  public static GapRequest parseGaps(Vocabulary vocabulary, String template, char placeholder, int longestGap) {
    requireText(vocabulary);
    List<Integer> given = new ArrayList<>();
    List<Integer> longest = new ArrayList<>();
    int at = 0;
    for (int open = template.indexOf('{'); open >= 0; open = template.indexOf('{', at)) {
      int close = template.indexOf('}', open);
      int index = template.codePointCount(0, open);
      if (close < 0) {
        throw new IllegalArgumentException("unclosed brace at index " + index + ": a gap is written {...}, {...N} or {_N}");
      }
      literal(vocabulary, template, at, open, placeholder, given);
      String gap = template.substring(open, close + 1);
      Matcher fixed = GAP.matcher(gap);
      Matcher unknown = UNKNOWN_GAP.matcher(gap);
      if (fixed.matches()) {
        int n = Integer.parseInt(fixed.group(1));
        if (n < 1) {
          throw new IllegalArgumentException("gap " + gap + " at index " + index + " must stand for at least 1 token");
        }
        for (int i = 0; i < n; i++) {
          given.add(SampleRequest.UNKNOWN);
        }
      } else if (unknown.matches()) {
        int n = unknown.group(1).isEmpty() ? longestGap : Integer.parseInt(unknown.group(1));
        given.add(GapRequest.GAP);
        longest.add(n);
      } else {
        throw new IllegalArgumentException("\"" + gap + "\" at index " + index + " is not a gap: write {...} (unknown length),"
            + " {...N} (at most N tokens) or {_N} (exactly N tokens)");
      }
      at = close + 1;
    }
    literal(vocabulary, template, at, template.length(), placeholder, given);
    return new GapRequest(given.stream().mapToInt(Integer::intValue).toArray(), longest.stream().mapToInt(Integer::intValue).toArray());
  }

  /**
   * Every way {@code tokens} fits {@code request}: the lengths of its gaps of unknown length such that the
   * expanded template's known tokens match {@code tokens} (its unknown tokens match anything), at most
   * {@code limit} of them, in increasing order of the first gap's length.
   *
   * @throws IllegalArgumentException when more than {@code limit} ways fit
   */
  public static List<int[]> alignments(GapRequest request, int[] tokens, int limit) {
    List<int[]> out = new ArrayList<>();
    align(request.template(), request.maxLengths(), tokens, 0, 0, new int[request.gaps()], 0, out, limit);
    return out;
  }

  private static void align(int[] template, int[] longest, int[] tokens, int i, int j, int[] lengths, int g, List<int[]> out,
      int limit) {
    if (i == template.length) {
      if (j == tokens.length) {
        if (out.size() == limit) {
          throw new IllegalArgumentException("the text fits the template in more than " + limit + " ways");
        }
        out.add(lengths.clone());
      }
      return;
    }
    if (template[i] == GapRequest.GAP) {
      for (int l = 0; l <= longest[g] && j + l <= tokens.length; l++) {
        lengths[g] = l;
        align(template, longest, tokens, i + 1, j + l, lengths, g + 1, out, limit);
      }
      return;
    }
    if (j < tokens.length && (template[i] == SampleRequest.UNKNOWN || template[i] == tokens[j])) {
      align(template, longest, tokens, i + 1, j + 1, lengths, g, out, limit);
    }
  }

  /**
   * True when a brace of {@code template} is not a fixed-length {@code {_N}}: a gap of unknown length, or a
   * malformed brace that {@link #parseGaps} reports by name. Front ends send such templates down the gap path.
   */
  public static boolean hasGapsOfUnknownLength(String template) {
    return GAP.matcher(template).replaceAll("").indexOf('{') >= 0;
  }

  /** Appends the tokens of {@code template[from, to)}, a stretch without {@code {_N}} gaps. */
  private static void literal(Vocabulary vocabulary, String template, int from, int to, char placeholder, List<Integer> given) {
    if (vocabulary instanceof CharacterVocabulary) {
      int index = template.codePointCount(0, from);
      for (int i = from; i < to; index++) {
        int cp = template.codePointAt(i);
        given.add(cp == placeholder ? SampleRequest.UNKNOWN : encodeOne(vocabulary, cp, index));
        i += Character.charCount(cp);
      }
      return;
    }
    int start = from;
    for (int i = from; i <= to; i++) {
      if (i == to || template.charAt(i) == placeholder) {
        if (i > start) {
          for (int id : encodePiece(vocabulary, template.substring(start, i), start)) {
            given.add(id);
          }
        }
        if (i < to) {
          given.add(SampleRequest.UNKNOWN);
        }
        start = i + 1;
      }
    }
  }

  private static int[] encodePiece(Vocabulary vocabulary, String piece, int index) {
    try {
      return vocabulary.encode(piece);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("the text \"" + piece + "\" at index " + index + " cannot be encoded: " + e.getMessage(), e);
    }
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
    if (!(vocabulary instanceof CharacterVocabulary)) {
      // Subwords decode in context (word boundaries, merged bytes): decode each run of known tokens at once.
      int start = 0;
      for (int i = 0; i <= tokens.length; i++) {
        if (i == tokens.length || tokens[i] < 0) {
          if (i > start) {
            sb.append(vocabulary.decode(java.util.Arrays.copyOfRange(tokens, start, i)));
          }
          if (i < tokens.length) {
            sb.append(placeholder);
          }
          start = i + 1;
        }
      }
      return sb.toString();
    }
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

package dev.anyorder.data;

/**
 * Raised when text cannot be encoded because it holds something the vocabulary lacks: a character
 * (Unicode code point) outside a {@link CharacterVocabulary}, or a word that is not a valid id of an
 * {@link IdVocabulary}. Carries the offending token and its index in the input.
 */
public class UnknownTokenException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  private final String token;
  private final int index;

  public UnknownTokenException(String message, String token, int index) {
    super(message);
    this.token = token;
    this.index = index;
  }

  /** The text of the token that could not be encoded. */
  public String token() {
    return token;
  }

  /** Where it is: the code point index for characters, the word index for ids. */
  public int index() {
    return index;
  }
}

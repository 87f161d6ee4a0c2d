package dev.anyorder.data;

/**
 * The engine that turns text into subword ids and back for a {@link SubwordVocabulary}. The data layer
 * stays pure Java: the codec for HuggingFace {@code tokenizer.json} files lives outside it (DJL's native
 * tokenizers binding) and is found with {@link java.util.ServiceLoader} through {@link Provider}, so a
 * σ-GPT checkpoint (Pannatier, Courdier, Fleuret, 2024) can be read without any native library and only
 * encoding or decoding needs one.
 */
public interface SubwordCodec {

  /** The ids of {@code text}, without special tokens, truncation or padding. */
  long[] encode(String text);

  /** The text of {@code ids}, keeping special tokens. */
  String decode(long[] ids);

  /** Creates codecs from the bytes of a {@code tokenizer.json}; registered as a {@link java.util.ServiceLoader} service. */
  interface Provider {
    /**
     * A codec for the tokenizer file {@code tokenizerJson}.
     *
     * @throws IllegalArgumentException if the file is not a tokenizer this provider can load
     */
    SubwordCodec open(byte[] tokenizerJson);
  }
}

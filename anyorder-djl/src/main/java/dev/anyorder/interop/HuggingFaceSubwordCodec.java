package dev.anyorder.interop;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import dev.anyorder.data.SubwordCodec;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;

/**
 * The {@link SubwordCodec} of HuggingFace {@code tokenizer.json} files, through DJL's tokenizers binding
 * (which ships its native library, so it works offline). It lets σ-GPT models (Pannatier, Courdier, Fleuret,
 * 2024) read and write BPE, WordPiece, Unigram and WordLevel tokens. Encoding adds no special tokens and
 * neither truncates nor pads; decoding keeps special tokens. The native tokenizer lives as long as the codec
 * (it is freed when the codec is garbage collected).
 */
public final class HuggingFaceSubwordCodec implements SubwordCodec {
  private static final Map<String, String> OPTIONS = Map.of(
      "addSpecialTokens", "false",
      "truncation", "false",
      "padding", "false");

  private final HuggingFaceTokenizer tokenizer;

  private HuggingFaceSubwordCodec(HuggingFaceTokenizer tokenizer) {
    this.tokenizer = tokenizer;
  }

  /** Opens the tokenizer file {@code tokenizerJson}. */
  public static HuggingFaceSubwordCodec open(byte[] tokenizerJson) {
    try {
      return new HuggingFaceSubwordCodec(HuggingFaceTokenizer.newInstance(new ByteArrayInputStream(tokenizerJson), OPTIONS));
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("cannot load the tokenizer: " + e.getMessage(), e);
    }
  }

  @Override
  public long[] encode(String text) {
    return tokenizer.encode(text, false, false).getIds();
  }

  @Override
  public String decode(long[] ids) {
    return tokenizer.decode(ids, false);
  }

  /** Registers this codec with {@link java.util.ServiceLoader}. */
  public static final class Provider implements SubwordCodec.Provider {
    @Override
    public SubwordCodec open(byte[] tokenizerJson) {
      return HuggingFaceSubwordCodec.open(tokenizerJson);
    }
  }
}

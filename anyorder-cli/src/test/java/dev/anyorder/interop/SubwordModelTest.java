package dev.anyorder.interop;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.api.AnyOrderModel;
import dev.anyorder.api.TextTemplate;
import dev.anyorder.cli.AnyOrderCli;
import dev.anyorder.data.CharacterVocabulary;
import dev.anyorder.data.SubwordVocabulary;
import dev.anyorder.data.Vocabulary;
import dev.anyorder.sampling.Sample;
import dev.anyorder.sampling.SampleRequest;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Subword vocabularies end to end: the committed BPE {@code tokenizer.json} encodes and decodes, survives a
 * checkpoint, {@code train --tokenizer} trains on subword ids and copies the file, and the model infills
 * {@code {_N}} gaps of N tokens.
 */
class SubwordModelTest {
  @TempDir Path tmp;

  @Test
  void encodesDecodesAndRoundTripsThroughJson() {
    SubwordVocabulary v = SubwordVocabulary.read(InteropFixtures.copy("tokenizer.json", tmp));
    assertEquals(66, v.size());
    int[] ids = v.encode("the cat sat on the mat.");
    assertTrue(ids.length < "the cat sat on the mat.".length(), "subwords are longer than characters: " + Arrays.toString(ids));
    assertEquals("the cat sat on the mat.", v.decode(ids));
    Vocabulary back = Vocabulary.fromJson(v.toJson());
    assertEquals(v, back);
    assertArrayEquals(ids, back.encode("the cat sat on the mat."));
  }

  @Test
  void gapsStandForTokens() {
    SubwordVocabulary v = SubwordVocabulary.read(InteropFixtures.copy("tokenizer.json", tmp));
    SampleRequest r = TextTemplate.parse(v, "the cat {_3} the mat.", '_');
    int[] head = v.encode("the cat ");
    int[] tail = v.encode(" the mat.");
    assertEquals(head.length + 3 + tail.length, r.length());
    assertEquals(3, r.length() - r.knownCount());
    CharacterVocabulary chars = CharacterVocabulary.fromText("abc ");
    SampleRequest c = TextTemplate.parse(chars, "ab{_2}c_", '_');
    assertArrayEquals(new int[] {1, 2, -1, -1, 3, -1}, c.given());
  }

  @Test
  void trainsOnSubwordsAndInfills() throws Exception {
    Path corpus = InteropFixtures.copy("corpus.txt", tmp);
    Path tokenizer = InteropFixtures.copy("tokenizer.json", tmp);
    Path out = tmp.resolve("model");
    int code = AnyOrderCli.commandLine().execute("train", "--data", corpus.toString(), "--format", "text", "--tokenizer",
        tokenizer.toString(), "--out", out.toString(), "--layers", "1", "--heads", "2", "--dim", "16", "--block", "16",
        "--batch", "8", "--steps", "20", "--warmup", "2", "--eval-every", "0", "--eval-batches", "1",
        "--checkpoint-every", "0", "--threads", "1");
    assertEquals(0, code, "train must succeed");
    assertArrayEquals(Files.readAllBytes(tokenizer), Files.readAllBytes(out.resolve("tokenizer.json")),
        "the tokenizer is copied into the model directory");
    try (AnyOrderModel model = AnyOrderModel.load(out)) {
      assertInstanceOf(SubwordVocabulary.class, model.vocabulary());
      assertEquals(66, model.config().vocabSize());
      assertEquals(16, model.config().maxLength());
      SampleRequest request = model.infill("the cat {_3} the mat.", '_');
      for (SamplerKind kind : List.of(SamplerKind.SEQUENTIAL, SamplerKind.SPECULATIVE)) {
        Sample s = model.sampler(SamplerConfig.defaults(kind).withSeed(9)).sample(List.of(request)).samples().get(0);
        int[] given = request.given();
        for (int i = 0; i < given.length; i++) {
          if (given[i] >= 0) {
            assertEquals(given[i], s.tokens()[i], kind + " changed known token " + i);
          }
        }
        String text = model.decode(s.tokens());
        assertTrue(text.startsWith("the cat") && text.endsWith("the mat."), kind + ": " + text);
        System.out.printf("[interop] subword infill (%s): %s -> %s%n", kind, model.render(given, '_'), text);
      }
    }
  }
}

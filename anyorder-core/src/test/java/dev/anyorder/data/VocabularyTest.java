package dev.anyorder.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class VocabularyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void charactersAreSortedDistinctCodePoints() {
    CharacterVocabulary v = CharacterVocabulary.fromText("hello world\n");
    assertEquals(9, v.size());
    assertArrayEquals(new int[] {'\n', ' ', 'd', 'e', 'h', 'l', 'o', 'r', 'w'}, v.codePoints());
    int[] ids = v.encode("hello");
    assertArrayEquals(new int[] {4, 3, 5, 5, 6}, ids);
    assertEquals("hello", v.decode(ids));
    assertTrue(v.isText());
  }

  @Test
  void unknownCharacterNamesItsCodePointAndIndex() {
    CharacterVocabulary v = CharacterVocabulary.fromText("abc");
    UnknownTokenException e = assertThrows(UnknownTokenException.class, () -> v.encode("abcé"));
    assertEquals("unknown character 'é' (U+00E9) at index 3 of the input: not among the 3 characters of the vocabulary",
        e.getMessage());
    assertEquals("é", e.token());
    assertEquals(3, e.index());
    UnknownTokenException tab = assertThrows(UnknownTokenException.class, () -> v.encode("a\tb"));
    assertTrue(tab.getMessage().contains("U+0009"), tab.getMessage());
  }

  @Test
  void surrogatePairsAreOneCharacter() throws Exception {
    String text = "a😀b𝄞a";
    CharacterVocabulary v = CharacterVocabulary.fromText(text);
    assertEquals(4, v.size());
    int[] ids = v.encode(text);
    assertEquals(5, ids.length);
    assertEquals(text, v.decode(ids));
    assertEquals(0x1F600, v.codePoint(3));
    UnknownTokenException e = assertThrows(UnknownTokenException.class, () -> v.encode("😀🙂"));
    assertTrue(e.getMessage().contains("'🙂' (U+1F642) at index 1"), e.getMessage());
    assertEquals(v, Vocabulary.fromJson(JSON.readTree(JSON.writeValueAsString(v.toJson()))));
  }

  @Test
  void decodeRejectsIdsOutOfRange() {
    CharacterVocabulary v = CharacterVocabulary.fromText("ab");
    var e = assertThrows(IllegalArgumentException.class, () -> v.decode(new int[] {0, 2}));
    assertEquals("token id 2 at position 1 is out of range [0, 2)", e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> new IdVocabulary(3).decode(new int[] {-1}));
  }

  @Test
  void jsonRoundTripsAndAcceptsCodePoints() throws Exception {
    CharacterVocabulary v = CharacterVocabulary.fromText("\n ab\"\\");
    String json = JSON.writeValueAsString(v.toJson());
    assertEquals("{\"type\":\"characters\",\"symbols\":[\"\\n\",\" \",\"\\\"\",\"\\\\\",\"a\",\"b\"]}", json);
    assertEquals(v, Vocabulary.fromJson(JSON.readTree(json)));
    assertEquals(CharacterVocabulary.of(97, 98, 0x1F600),
        Vocabulary.fromJson(JSON.readTree("{\"type\":\"characters\",\"symbols\":[97,\"b\",128512]}")));
    assertEquals(new IdVocabulary(12), Vocabulary.fromJson(JSON.readTree("{\"type\":\"ids\",\"size\":12}")));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Vocabulary.fromJson(JSON.readTree("{\"type\":\"bpe\"}"))).getMessage().contains("unknown vocabulary type \"bpe\""));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Vocabulary.fromJson(JSON.readTree("{\"type\":\"characters\",\"symbols\":[\"b\",\"a\"]}")))
        .getMessage().contains("increasing"));
    assertTrue(assertThrows(IllegalArgumentException.class,
        () -> Vocabulary.fromJson(JSON.readTree("{\"type\":\"characters\",\"symbols\":[\"ab\"]}")))
        .getMessage().contains("one-character string"));
  }

  @Test
  void idVocabularyParsesAndPrintsIds() {
    IdVocabulary v = new IdVocabulary(10);
    assertArrayEquals(new int[] {3, 0, 9}, v.encode(" 3  0\t9\n"));
    assertEquals("3 0 9", v.decode(new int[] {3, 0, 9}));
    assertFalse(v.isText());
    UnknownTokenException e = assertThrows(UnknownTokenException.class, () -> v.encode("1 10"));
    assertEquals("'10' at index 1 is not a token id in [0, 10)", e.getMessage());
    assertThrows(UnknownTokenException.class, () -> v.encode("1 x"));
    assertThrows(IllegalArgumentException.class, () -> new IdVocabulary(0));
  }
}

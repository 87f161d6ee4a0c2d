package dev.anyorder.sampling;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.io.InvalidFieldException;
import dev.anyorder.io.JsonFields;
import dev.anyorder.orders.OrderKind;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The one JSON form of a sampler configuration: every field of every kind reads back, and errors name the field. */
class SamplerConfigJsonTest {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A config of {@code kind} with every field away from its default. */
  static SamplerConfig unusual(SamplerKind kind, int variant) {
    OrderSpec order = variant % 3 == 2 ? OrderSpec.explicit(3, 0, 2, 1) : OrderSpec.of(OrderKind.values()[variant % OrderKind.values().length]);
    return new SamplerConfig(kind, order, 0.35 + variant, 7 + variant, 0.875, -1234567890123L - variant, 3 + variant, variant % 2 == 0,
        variant % 2 == 1, DrafterKind.values()[variant % DrafterKind.values().length], 9 + variant,
        PositionRule.values()[variant % PositionRule.values().length], 0.25 * variant, 2 + variant, 1);
  }

  @Test
  void everyFieldOfEveryKindReadsBack() throws Exception {
    for (SamplerKind kind : SamplerKind.values()) {
      for (int variant = 0; variant < 6; variant++) {
        SamplerConfig config = unusual(kind, variant);
        ObjectNode json = SamplerConfigJson.toJson(config);
        assertEquals(SamplerConfigJson.FIELDS, names(json), "toJson writes every field and no other");
        assertEquals(config, SamplerConfigJson.fromJson(json), json.toString());
        // Through text too, as config.json and HTTP carry it.
        assertEquals(config, SamplerConfigJson.fromJson(JSON.readTree(JSON.writeValueAsString(json))), json.toString());
      }
      assertEquals(SamplerConfig.defaults(kind), SamplerConfigJson.fromJson(SamplerConfigJson.toJson(SamplerConfig.defaults(kind))));
    }
  }

  @Test
  void theFieldsAreTheHttpApisVocabulary() throws Exception {
    SamplerConfig adaptive = SamplerConfig.defaults(SamplerKind.ADAPTIVE).withTemperature(0.1);
    assertEquals(JSON.readTree("{\"sampler\": \"adaptive\", \"order\": \"random\", \"k\": 1, \"temperature\": 0.1, \"top_k\": 0,"
        + " \"top_p\": 1.0, \"seed\": 0, \"num_samples\": 1, \"rule\": \"margin\", \"orders\": 5, \"drafter\": \"self\","
        + " \"bonus\": true, \"adaptive_k\": true, \"gumbel\": 0.0, \"beam\": 1}"), JSON.readTree(SamplerConfigJson.toJson(adaptive).toString()));
  }

  @Test
  void fieldsLeftOutTakeTheDefaultsOfTheNamedKind() throws Exception {
    assertEquals(SamplerConfig.defaults(), SamplerConfigJson.fromJson(JSON.readTree("{}")));
    for (SamplerKind kind : SamplerKind.values()) {
      assertEquals(SamplerConfig.defaults(kind).withSeed(5), SamplerConfigJson.fromJson(
          JSON.readTree("{\"sampler\": \"" + kind.label() + "\", \"seed\": 5}")), kind.label());
    }
  }

  @Test
  void aBadFieldIsNamedQualifiedByTheObject() throws Exception {
    assertField("{\"k\": \"4\"}", "", "k", "'k' must be an integer");
    assertField("{\"k\": 4.5}", "", "k", "'k' must be an integer");
    assertField("{\"temperature\": 0}", "", "temperature", "'temperature' must be a number");
    assertField("{\"top_p\": 1.5}", "", "top_p", "'top_p' must be a number in (0.0, 1.0]");
    assertField("{\"rule\": \"best\"}", "", "rule", "'rule': unknown positionRule 'best'");
    assertField("{\"order\": true}", "", "order", "'order' must be an order name");
    assertField("{\"colour\": 1}", "", "colour", "unknown field 'colour'");
    // A value each field allows but the sampler does not: the constructor's message, under the request's field name.
    assertField("{\"sampler\": \"speculative\", \"bonus\": false, \"k\": 1}", "", "k", "k must be at least 2");
    assertField("{\"sampler\": \"adaptive\", \"temperature\": \"cold\"}", "training.decoding", "training.decoding.temperature",
        "'training.decoding.temperature' must be a number");
    assertField("{\"gumbel\": -1}", "training.decoding", "training.decoding.gumbel", "'training.decoding.gumbel'");
    InvalidFieldException notAnObject = assertThrows(InvalidFieldException.class,
        () -> SamplerConfigJson.fromJson(JSON.readTree("[1]"), "training.decoding"));
    assertEquals("training.decoding", notAnObject.field());
    assertTrue(notAnObject.getMessage().contains("must be a JSON object, got an array"), notAnObject.getMessage());
  }

  @Test
  void aReaderCanBoundTheFieldsFurther() throws Exception {
    SamplerConfigJson.Limits limits = new SamplerConfigJson.Limits(4, 8, 8, 2, 3, 100, 100);
    assertEquals(SamplerConfig.defaults().withK(8).withTopK(4), read("{\"k\": 8, \"top_k\": 4}", limits));
    assertEquals("k", assertThrows(InvalidFieldException.class, () -> read("{\"k\": 9}", limits)).field());
    assertEquals("top_k", assertThrows(InvalidFieldException.class, () -> read("{\"top_k\": 5}", limits)).field());
    assertEquals("num_samples", assertThrows(InvalidFieldException.class, () -> read("{\"num_samples\": 3}", limits)).field());
    assertEquals("order", assertThrows(InvalidFieldException.class, () -> read("{\"order\": [0, 3]}", limits)).field());
    assertEquals("temperature", assertThrows(InvalidFieldException.class, () -> read("{\"temperature\": 101}", limits)).field());
    assertEquals(OrderSpec.explicit(2, 0), read("{\"order\": [2, 0]}", limits).order());
  }

  @Test
  void aRecommendedDecodingReplacesItsKindsDefaultsAndBecomesTheDefaultKind() throws Exception {
    SamplerConfig recommended = SamplerConfig.defaults(SamplerKind.ADAPTIVE).withTemperature(0.1);
    SamplerDefaults defaults = new SamplerDefaults(Optional.of(recommended));
    assertEquals(SamplerKind.ADAPTIVE, defaults.defaultKind());
    assertEquals(recommended, defaults.defaults());
    assertEquals(SamplerConfig.defaults(SamplerKind.BURST), defaults.forKind(SamplerKind.BURST));
    assertEquals(SamplerConfig.DEFAULT_KIND, SamplerDefaults.LIBRARY.defaultKind());
    assertEquals(SamplerConfig.defaults(), SamplerDefaults.LIBRARY.defaults());
    SamplerConfigJson.Limits none = SamplerConfigJson.Limits.NONE;
    assertEquals(recommended, SamplerConfigJson.read(JsonFields.of(JSON.readTree("{}"), ""), none, defaults));
    assertEquals(recommended, SamplerConfigJson.read(JsonFields.of(JSON.readTree("{\"sampler\": \"adaptive\"}"), ""), none, defaults));
    assertEquals(recommended.withTemperature(1), SamplerConfigJson.read(JsonFields.of(JSON.readTree("{\"temperature\": 1}"), ""), none,
        defaults));
    assertEquals(SamplerConfig.defaults(SamplerKind.SPECULATIVE), SamplerConfigJson.read(
        JsonFields.of(JSON.readTree("{\"sampler\": \"speculative\"}"), ""), none, defaults));
  }

  static SamplerConfig read(String json, SamplerConfigJson.Limits limits) throws Exception {
    return SamplerConfigJson.read(JsonFields.of(JSON.readTree(json), ""), limits, SamplerDefaults.LIBRARY);
  }

  static void assertField(String json, String object, String field, String message) throws Exception {
    JsonNode node = JSON.readTree(json);
    InvalidFieldException e = assertThrows(InvalidFieldException.class, () -> SamplerConfigJson.fromJson(node, object), json);
    assertEquals(field, e.field(), json);
    assertTrue(e.getMessage().contains(message), json + " -> " + e.getMessage());
  }

  static Set<String> names(JsonNode json) {
    Set<String> out = new HashSet<>();
    json.fieldNames().forEachRemaining(out::add);
    return out;
  }
}

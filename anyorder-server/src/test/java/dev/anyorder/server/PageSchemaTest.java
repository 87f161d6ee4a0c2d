package dev.anyorder.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerConfigJson;
import dev.anyorder.sampling.SamplerKind;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The HTTP parser, the response writer and the web page name a sampler's settings as the one schema,
 * {@link SamplerConfigJson}, does: a field any of them lists that the schema does not fails here.
 */
class PageSchemaTest {
  static String resource(String name) throws IOException {
    try (InputStream in = ModelServer.class.getResourceAsStream("/web/" + name)) {
      assertTrue(in != null, "missing page resource " + name);
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static Set<String> matches(String text, String regex) {
    Set<String> found = new TreeSet<>();
    Matcher m = Pattern.compile(regex).matcher(text);
    while (m.find()) {
      found.add(m.group(1));
    }
    return found;
  }

  static void assertSchemaFields(Set<String> fields, String where) {
    Set<String> unknown = new TreeSet<>(fields);
    unknown.removeAll(SamplerConfigJson.FIELDS);
    assertTrue(unknown.isEmpty(), where + " names sampler fields the schema does not: " + unknown);
  }

  @Test
  void theParserAcceptsTheSchemaAndNoOtherSamplerField() {
    Set<String> sampler = new HashSet<>(RequestParser.SAMPLER_FIELDS);
    sampler.removeAll(RequestParser.DELIVERY_FIELDS);
    assertEquals(SamplerConfigJson.FIELDS, sampler);
    Set<String> score = new HashSet<>(RequestParser.SCORE_FIELDS);
    score.removeAll(Set.of("text", "tokens", "known"));
    score.removeAll(RequestParser.DELIVERY_FIELDS);
    assertSchemaFields(score, "POST /v1/score");
  }

  @Test
  void theResponseEchoesEveryFieldOfTheSchema() {
    for (SamplerKind kind : SamplerKind.values()) {
      Set<String> written = new HashSet<>();
      for (Iterator<String> it = ResponseWriter.sampler(SamplerConfig.defaults(kind)).fieldNames(); it.hasNext(); ) {
        written.add(it.next());
      }
      assertEquals(SamplerConfigJson.FIELDS, written, kind.label());
    }
  }

  @Test
  void thePageNamesOnlySchemaFields() throws IOException {
    String html = resource("index.html");
    String js = resource("app.js");
    Set<String> controls = matches(html, "data-field=\"([a-z_]+)\"");
    assertFalse(controls.isEmpty(), "the page's sampler controls carry data-field");
    assertSchemaFields(controls, "index.html's data-field controls");
    Matcher table = Pattern.compile("const SAMPLER_CONTROLS = \\{([^}]*)\\}").matcher(js);
    assertTrue(table.find(), "app.js declares SAMPLER_CONTROLS");
    Set<String> mapped = matches(table.group(1), "([a-z_]+):");
    assertSchemaFields(mapped, "app.js's SAMPLER_CONTROLS");
    Set<String> panelControls = new TreeSet<>(controls);
    assertEquals(panelControls, mapped, "every panel control is in SAMPLER_CONTROLS and back");
    assertSchemaFields(matches(js, "put\\('([a-z_]+)'"), "app.js's panelOptions");
    assertSchemaFields(matches(js, "\\b(?:sd|d)\\.([a-z_]+)"), "app.js's reads of sampler defaults");
  }
}

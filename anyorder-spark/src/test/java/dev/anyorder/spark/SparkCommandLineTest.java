package dev.anyorder.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.anyorder.cli.AnyOrderCli;
import dev.anyorder.spark.cli.SparkCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code anyorder spark score} gives one row per line, each with the {@code log_prob} {@code anyorder score} prints for
 * the same line and order (within 1e-4).
 */
class SparkCommandLineTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<String> LINES = List.of("abc", "bad cafe", "hedge", "a b c d", "xyz", "fade");

  @TempDir static Path dir;
  static Path model;
  static Path input;

  @BeforeAll
  static void files() throws Exception {
    model = SparkTestModels.textModel(dir);
    input = dir.resolve("lines.txt");
    Files.write(input, LINES, StandardCharsets.UTF_8);
  }

  static String stdout(Runnable r) {
    PrintStream old = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
    try {
      r.run();
    } finally {
      System.setOut(old);
    }
    return buffer.toString(StandardCharsets.UTF_8);
  }

  /** Rows of a JSON-lines output directory. */
  static List<JsonNode> readJsonLines(Path out) throws Exception {
    List<JsonNode> rows = new java.util.ArrayList<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : files.filter(f -> f.getFileName().toString().startsWith("part-")).sorted().toList()) {
        for (String line : Files.readAllLines(f)) {
          rows.add(JSON.readTree(line));
        }
      }
    }
    return rows;
  }

  @Test
  void sparkScoreEqualsTheScoreCommand() throws Exception {
    Path out = dir.resolve("out");
    int code = SparkCli.commandLine().execute("score", "--model", model.toString(), "--input", input.toString(), "--output",
        out.toString(), "--output-format", "json", "--master", "local[2]");
    assertEquals(0, code);
    List<JsonNode> rows = readJsonLines(out);
    assertEquals(LINES.size(), rows.size(), "one output row per input line: " + rows);
    Map<String, JsonNode> spark = new HashMap<>();
    rows.forEach(r -> spark.put(r.get("text").asText(), r));

    // anyorder score stops at a bad line, so it reads the good ones only.
    List<String> good = LINES.stream().filter(l -> !l.equals("xyz")).toList();
    Path goodInput = Files.write(dir.resolve("good.txt"), good, StandardCharsets.UTF_8);
    String printed = stdout(() -> assertEquals(0, AnyOrderCli.commandLine().execute("score", "--model", model.toString(), "--input",
        goodInput.toString(), "--format", "jsonl")));
    int compared = 0;
    for (String line : printed.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      JsonNode cli = JSON.readTree(line);
      String text = good.get(cli.get("line").asInt() - 1);
      assertEquals(cli.get("log_prob").asDouble(), spark.get(text).get("log_prob").asDouble(), 1e-4, text);
      compared++;
    }
    assertEquals(LINES.size() - 1, compared, "every scorable line: " + printed);
    assertTrue(spark.get("xyz").get("error").asText().contains("x"), spark.get("xyz").toString());
  }
}

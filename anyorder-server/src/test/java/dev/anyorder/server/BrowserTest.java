package dev.anyorder.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.anyorder.sampling.PositionRule;
import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerConfigJson;
import dev.anyorder.sampling.SamplerKind;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The live page end to end in Debian's headless Chromium (driven by Debian's chromedriver; nothing is
 * downloaded), one test per page kind: on the text page, the controls start at the server's defaults,
 * the gaps fill with a live NFE counter that ends at the reported value, the curl snippet is the exact
 * request (sending it reproduces the output), the copy buttons copy, and Stop ends both panels and the
 * server's jobs; on the Sudoku and maze pages, the badge and wrong-cell marks agree with the server's
 * judgement, and maze walls and path stay legible when cells are coloured by step; for a model that records
 * the decoding it was made for, every panel opens on it, the page says so, and a button gets back to it.
 * Screenshots go to {@code anyorder-server/target/screenshots/}.
 *
 * <p>Without Chromium the tests are skipped, unless the system property {@code browser.required} is
 * {@code true} ({@code .ci/run} sets it and installs Chromium): then a missing browser fails the build
 * instead of passing it with no page tested.
 */
class BrowserTest {
  static final Path CHROMIUM = Path.of(System.getProperty("browser.chromium", "/usr/bin/chromium"));
  static final Path CHROMEDRIVER = Path.of(System.getProperty("browser.chromedriver", "/usr/bin/chromedriver"));
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @TempDir
  static Path tmp;
  static WebDriver driver;

  @BeforeAll
  static void startBrowser() {
    for (Path executable : List.of(CHROMIUM, CHROMEDRIVER)) {
      String missing = executable + " is not installed (apt-get install chromium chromium-driver)";
      if (Boolean.getBoolean("browser.required")) {
        assertTrue(Files.isExecutable(executable), missing + ", and -Dbrowser.required=true makes the browser tests mandatory");
      }
      assumeTrue(Files.isExecutable(executable), missing);
    }
    ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort().withLogOutput(java.io.OutputStream.nullOutputStream()).build();
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
        "--window-size=1400,1000", "--user-data-dir=" + tmp.resolve("chromium-profile").toAbsolutePath());
    driver = new ChromeDriver(service, options);
    driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
  }

  @AfterAll
  static void stopBrowser() {
    if (driver != null) {
      driver.quit();
    }
  }

  @Test
  void theTextPageStreamsAnInfillWithItsControlsCopiesAndStops() throws Exception {
    FaultTest.InjectedNetwork[] net = new FaultTest.InjectedNetwork[1];
    try (ModelServer server = ModelServer.start(FaultTest.loader(TestModels.textModel(tmp), net), ServerConfig.defaults().withPort(0))) {
      HttpHelper http = new HttpHelper(server.uri());
      WebDriverWait wait = open(server);
      // The controls start at the server's defaults, which the page reads instead of keeping its own.
      JsonNode defaults = http.get("/v1/model").json().at("/options/defaults");
      WebElement b = panel("b");
      assertEquals(defaults.at("/speculative/temperature").asDouble(), Double.parseDouble(b.findElement(By.className("temperature")).getAttribute("value")));
      assertEquals(defaults.at("/speculative/top_k").asText(), b.findElement(By.className("top-k")).getAttribute("value"));
      assertEquals(defaults.at("/speculative/top_p").asDouble(), Double.parseDouble(b.findElement(By.className("top-p")).getAttribute("value")));
      assertEquals(defaults.at("/speculative/k").asText(), b.findElement(By.className("k")).getAttribute("value"));
      assertEquals(defaults.at("/speculative/seed").asText(), driver.findElement(By.id("seed")).getAttribute("value"));
      assertEquals(defaults.at("/speculative/num_samples").asText(), driver.findElement(By.id("num-samples")).getAttribute("value"));

      String template = "the quick brown ___ jumps over the ____ dog, __";
      type(driver.findElement(By.id("template")), template);
      type(driver.findElement(By.id("seed")), "7");
      type(driver.findElement(By.id("num-samples")), "2");
      new Select(driver.findElement(By.cssSelector("#panel-a .sampler"))).selectByValue("sequential");
      new Select(driver.findElement(By.cssSelector("#panel-b .sampler"))).selectByValue("speculative");
      type(panel("a").findElement(By.className("top-k")), "5");
      type(panel("a").findElement(By.className("top-p")), "0.9");
      js("window.nfeSeen = [];"
          + "const n = document.querySelector('#panel-a .nfe');"
          + "new MutationObserver(() => window.nfeSeen.push(n.textContent)).observe(n, {childList: true, characterData: true, subtree: true});");
      driver.findElement(By.id("run")).click();
      wait.until(d -> "done".equals(panel("a").getAttribute("data-state")) && "done".equals(panel("b").getAttribute("data-state")));

      int gaps = (int) template.chars().filter(c -> c == '_').count();
      for (String p : List.of("a", "b")) {
        WebElement panel = panel(p);
        assertEquals(panel.getAttribute("data-reported-nfe"), panel.findElement(By.className("nfe")).getText(),
            "panel " + p + ": the live counter ends at the NFE the server reported");
        assertEquals(0, panel.findElements(By.cssSelector(".cell.gap")).size(), "panel " + p + ": every gap is filled");
        List<?> stepColours = (List<?>) js("return Array.from(document.querySelectorAll('#panel-" + p + " .cell.committed'))"
            + ".map((c) => c.style.getPropertyValue('--step-line'));");
        assertEquals(gaps, stepColours.size(), "panel " + p);
        assertTrue(stepColours.stream().allMatch(c -> ((String) c).startsWith("hsl")), "committed cells are coloured by step: " + stepColours);
        assertEquals(String.valueOf(gaps), panel.findElement(By.className("committed")).getText());
      }
      @SuppressWarnings("unchecked")
      List<String> seen = (List<String>) js("return window.nfeSeen;");
      // When the commit events arrive in one chunk the page may show one jump (0 then the total), so ask
      // only that the counter moved, never went backwards and ended at the reported value.
      List<Integer> values = seen.stream().map(String::trim).filter(v -> v.matches("\\d+")).map(Integer::valueOf).toList();
      assertTrue(values.stream().distinct().count() >= 2, "the NFE counter moved while the gaps filled: " + seen);
      for (int i = 1; i < values.size(); i++) {
        assertTrue(values.get(i) >= values.get(i - 1), "the NFE counter never goes back: " + seen);
      }
      assertEquals(panel("a").getAttribute("data-reported-nfe"), String.valueOf(values.get(values.size() - 1)), "seen " + seen);

      // The curl snippet is the exact request: the controls' fields are in it, and sending it gives what the page shows.
      String curl = panel("a").findElement(By.className("curl")).getAttribute("textContent");
      assertTrue(curl.startsWith("curl -sN '" + server.uri().resolve("/v1/infill") + "'"), curl);
      ObjectNode sent = curlBody(curl);
      assertEquals(5, sent.get("top_k").asInt(), curl);
      assertEquals(0.9, sent.get("top_p").asDouble(), curl);
      assertEquals(2, sent.get("num_samples").asInt(), curl);
      assertEquals(7, sent.get("seed").asInt(), curl);
      assertEquals("sequential", sent.get("sampler").asText(), curl);
      assertEquals(template, sent.get("text").asText(), curl);
      assertTrue(sent.get("stream").asBoolean(), curl);
      sent.remove("stream");
      JsonNode api = http.post("/v1/infill", sent.toString()).json();
      String output = panel("a").findElement(By.className("output")).getAttribute("textContent");
      assertEquals(api.at("/samples/0/text").asText() + "\n" + api.at("/samples/1/text").asText(), output,
          "the plain-text output holds every sample");
      String shown = panel("a").findElement(By.className("sequence")).getText().replace('\u00a0', ' ').replace("\n", "");
      assertEquals(api.at("/samples/0/text").asText(), shown);
      assertEquals(api.get("nfe").asText(), panel("a").getAttribute("data-reported-nfe"));

      // Copy buttons put the output and the curl command on the clipboard.
      js("window.copied = []; Object.defineProperty(navigator, 'clipboard', {configurable: true,"
          + " value: {writeText: (t) => { window.copied.push(t); return Promise.resolve(); }}});");
      panel("a").findElement(By.className("copy-output")).click();
      panel("a").findElement(By.className("copy-curl")).click();
      wait.until(d -> ((List<?>) js("return window.copied;")).size() == 2);
      assertEquals(List.of(output, curl), js("return window.copied;"));

      // The dice picks a fresh seed.
      driver.findElement(By.id("dice")).click();
      String seed = driver.findElement(By.id("seed")).getAttribute("value");
      assertTrue(seed.matches("\\d+") && !seed.equals("7"), "a random seed: " + seed);
      screenshot("web-infill.png");

      // Stop: the page stops at once and the server stops generating. One panel, so that its job is surely
      // still running when Stop is pressed (with two, one may finish while the other waits its turn).
      driver.findElement(By.id("compare")).click();
      type(driver.findElement(By.id("num-samples")), "1");
      type(driver.findElement(By.id("template")), "the " + "_".repeat(TestModels.TEXT_LENGTH - 4));
      JsonNode before = http.get("/healthz").json().get("stats");
      net[0].delayMillis = 100;
      driver.findElement(By.id("run")).click();
      wait.until(d -> Integer.parseInt(panel("a").findElement(By.className("committed")).getText()) >= 1);
      assertTrue(driver.findElement(By.id("stop")).isEnabled(), "Stop is enabled while generating");
      driver.findElement(By.id("stop")).click();
      assertEquals("stopped", panel("a").getAttribute("data-state"));
      assertEquals("stopped", panel("a").findElement(By.className("status")).getText());
      assertTrue(driver.findElement(By.id("run")).isEnabled() && !driver.findElement(By.id("stop")).isEnabled());
      long deadline = System.currentTimeMillis() + 20_000;
      JsonNode after = before;
      while (System.currentTimeMillis() < deadline && after.get("abandoned_batches").asLong() == before.get("abandoned_batches").asLong()) {
        Thread.sleep(50);
        after = http.get("/healthz").json().get("stats");
      }
      assertEquals(before.get("abandoned_batches").asLong() + 1, after.get("abandoned_batches").asLong(),
          "the server abandoned the stopped job: " + after);
      assertEquals(before.get("requests").asLong(), after.get("requests").asLong(), "the job did not run to the end: " + after);
      net[0].delayMillis = 0;
    }
  }

  @Test
  void theSudokuPageBadgesThePuzzleAndMarksTheCellsTheServerJudgesWrong() throws IOException {
    try (ModelServer server = ModelServer.start(TestModels.sudokuModel(tmp), ServerConfig.defaults().withPort(0))) {
      WebDriverWait wait = open(server);
      assertEquals("New Sudoku", driver.findElement(By.id("new-instance")).getText());
      new Select(driver.findElement(By.cssSelector("#panel-a .sampler"))).selectByValue("adaptive");
      new Select(driver.findElement(By.cssSelector("#panel-b .sampler"))).selectByValue("speculative");
      driver.findElement(By.id("run")).click();
      wait.until(d -> "done".equals(panel("a").getAttribute("data-state")) && "done".equals(panel("b").getAttribute("data-state")));
      for (String p : List.of("a", "b")) {
        assertEquals(81, panel(p).findElements(By.cssSelector(".sequence.grid .cell")).size());
        assertEquals(0, panel(p).findElements(By.cssSelector(".cell.gap")).size());
        assertEquals(panel(p).getAttribute("data-reported-nfe"), panel(p).findElement(By.className("nfe")).getText());
        assertBadgeMatchesTheServer(server, p, "/v1/generate");
      }
      screenshot("web-sudoku.png");
    }
  }

  @Test
  void theMazePageBadgesTheMazeAndKeepsWallsAndPathLegibleWhenColouredByStep() throws IOException {
    try (ModelServer server = ModelServer.start(TestModels.mazeModel(tmp.resolve("maze-report").resolve("models").resolve("maze")),
        ServerConfig.defaults().withPort(0))) {
      WebDriverWait wait = open(server);
      assertEquals("New maze", driver.findElement(By.id("new-instance")).getText());
      driver.findElement(By.id("new-instance")).click();
      new Select(driver.findElement(By.cssSelector("#panel-a .sampler"))).selectByValue("adaptive");
      new Select(driver.findElement(By.cssSelector("#panel-b .sampler"))).selectByValue("sequential");
      driver.findElement(By.id("run")).click();
      wait.until(d -> "done".equals(panel("a").getAttribute("data-state")) && "done".equals(panel("b").getAttribute("data-state")));
      for (String p : List.of("a", "b")) {
        assertEquals(98, panel(p).findElements(By.cssSelector(".sequence.grid .cell")).size(), "panel " + p);
        assertEquals(0, panel(p).findElements(By.cssSelector(".cell.gap")).size(), "panel " + p);
        assertEquals(panel(p).getAttribute("data-reported-nfe"), panel(p).findElement(By.className("nfe")).getText());
        assertBadgeMatchesTheServer(server, p, "/v1/generate");
      }
      // Legible: walls stay dark, other committed cells get a light fill with dark symbols, and the step
      // shows as the ring's colour, which still changes from step to step.
      @SuppressWarnings("unchecked")
      List<java.util.Map<String, Object>> cells = (List<java.util.Map<String, Object>>) js(
          "return Array.from(document.querySelectorAll('#panel-b .cell.committed')).map((c) => { const s = getComputedStyle(c);"
              + " return {cls: c.className, bg: s.backgroundColor, fg: s.color, ring: s.boxShadow, step: c.style.getPropertyValue('--step-line')}; });");
      assertFalse(cells.isEmpty());
      java.util.Set<String> steps = new java.util.HashSet<>();
      for (java.util.Map<String, Object> c : cells) {
        String cls = (String) c.get("cls");
        double bg = luminance((String) c.get("bg"));
        if (cls.contains("tok-wall")) {
          assertTrue(bg < 0.1, "a wall stays dark: " + c);
        } else if (cls.contains("tok-empty") || cls.contains("tok-path")) {
          assertTrue(bg > 0.55, "floor and path cells keep a light fill: " + c);
          assertTrue(luminance((String) c.get("fg")) < 0.1, "their symbol is dark: " + c);
        }
        assertTrue(((String) c.get("ring")).contains("rgb"), "the step colour shows as a ring: " + c);
        steps.add((String) c.get("step"));
      }
      assertTrue(steps.size() >= 2, "cells are still coloured by step: " + steps);
      screenshot("web-maze.png");
    }
  }

  @Test
  void aModelsPageOpensOnItsRecommendedDecodingAndGetsBackToIt() throws IOException {
    SamplerConfig recommended = SamplerConfig.defaults(SamplerKind.ADAPTIVE).withRule(PositionRule.MARGIN).withTemperature(0.1);
    Path model = TestModels.interiorMazeModel(tmp.resolve("recommending-maze"), SamplerConfigJson.toJson(recommended));
    try (ModelServer server = ModelServer.start(model, ServerConfig.defaults().withPort(0))) {
      WebDriverWait wait = open(server);
      assertTrue(driver.findElement(By.id("recommended")).isDisplayed(), "the page says what the model recommends");
      assertEquals("model's recommended decoding: adaptive, margin, temperature 0.1", driver.findElement(By.id("recommended-text")).getText());
      for (String p : List.of("a", "b")) {
        assertShowsTheRecommendation(p);
      }

      // After changes, one click brings every panel back to it.
      new Select(driver.findElement(By.cssSelector("#panel-b .sampler"))).selectByValue("sequential");
      type(panel("b").findElement(By.className("temperature")), "1");
      type(panel("a").findElement(By.className("k")), "3");
      new Select(driver.findElement(By.cssSelector("#panel-a .rule"))).selectByValue("entropy");
      driver.findElement(By.id("use-recommended")).click();
      for (String p : List.of("a", "b")) {
        assertShowsTheRecommendation(p);
      }

      // The page sends only what differs from the server's defaults, and the server decodes with the recommendation.
      driver.findElement(By.id("run")).click();
      wait.until(d -> "done".equals(panel("a").getAttribute("data-state")) && "done".equals(panel("b").getAttribute("data-state")));
      ObjectNode sent = curlBody(panel("a").findElement(By.className("curl")).getAttribute("textContent"));
      assertEquals("adaptive", sent.get("sampler").asText(), sent.toString());
      for (String field : List.of("temperature", "k", "rule", "top_k", "top_p", "order")) {
        assertFalse(sent.has(field), field + " is the model's default: " + sent);
      }
      sent.remove("stream");
      JsonNode echoed = new HttpHelper(server.uri()).post("/v1/generate", sent.toString()).json().get("sampler");
      assertEquals(SamplerConfigJson.toJson(recommended.withSeed(sent.get("seed").asLong())).toString(), echoed.toString());
      assertBadgeMatchesTheServer(server, "a", "/v1/generate");
      screenshot("web-maze-recommended.png");
    }
  }

  @Test
  void aModelWithoutARecommendationShowsNone() {
    try (ModelServer server = ModelServer.start(TestModels.interiorMazeModel(tmp.resolve("plain-maze")), ServerConfig.defaults().withPort(0))) {
      open(server);
      assertFalse(driver.findElement(By.id("recommended")).isDisplayed());
      assertEquals("sequential", new Select(driver.findElement(By.cssSelector("#panel-a .sampler"))).getFirstSelectedOption().getAttribute("value"));
      assertEquals("speculative", new Select(driver.findElement(By.cssSelector("#panel-b .sampler"))).getFirstSelectedOption().getAttribute("value"));
    }
  }

  /** Panel {@code p}'s controls show the recommended decoding: adaptive, margin, k = 1, temperature 0.1, no truncation. */
  private static void assertShowsTheRecommendation(String p) {
    WebElement panel = panel(p);
    assertEquals("adaptive", new Select(panel.findElement(By.className("sampler"))).getFirstSelectedOption().getAttribute("value"), p);
    assertEquals("margin", new Select(panel.findElement(By.className("rule"))).getFirstSelectedOption().getAttribute("value"), p);
    assertTrue(panel.findElement(By.className("rule")).isDisplayed() && panel.findElement(By.className("k")).isDisplayed(), p);
    assertEquals("1", panel.findElement(By.className("k")).getAttribute("value"), p);
    assertEquals(0.1, Double.parseDouble(panel.findElement(By.className("temperature")).getAttribute("value")), p);
    assertEquals("0", panel.findElement(By.className("top-k")).getAttribute("value"), p);
    assertEquals(1.0, Double.parseDouble(panel.findElement(By.className("top-p")).getAttribute("value")), p);
  }

  /**
   * The panel's badge, wrong-cell marks and plain-text output agree with {@code /v1/task/check} on the
   * tokens its curl request gives.
   */
  private static void assertBadgeMatchesTheServer(ModelServer server, String p, String path) {
    HttpHelper http = new HttpHelper(server.uri());
    ObjectNode sent = curlBody(panel(p).findElement(By.className("curl")).getAttribute("textContent"));
    sent.remove("stream");
    JsonNode tokens = http.post(path, sent.toString()).json().at("/samples/0/tokens");
    String seed = driver.findElement(By.id("task-name")).getAttribute("data-seed");
    JsonNode verdict = http.post("/v1/task/check", "{\"seed\": " + seed + ", \"tokens\": " + tokens + "}").json();
    WebElement badge = panel(p).findElement(By.className("badge"));
    assertTrue(badge.isDisplayed(), "panel " + p + " shows a badge");
    boolean solved = verdict.get("solved").asBoolean();
    assertEquals(solved ? "solved" : "incorrect", panel(p).getAttribute("data-verdict"));
    assertTrue(badge.getText().contains(solved ? "solved" : "incorrect"), badge.getText());
    List<Integer> marked = ((List<?>) js("return Array.from(document.querySelectorAll('#panel-" + p + " .cell.wrong'))"
        + ".map((c) => Number(c.dataset.pos));")).stream().map(n -> ((Number) n).intValue()).sorted().toList();
    List<Integer> wrong = new java.util.ArrayList<>();
    verdict.get("wrong").forEach(w -> wrong.add(w.asInt()));
    assertEquals(wrong, marked, "panel " + p + ": the marked cells are the ones the server judges wrong");
    if (!wrong.isEmpty()) {
      assertTrue(badge.getText().contains(wrong.size() + " wrong cell"), badge.getText());
    }
    assertEquals(verdict.get("rendered").asText(), panel(p).findElement(By.className("output")).getAttribute("textContent"));
  }

  private static WebDriverWait open(ModelServer server) {
    driver.get(server.uri().toString());
    WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
    wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
    return wait;
  }

  private static void type(WebElement input, String text) {
    input.clear();
    input.sendKeys(text);
  }

  private static Object js(String script) {
    return ((JavascriptExecutor) driver).executeScript(script);
  }

  /** The JSON body of a curl command as the page writes it ({@code -d '...'}, quotes escaped as {@code '\''}). */
  private static ObjectNode curlBody(String curl) {
    int from = curl.indexOf("-d '") + 4;
    String quoted = curl.substring(from, curl.lastIndexOf('\''));
    try {
      return (ObjectNode) ResponseWriter.MAPPER.readTree(quoted.replace("'\\''", "'"));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** Relative luminance of a CSS {@code rgb(r, g, b)} colour, 0 (black) to 1 (white). */
  private static double luminance(String rgb) {
    String[] parts = rgb.replaceAll("[^0-9.,]", "").split(",");
    double[] c = new double[3];
    for (int i = 0; i < 3; i++) {
      double v = Double.parseDouble(parts[i]) / 255;
      c[i] = v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    }
    return 0.2126 * c[0] + 0.7152 * c[1] + 0.0722 * c[2];
  }

  private static WebElement panel(String name) {
    return driver.findElement(By.id("panel-" + name));
  }

  private static void screenshot(String name) throws IOException {
    Files.createDirectories(SCREENSHOTS);
    byte[] png = ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES);
    Files.write(SCREENSHOTS.resolve(name), png);
    System.out.println("[browser] screenshot " + SCREENSHOTS.resolve(name).toAbsolutePath());
  }
}

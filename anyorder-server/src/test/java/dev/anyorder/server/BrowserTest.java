package dev.anyorder.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
 * downloaded): submit an infill, watch the gaps fill with a live NFE counter that ends at the reported
 * value, on the text, maze and Sudoku pages, and keep screenshots under {@code anyorder-server/target/screenshots/}.
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
  void anInfillStreamsIntoThePageAndTheNfeCounterEndsAtTheReportedValue() throws IOException {
    try (ModelServer server = ModelServer.start(TestModels.textModel(tmp), ServerConfig.defaults().withPort(0))) {
      driver.get(server.uri().toString());
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
      wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
      String template = "the quick brown ___ jumps over the ____ dog, __";
      WebElement area = driver.findElement(By.id("template"));
      area.clear();
      area.sendKeys(template);
      WebElement seed = driver.findElement(By.id("seed"));
      seed.clear();
      seed.sendKeys("7");
      new Select(driver.findElement(By.cssSelector("#panel-a .sampler"))).selectByValue("sequential");
      new Select(driver.findElement(By.cssSelector("#panel-b .sampler"))).selectByValue("speculative");
      ((JavascriptExecutor) driver).executeScript(
          "window.nfeSeen = [];"
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
        List<WebElement> committed = panel.findElements(By.cssSelector(".cell.committed"));
        assertEquals(gaps, committed.size(), "panel " + p);
        for (WebElement c : committed) {
          assertTrue(c.getAttribute("style").contains("background"), "committed cells are coloured by step");
        }
        assertEquals(String.valueOf(gaps), panel.findElement(By.className("committed")).getText());
      }
      @SuppressWarnings("unchecked")
      List<String> seen = (List<String>) ((JavascriptExecutor) driver).executeScript("return window.nfeSeen;");
      // When the commit events arrive in one chunk the page may show one jump (0 then the total), so ask
      // only that the counter moved, never went backwards and ended at the reported value.
      List<Integer> values = seen.stream().map(String::trim).filter(v -> v.matches("\\d+")).map(Integer::valueOf).toList();
      assertTrue(values.stream().distinct().count() >= 2, "the NFE counter moved while the gaps filled: " + seen);
      for (int i = 1; i < values.size(); i++) {
        assertTrue(values.get(i) >= values.get(i - 1), "the NFE counter never goes back: " + seen);
      }
      assertEquals(panel("a").getAttribute("data-reported-nfe"), String.valueOf(values.get(values.size() - 1)), "seen " + seen);

      // The page shows exactly what the API returns for the same request.
      HttpHelper http = new HttpHelper(server.uri());
      JsonNode api = http.post("/v1/infill", "{\"text\": \"" + template + "\", \"sampler\": \"sequential\", \"order\": \"random\", "
          + "\"temperature\": 1, \"seed\": 7}").json();
      String shown = panel("a").findElement(By.className("sequence")).getText().replace('\u00a0', ' ').replace("\n", "");
      assertEquals(api.at("/samples/0/text").asText(), shown);
      assertEquals(api.get("nfe").asText(), panel("a").getAttribute("data-reported-nfe"));
      screenshot("web-infill.png");
    }
  }

  @Test
  void aSudokuModelOffersPuzzlesAndSolvesThemLive() throws IOException {
    try (ModelServer server = ModelServer.start(TestModels.sudokuModel(tmp), ServerConfig.defaults().withPort(0))) {
      driver.get(server.uri().toString());
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
      wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
      assertEquals("New Sudoku", driver.findElement(By.id("new-instance")).getText());
      new Select(driver.findElement(By.cssSelector("#panel-a .sampler"))).selectByValue("adaptive");
      new Select(driver.findElement(By.cssSelector("#panel-b .sampler"))).selectByValue("speculative");
      driver.findElement(By.id("run")).click();
      wait.until(d -> "done".equals(panel("a").getAttribute("data-state")) && "done".equals(panel("b").getAttribute("data-state")));
      for (String p : List.of("a", "b")) {
        assertEquals(81, panel(p).findElements(By.cssSelector(".sequence.grid .cell")).size());
        assertEquals(0, panel(p).findElements(By.cssSelector(".cell.gap")).size());
        assertEquals(panel(p).getAttribute("data-reported-nfe"), panel(p).findElement(By.className("nfe")).getText());
      }
      screenshot("web-sudoku.png");
    }
  }

  @Test
  void theDemoMazeModelOffersMazesAndSolvesThemLive() throws IOException {
    try (ModelServer server = ModelServer.start(TestModels.mazeModel(tmp.resolve("maze-report").resolve("models").resolve("maze")),
        ServerConfig.defaults().withPort(0))) {
      driver.get(server.uri().toString());
      WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(60));
      wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getAttribute("data-ready")));
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
      }
      screenshot("web-maze.png");
    }
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

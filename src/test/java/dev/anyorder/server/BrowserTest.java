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
 * value, and keep screenshots under {@code target/screenshots/}. Skipped only when Chromium is not
 * installed ({@code .ci/run} installs it).
 */
class BrowserTest {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  static final Path SCREENSHOTS = Path.of("target", "screenshots");

  @TempDir
  static Path tmp;
  static WebDriver driver;

  @BeforeAll
  static void startBrowser() {
    assumeTrue(Files.isExecutable(CHROMIUM), "Chromium is not installed at " + CHROMIUM);
    assumeTrue(Files.isExecutable(CHROMEDRIVER), "chromedriver is not installed at " + CHROMEDRIVER);
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
      assertTrue(seen.stream().distinct().count() >= gaps / 2, "the NFE counter moved while the gaps filled: " + seen);

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

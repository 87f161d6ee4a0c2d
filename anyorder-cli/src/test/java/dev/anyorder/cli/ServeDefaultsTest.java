package dev.anyorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.server.ServerConfig;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code anyorder serve} declares no limit of its own: without flags it runs {@link ServerConfig#defaults()}. */
class ServeDefaultsTest {
  @Test
  void serveWithoutFlagsRunsTheServerDefaults() {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs("--model", "m");
    assertEquals(ServerConfig.defaults(), serve.config(null));
  }

  @Test
  void flagsOverrideOneLimitEach() {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs("--model", "m", "--max-samples", "3", "--body-timeout", "2.5", "--timeout", "9",
        "--max-work", "0.5", "--max-uploads", "7");
    ServerConfig c = serve.config(null);
    assertEquals(3, c.maxSamples());
    assertEquals(Duration.ofMillis(2500), c.bodyTimeout());
    assertEquals(Duration.ofSeconds(9), c.requestTimeout());
    assertEquals(ServerConfig.defaults().maxTokens(), c.maxTokens());
    assertEquals(Duration.ofMillis(500), c.maxWork());
    assertEquals(7, c.maxBodiesReceiving());
  }

  @Test
  void helpShowsTheServerDefaults() {
    String help = new CommandLine(new ServeCommand()).getUsageMessage();
    ServerConfig d = ServerConfig.defaults();
    assertTrue(help.contains("(default: " + d.maxCost() + ")"), help);
    assertTrue(help.contains("(default: " + d.maxBodyBytes() + ")"), help);
  }
}

package dev.anyorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anyorder.api.Backend;
import dev.anyorder.api.ScoreSettings;
import dev.anyorder.options.BackendConverter;
import dev.anyorder.options.EngineOptions;
import dev.anyorder.options.ScoringOptions;
import dev.anyorder.sampling.OrderSpec;
import dev.anyorder.orders.OrderKind;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The score flags without values are {@link ScoreSettings#defaults()} (the HTTP API's and Spark's too), and
 * {@code --backend} defaults to {@link Backend#DEFAULT}.
 */
class ScoringDefaultsTest {
  @Test
  void noFlagsMeansTheScoreDefaults() {
    ScoringOptions options = new ScoringOptions();
    new CommandLine(options).parseArgs();
    assertEquals(ScoreSettings.defaults(), options.settings());
  }

  @Test
  void flagsSetTheirSettings() {
    ScoringOptions options = new ScoringOptions();
    new CommandLine(options).parseArgs("--known", "[0]", "--orders", "4", "--seed", "1", "--order", "random");
    assertEquals(ScoreSettings.defaults().withKnown(0).withOrders(4).withSeed(1).withOrder(OrderSpec.of(OrderKind.RANDOM)),
        options.settings());
  }

  @Test
  void theBackendDefaultIsAuto() {
    EngineOptions engine = new EngineOptions();
    new CommandLine(engine).parseArgs();
    assertEquals(Backend.DEFAULT, engine.backend);
    assertEquals(Backend.AUTO, new BackendConverter().convert(BackendConverter.DEFAULT));
  }
}

package dev.anyorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anyorder.training.TrainConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code anyorder train} without training flags trains with {@link TrainConfig#defaults()}. */
class TrainDefaultsTest {
  @Test
  void trainWithoutFlagsUsesTheDefaults() {
    TrainCommand train = new TrainCommand();
    new CommandLine(train).parseArgs("--data", "d.txt", "--out", "o");
    assertEquals(TrainConfig.defaults(), train.trainConfig());
  }

  @Test
  void aFlagChangesItsSettingOnly() {
    TrainCommand train = new TrainCommand();
    new CommandLine(train).parseArgs("--data", "d.txt", "--out", "o", "--steps", "5", "--lr", "2e-3");
    assertEquals(TrainConfig.defaults().withSteps(5).withLearningRates(2e-3, TrainConfig.DEFAULT_MIN_LEARNING_RATE), train.trainConfig());
  }
}

package dev.anyorder.cli;

import dev.anyorder.options.SamplingOptions;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.anyorder.sampling.SamplerConfig;
import dev.anyorder.sampling.SamplerKind;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command line samples with the library's defaults (the HTTP API's too; see RequestParserDefaultsTest). */
class SamplingDefaultsTest {
  static SamplerConfig parse(String... args) {
    SamplingOptions options = new SamplingOptions();
    new CommandLine(options).parseArgs(args);
    return options.toConfig(1);
  }

  @Test
  void noFlagsMeansTheLibraryDefaults() {
    assertEquals(SamplerConfig.defaults(), parse());
    assertEquals(SamplerConfig.DEFAULT_KIND, parse().kind());
    for (SamplerKind kind : SamplerKind.values()) {
      assertEquals(SamplerConfig.defaults(kind), parse("--sampler", kind.label()), kind.label());
    }
  }

  @Test
  void givenFlagsOverrideOnlyThemselves() {
    assertEquals(SamplerConfig.defaults(SamplerKind.ADAPTIVE).withK(3).withSeed(7), parse("--sampler", "adaptive", "--k", "3", "--seed", "7"));
    assertEquals(SamplerConfig.defaults().withAdaptiveK(false).withBonus(false).withK(5),
        parse("--fixed-k", "--no-bonus", "--k", "5"));
  }
}

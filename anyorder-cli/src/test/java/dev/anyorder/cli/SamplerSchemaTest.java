package dev.anyorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.anyorder.options.SamplingOptions;
import dev.anyorder.sampling.SamplerConfigJson;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line's sampler flags set exactly the fields of the one sampler schema, {@link SamplerConfigJson}:
 * a flag for a field the schema lacks, or a schema field no flag sets, fails here. (The HTTP parser, the
 * response and the page are checked against the same schema by the server's PageSchemaTest.)
 */
class SamplerSchemaTest {
  @Test
  void everySamplingFlagSetsASchemaField() {
    Set<String> flags = CommandSpec.forAnnotatedObject(new SamplingOptions()).options().stream().map(OptionSpec::longestName)
        .collect(Collectors.toCollection(TreeSet::new));
    assertEquals(new TreeSet<>(SamplingOptions.FIELD_OF_FLAG.keySet()), flags, "SamplingOptions.FIELD_OF_FLAG lists every flag");
    Set<String> unknown = new TreeSet<>(SamplingOptions.FIELD_OF_FLAG.values());
    unknown.removeAll(SamplerConfigJson.FIELDS);
    assertTrue(unknown.isEmpty(), "flags set fields the schema does not have: " + unknown);
  }

  @Test
  void everySchemaFieldHasAFlag() {
    Set<String> covered = new HashSet<>(SamplingOptions.FIELD_OF_FLAG.values());
    covered.add(SamplerConfigJson.NUM_SAMPLES);
    assertEquals(SamplerConfigJson.FIELDS, covered);
    // num_samples is each sampling command's own flag.
    assertTrue(new CommandLine(new SampleCommand()).getCommandSpec().findOption(SamplingOptions.NUM_SAMPLES_FLAG) != null);
  }
}

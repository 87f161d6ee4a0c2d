package dev.anyorder.cli;

import dev.anyorder.evaluation.BenchReport;
import dev.anyorder.evaluation.RecipeSearchReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code anyorder bench recipes}: one report of a recipe search from the demo or benchmark runs it made. */
@Command(name = "recipes", mixinStandardHelpOptions = true,
    description = "Collect the runs of a recipe search (demo or bench maze|sudoku output directories) into one report: "
        + "settings, validation curves, results per sampler and the chosen run.")
final class BenchRecipesCommand implements Callable<Integer> {
  @Parameters(arity = "1..*", paramLabel = "RUN", description = "Output directories of the runs, each with a report.json.")
  List<Path> runs;

  @Option(names = "--chosen", description = "The run the recipe adopted, and why.") String chosen;

  @Option(names = "--out", required = true, description = "Directory of the combined report.") Path out;

  @Override
  public Integer call() throws Exception {
    Files.createDirectories(out);
    RecipeSearchReport.write(runs, chosen, "anyorder bench recipes " + String.join(" ", runs.stream().map(Path::toString).toList()), out);
    System.out.println("report: " + out.resolve(BenchReport.MARKDOWN_FILE));
    return 0;
  }
}

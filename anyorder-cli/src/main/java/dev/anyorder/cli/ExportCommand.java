package dev.anyorder.cli;

import dev.anyorder.interop.SigmaGptExporter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code anyorder export}: writes a model directory as safetensors and a JSON config in the layout of the
 * published σ-GPT text code (Pannatier, Courdier, Fleuret, 2024), for PyTorch users.
 */
@Command(name = "export", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Export a model as safetensors + JSON config loadable by the published σ-GPT PyTorch code.")
final class ExportCommand implements Callable<Integer> {
  @Option(names = "--model", required = true, description = "Model directory.")
  Path model;

  @Option(names = "--out", required = true, description = "New directory to write (must not exist or be empty).")
  Path out;

  @Override
  public Integer call() {
    SigmaGptExporter.export(model, out);
    System.out.printf("exported %s to %s (%s, %s)%n", model, out, SigmaGptExporter.WEIGHTS_FILE, SigmaGptExporter.CONFIG_FILE);
    return 0;
  }
}

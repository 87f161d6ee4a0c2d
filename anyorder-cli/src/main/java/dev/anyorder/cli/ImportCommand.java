package dev.anyorder.cli;

import dev.anyorder.interop.SigmaGptImporter;
import dev.anyorder.io.SavedModel;
import dev.anyorder.model.ModelConfig;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code anyorder import}: converts models trained elsewhere into AnyOrder model directories. Its one
 * subcommand, {@code sigma-gpt}, reads a model of the published σ-GPT text code (Pannatier, Courdier,
 * Fleuret, 2024).
 */
@Command(name = "import", mixinStandardHelpOptions = true,
    description = "Convert a model trained elsewhere into an AnyOrder model directory.",
    subcommands = ImportCommand.SigmaGpt.class)
final class ImportCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** {@code anyorder import sigma-gpt}: the published σ-GPT code's safetensors weights and model_args JSON. */
  @Command(name = "sigma-gpt", mixinStandardHelpOptions = true, sortOptions = false,
      description = "Import a model of the published σ-GPT text code (nanoGPT layout; no start slot).")
  static final class SigmaGpt implements Callable<Integer> {
    @Option(names = "--weights", required = true, description = "The state dict as safetensors (F32, F16 or BF16).")
    Path weights;

    @Option(names = "--config", required = true,
        description = "JSON with the model_args (n_layer, n_head, n_embd, block_size, bias, vocab_size, dropout), optionally itos.")
    Path config;

    @Option(names = "--out", required = true, description = "New model directory (must not exist or be empty).")
    Path out;

    @Override
    public Integer call() {
      SavedModel model = SigmaGptImporter.importModel(weights, config, out);
      ModelConfig c = model.config();
      System.out.printf("imported %d layers, %d heads, width %d, block %d, %d tokens (%s), bias %s, no start slot; saved to %s%n",
          c.layers(), c.heads(), c.dim(), c.maxLength(), c.vocabSize(), model.vocabulary(), c.bias(), out);
      return 0;
    }
  }
}

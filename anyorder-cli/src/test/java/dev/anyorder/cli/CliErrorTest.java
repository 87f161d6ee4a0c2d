package dev.anyorder.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Bad input ends in one clear line on stderr and a non-zero exit, never a stack trace (unless --verbose). */
class CliErrorTest {
  @TempDir Path tmp;

  record Outcome(int code, String err) {}

  static Outcome run(String... args) {
    CommandLine cl = AnyOrderCli.commandLine();
    StringWriter err = new StringWriter();
    cl.setErr(new PrintWriter(err));
    cl.setOut(new PrintWriter(new StringWriter()));
    int code = cl.execute(args);
    return new Outcome(code, err.toString());
  }

  static void assertOneLine(Outcome o, String expected) {
    assertTrue(o.code() != 0, "exit code must be non-zero");
    assertTrue(o.err().contains(expected), "stderr should mention '" + expected + "' but was: " + o.err());
    assertFalse(o.err().contains("\tat "), "no stack trace without --verbose: " + o.err());
    assertEquals(1, o.err().strip().lines().count(), "one line: " + o.err());
  }

  @Test
  void missingModelDirectory() {
    assertOneLine(run("sample", "--model", tmp.resolve("absent").toString()), "does not exist");
    assertOneLine(run("info", "--model", tmp.resolve("absent").toString()), "does not exist");
  }

  /** A bad option value is a usage error: its first line names it, the usage follows, as picocli does for every option. */
  @Test
  void unknownWeightFormatNamesTheChoices() {
    for (String command : new String[] {"sample", "score", "serve"}) {
      Outcome o = run(command, "--model", tmp.toString(), "--weights", "fp8");
      assertTrue(o.code() != 0, command);
      assertEquals("Invalid value for option '--weights': --weights must be float32 or bfloat16, got 'fp8'",
          o.err().lines().findFirst().orElse(""), command);
      assertFalse(o.err().contains("\tat "), "no stack trace: " + o.err());
    }
  }

  @Test
  void malformedTokenFileNamesTheLine() throws Exception {
    Path data = tmp.resolve("ids.txt");
    Files.writeString(data, "1 2 3\n4 5 x\n");
    assertOneLine(run("train", "--data", data.toString(), "--format", "tokens", "--out", tmp.resolve("m").toString()), "line 2");
    assertFalse(Files.exists(tmp.resolve("m").resolve("config.json")));
  }

  @Test
  void invalidHyperParametersAreNamed() throws Exception {
    Path data = tmp.resolve("t.txt");
    Files.writeString(data, "hello world, hello world, hello world\n".repeat(20));
    assertOneLine(run("train", "--data", data.toString(), "--out", tmp.resolve("m").toString(), "--heads", "3", "--dim", "32",
        "--block", "8"), "divisible by heads");
    assertOneLine(run("train", "--data", data.toString(), "--out", tmp.resolve("m").toString(), "--order", "sideways", "--block", "8"),
        "unknown order 'sideways'");
  }

  @Test
  void verbosePrintsTheStackTrace() {
    Outcome o = run("info", "--model", tmp.resolve("absent").toString(), "--verbose");
    assertTrue(o.code() != 0);
    assertTrue(o.err().contains("\tat "), o.err());
  }

  @Test
  void everyCommandHasHelp() {
    for (String command : new String[] {"train", "sample", "score", "logits", "info", "bench"}) {
      CommandLine cl = AnyOrderCli.commandLine();
      StringWriter out = new StringWriter();
      cl.setOut(new PrintWriter(out));
      assertEquals(0, cl.execute(command, "--help"), command);
      assertTrue(out.toString().contains("Usage"), command + ": " + out);
    }
  }
}

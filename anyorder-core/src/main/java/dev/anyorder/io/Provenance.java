package dev.anyorder.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Where and with what a model was made, recorded in its {@code config.json} ({@code training.provenance})
 * so that a result can be traced to the code and machine behind it: the AnyOrder version and commit, the
 * JVM, the operating system and CPU model, and the engine settings of the run (backend, weight format,
 * threads). Every field is optional when read, so models written before it existed still load; what is
 * not known is {@value #UNKNOWN} (threads: 0).
 *
 * @param version AnyOrder's version, from the build
 * @param commit the git commit of the code, when it runs from a git work tree
 * @param jvm Java vendor, runtime name and version
 * @param os operating system name, version and architecture
 * @param cpu the CPU model
 * @param backend the engine that computed the model, such as {@code djl}
 * @param weightFormat the precision of the weight matrices, such as {@code float32}
 * @param threads engine threads (0: not known)
 */
public record Provenance(String version, String commit, String jvm, String os, String cpu, String backend, String weightFormat,
    int threads) {
  /** What a field holds when it is not known. */
  public static final String UNKNOWN = "unknown";

  private static final Set<String> FIELDS = Set.of("version", "commit", "jvm", "os", "cpu", "backend", "weightFormat", "threads");
  private static final int MAX_TEXT = 256;

  public Provenance {
    version = orUnknown(version);
    commit = orUnknown(commit);
    jvm = orUnknown(jvm);
    os = orUnknown(os);
    cpu = orUnknown(cpu);
    backend = orUnknown(backend);
    weightFormat = orUnknown(weightFormat);
    if (threads < 0) {
      throw new IllegalArgumentException("provenance threads must be >= 0 (0: not known), got " + threads);
    }
  }

  /** This process: its build's version and commit, JVM, OS and CPU, with the given engine settings. */
  public static Provenance current(String backend, String weightFormat, int threads) {
    return new Provenance(Machine.VERSION, Machine.COMMIT, System.getProperty("java.vendor") + " " + System.getProperty("java.runtime.name")
        + " " + System.getProperty("java.runtime.version"), System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
        + System.getProperty("os.arch"), Machine.CPU, backend, weightFormat, threads);
  }

  /** The object {@link #fromJson} reads. */
  public ObjectNode toJson() {
    return JsonNodeFactory.instance.objectNode().put("version", version).put("commit", commit).put("jvm", jvm).put("os", os)
        .put("cpu", cpu).put("backend", backend).put("weightFormat", weightFormat).put("threads", threads);
  }

  /**
   * Reads a provenance object strictly: unknown fields and wrong types are refused, naming the field, and
   * absent fields are {@value #UNKNOWN}.
   *
   * @param name the object's qualified name in errors, such as {@code training.provenance}
   * @throws InvalidFieldException naming the field at fault
   */
  public static Provenance fromJson(JsonNode json, String name) {
    JsonFields f = JsonFields.of(json, name).allowOnly(FIELDS);
    Integer threads = f.optionalInt("threads", 0, Integer.MAX_VALUE);
    return new Provenance(f.optionalString("version", MAX_TEXT), f.optionalString("commit", MAX_TEXT), f.optionalString("jvm", MAX_TEXT),
        f.optionalString("os", MAX_TEXT), f.optionalString("cpu", MAX_TEXT), f.optionalString("backend", MAX_TEXT),
        f.optionalString("weightFormat", MAX_TEXT), threads == null ? 0 : threads);
  }

  /** One line for people: {@code anyorder 0.1.0 (commit abc123) on ...}. */
  public String describe() {
    return "anyorder " + version + " (commit " + commit + "), " + jvm + ", " + os + ", CPU " + cpu + "; " + backend + ", "
        + weightFormat + ", " + (threads == 0 ? UNKNOWN : threads) + " thread(s)";
  }

  /** What does not change while the process runs, looked up once (the commit takes a git process). */
  private static final class Machine {
    static final String VERSION = buildVersion();
    static final String COMMIT = gitCommit();
    static final String CPU = cpuModel();
  }

  /** AnyOrder's version as the build recorded it in {@code build.properties}, or {@value #UNKNOWN}. */
  static String buildVersion() {
    try (InputStream in = Provenance.class.getResourceAsStream("/dev/anyorder/build.properties")) {
      if (in == null) {
        return UNKNOWN;
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version");
      // An unfiltered file (classes built outside Maven) still holds the placeholder.
      return v == null || v.isBlank() || v.contains("${") ? UNKNOWN : v.trim();
    } catch (IOException e) {
      return UNKNOWN;
    }
  }

  /**
   * The commit of the git work tree the code was loaded from (its classes directory or jar lies inside
   * it), by {@code git rev-parse HEAD}; {@value #UNKNOWN} without git, outside a work tree, or after 5 s.
   */
  static String gitCommit() {
    try {
      Path code = Path.of(Provenance.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      Path dir = Files.isDirectory(code) ? code : code.getParent();
      Process git = new ProcessBuilder("git", "-C", dir.toString(), "rev-parse", "HEAD").redirectErrorStream(true).start();
      if (!git.waitFor(5, TimeUnit.SECONDS)) {
        git.destroyForcibly();
        return UNKNOWN;
      }
      String out = new String(git.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
      return git.exitValue() == 0 && out.matches("[0-9a-f]{40}") ? out : UNKNOWN;
    } catch (IOException | RuntimeException | java.net.URISyntaxException e) {
      return UNKNOWN;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return UNKNOWN;
    }
  }

  /** The CPU's model name: {@code /proc/cpuinfo} on Linux, the environment on Windows, else {@value #UNKNOWN}. */
  static String cpuModel() {
    Path cpuinfo = Path.of("/proc/cpuinfo");
    try {
      if (Files.isReadable(cpuinfo)) {
        for (String line : Files.readAllLines(cpuinfo, StandardCharsets.UTF_8)) {
          String l = line.toLowerCase(Locale.ROOT);
          if (l.startsWith("model name") || l.startsWith("hardware") || l.startsWith("cpu model")) {
            int colon = line.indexOf(':');
            if (colon >= 0 && !line.substring(colon + 1).isBlank()) {
              return line.substring(colon + 1).trim();
            }
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // Fall through to the next source.
    }
    return Objects.requireNonNullElse(System.getenv("PROCESSOR_IDENTIFIER"), UNKNOWN);
  }

  private static String orUnknown(String s) {
    return s == null || s.isBlank() ? UNKNOWN : s;
  }
}

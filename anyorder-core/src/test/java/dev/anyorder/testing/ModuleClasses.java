package dev.anyorder.testing;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The main classes of the module whose tests are running, and the packages each module owns, for the ArchUnit
 * rules of every module's {@code *BoundaryTest}: a module's classes may use only what its Maven dependencies
 * are meant to give it, which the compiler alone does not check (a transitive dependency compiles too).
 */
public final class ModuleClasses {
  /** What every module may use: the JDK (with the incubating Vector API), Jackson and the SLF4J API. */
  public static final String[] LIBRARIES = {"java..", "javax..", "jdk.incubator.vector..", "com.fasterxml.jackson..", "org.slf4j.."};
  /** The packages of anyorder-core (dev.anyorder.model without its sub-package model.djl). */
  public static final String[] CORE = {"dev.anyorder.api..", "dev.anyorder.data..", "dev.anyorder.density..", "dev.anyorder.io..",
      "dev.anyorder.model", "dev.anyorder.model.java..", "dev.anyorder.orders..", "dev.anyorder.sampling..", "dev.anyorder.tasks.."};
  /** The packages of anyorder-djl. */
  public static final String[] DJL = {"dev.anyorder.model.djl..", "dev.anyorder.training..", "dev.anyorder.interop.."};
  /** The packages of anyorder-bench. */
  public static final String[] BENCH = {"dev.anyorder.evaluation..", "dev.anyorder.options.."};

  private ModuleClasses() {}

  /** The classes compiled from this module's {@code src/main/java}; Surefire runs the tests in the module's directory. */
  public static JavaClasses ofThisModule() {
    Path classes = Path.of("target", "classes");
    JavaClasses imported = new ClassFileImporter().importPath(classes);
    if (imported.isEmpty()) {
      throw new IllegalStateException("no classes under " + classes.toAbsolutePath() + ": the rules would check nothing");
    }
    return imported;
  }

  /** The package patterns of all {@code groups}, plus {@code more}. */
  public static String[] packages(String[][] groups, String... more) {
    return Stream.concat(Arrays.stream(groups).flatMap(Arrays::stream), Arrays.stream(more)).toArray(String[]::new);
  }
}

package dev.anyorder;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.anyorder.testing.ModuleClasses.CORE;
import static dev.anyorder.testing.ModuleClasses.DJL;
import static dev.anyorder.testing.ModuleClasses.LIBRARIES;
import static dev.anyorder.testing.ModuleClasses.packages;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.anyorder.testing.ModuleClasses;
import org.junit.jupiter.api.Test;

/**
 * The boundary of anyorder-spark: the jobs ({@code dev.anyorder.spark}) use the core and Spark only, no engine
 * and no picocli, so they run on whatever engine an executor's class path holds; the command line
 * ({@code spark.cli}) adds picocli and the option mixins it shares with {@code ./anyorder}, and nothing of the
 * benchmarks, the server or the main command line.
 */
class SparkBoundaryTest {
  static final JavaClasses CLASSES = ModuleClasses.ofThisModule();

  @Test
  void jobsUseOnlyTheCoreAndSpark() {
    classes().that().resideInAPackage("dev.anyorder.spark").should().onlyDependOnClassesThat()
        .resideInAnyPackage(packages(new String[][] {LIBRARIES, CORE}, "dev.anyorder.spark", "org.apache.spark..", "scala.."))
        .check(CLASSES);
  }

  @Test
  void commandLineAddsOnlyPicocliAndTheSharedOptions() {
    classes().that().resideInAPackage("dev.anyorder.spark.cli..").should().onlyDependOnClassesThat()
        .resideInAnyPackage(packages(new String[][] {LIBRARIES, CORE}, "dev.anyorder.spark..", "dev.anyorder.options..", "picocli..",
            "org.apache.spark..", "scala.."))
        .check(CLASSES);
  }

  @Test
  void reachesNoEngineDirectly() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage(packages(new String[][] {DJL}, "ai.djl..")).check(CLASSES);
  }

  @Test
  void holdsOnlyTheSparkPackages() {
    classes().should().resideInAPackage("dev.anyorder.spark..").check(CLASSES);
  }
}

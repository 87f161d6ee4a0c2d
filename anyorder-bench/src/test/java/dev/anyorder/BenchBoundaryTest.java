package dev.anyorder;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.anyorder.testing.ModuleClasses.BENCH;
import static dev.anyorder.testing.ModuleClasses.CORE;
import static dev.anyorder.testing.ModuleClasses.DJL;
import static dev.anyorder.testing.ModuleClasses.LIBRARIES;
import static dev.anyorder.testing.ModuleClasses.packages;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.anyorder.testing.ModuleClasses;
import org.junit.jupiter.api.Test;

/**
 * The boundary of anyorder-bench: the core, the DJL module (the benchmarks train), picocli, progressbar and
 * XChart, nothing of the server or the command lines. The picocli mixins stand apart from the benchmarks,
 * since the Spark command line uses them too, and neither package touches DJL but through anyorder-djl.
 */
class BenchBoundaryTest {
  static final JavaClasses CLASSES = ModuleClasses.ofThisModule();

  @Test
  void usesOnlyTheCoreTheDjlModuleAndTheCommandLineLibraries() {
    classes().should().onlyDependOnClassesThat().resideInAnyPackage(packages(new String[][] {LIBRARIES, CORE, DJL, BENCH},
        "picocli..", "me.tongfei.progressbar..", "org.knowm.xchart..")).check(CLASSES);
  }

  @Test
  void addsNothingToOtherModulesPackages() {
    classes().should().resideInAnyPackage(BENCH).check(CLASSES);
  }

  @Test
  void optionsKnowNothingOfTheBenchmarks() {
    noClasses().that().resideInAPackage("dev.anyorder.options..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.anyorder.evaluation..", "me.tongfei.progressbar..", "org.knowm.xchart..").check(CLASSES);
  }

  @Test
  void reachesDjlOnlyThroughItsModule() {
    noClasses().should().dependOnClassesThat().resideInAPackage("ai.djl..").check(CLASSES);
  }
}

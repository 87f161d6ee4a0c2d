package dev.anyorder;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static dev.anyorder.testing.ModuleClasses.CORE;
import static dev.anyorder.testing.ModuleClasses.LIBRARIES;
import static dev.anyorder.testing.ModuleClasses.packages;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.anyorder.testing.ModuleClasses;
import org.junit.jupiter.api.Test;

/**
 * The boundary of anyorder-core: the JDK, Jackson and the SLF4J API, and nothing of the modules around it
 * (no DJL, no training, no benchmarks, no picocli, no server): a Java user can load and sample with it alone.
 */
class CoreBoundaryTest {
  static final JavaClasses CLASSES = ModuleClasses.ofThisModule();

  @Test
  void usesOnlyTheJdkJacksonAndSlf4jApi() {
    classes().should().onlyDependOnClassesThat().resideInAnyPackage(packages(new String[][] {LIBRARIES, CORE})).check(CLASSES);
  }

  @Test
  void holdsOnlyTheCorePackages() {
    classes().should().resideInAnyPackage(CORE).check(CLASSES);
  }
}

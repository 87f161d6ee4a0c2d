package dev.anyorder;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static dev.anyorder.testing.ModuleClasses.CORE;
import static dev.anyorder.testing.ModuleClasses.LIBRARIES;
import static dev.anyorder.testing.ModuleClasses.packages;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.anyorder.testing.ModuleClasses;
import org.junit.jupiter.api.Test;

/**
 * The boundary of anyorder-server: the core and Javalin (with the Jetty and servlet types it exposes), no
 * engine, no picocli, no benchmarks. It serves whatever engines the application puts beside it.
 */
class ServerBoundaryTest {
  static final JavaClasses CLASSES = ModuleClasses.ofThisModule();

  @Test
  void usesOnlyTheCoreAndJavalin() {
    classes().should().onlyDependOnClassesThat().resideInAnyPackage(packages(new String[][] {LIBRARIES, CORE},
        "dev.anyorder.server..", "io.javalin..", "org.eclipse.jetty..", "jakarta.servlet..")).check(CLASSES);
  }

  @Test
  void holdsOnlyTheServerPackage() {
    classes().should().resideInAPackage("dev.anyorder.server..").check(CLASSES);
  }
}

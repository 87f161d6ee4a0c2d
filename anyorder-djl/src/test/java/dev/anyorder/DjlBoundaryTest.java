package dev.anyorder;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static dev.anyorder.testing.ModuleClasses.CORE;
import static dev.anyorder.testing.ModuleClasses.DJL;
import static dev.anyorder.testing.ModuleClasses.LIBRARIES;
import static dev.anyorder.testing.ModuleClasses.packages;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.anyorder.model.NetworkEngine;
import dev.anyorder.model.djl.PyTorchEngine;
import dev.anyorder.testing.ModuleClasses;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The boundary of anyorder-djl: the core and DJL, nothing of the benchmarks, command lines or server; DJL
 * stays inside this module's packages; and the engine is registered where the core looks for it.
 */
class DjlBoundaryTest {
  static final JavaClasses CLASSES = ModuleClasses.ofThisModule();

  @Test
  void usesOnlyTheCoreAndDjl() {
    classes().should().onlyDependOnClassesThat().resideInAnyPackage(packages(new String[][] {LIBRARIES, CORE, DJL}, "ai.djl.."))
        .check(CLASSES);
  }

  @Test
  void addsNothingToTheCorePackages() {
    classes().should().resideInAnyPackage(DJL).check(CLASSES);
  }

  /** Training builds on the engine through model.djl; the import and export of interop read files only. */
  @Test
  void interopIsPureJavaButTheTokenizerBinding() {
    noClasses().that().resideInAPackage("dev.anyorder.interop..").and().doNotHaveSimpleName("HuggingFaceSubwordCodec")
        .and().doNotHaveFullyQualifiedName("dev.anyorder.interop.HuggingFaceSubwordCodec$Provider")
        .should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "dev.anyorder.model.djl..").check(CLASSES);
  }

  @Test
  void theCoreFindsThePyTorchEngine() {
    assertEquals(List.of(PyTorchEngine.class), NetworkEngine.installed().stream().map(Object::getClass).toList());
    assertEquals(PyTorchEngine.NAME, NetworkEngine.named("djl").orElseThrow().name());
  }
}

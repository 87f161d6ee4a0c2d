package dev.anyorder.io;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The io and data layers must stay readable by a pure-Java runtime: no DJL, no native engine. */
class PureJavaDependencyTest {
  @Test
  void ioAndDataDoNotDependOnDjl() {
    var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.anyorder.io", "dev.anyorder.data");
    noClasses().that().resideInAnyPackage("dev.anyorder.io..", "dev.anyorder.data..")
        .should().dependOnClassesThat().resideInAnyPackage("ai.djl..")
        .check(classes);
  }
}

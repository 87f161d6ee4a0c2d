package dev.anyorder;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import dev.anyorder.testing.ModuleClasses;
import org.junit.jupiter.api.Test;

/**
 * The boundary of anyorder-cli, the application: it may use every module but Spark, which runs on its own class
 * path ({@code ./anyorder spark}) so that the main command line does not carry Spark.
 */
class CliBoundaryTest {
  static final JavaClasses CLASSES = ModuleClasses.ofThisModule();

  @Test
  void carriesNoSpark() {
    noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.anyorder.spark..", "org.apache.spark..", "scala..")
        .check(CLASSES);
  }

  @Test
  void holdsOnlyTheCliPackage() {
    classes().should().resideInAPackage("dev.anyorder.cli..").check(CLASSES);
  }
}

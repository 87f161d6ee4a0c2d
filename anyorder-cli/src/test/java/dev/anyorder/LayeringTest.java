package dev.anyorder;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.anyorder.model.PositionGrid;
import org.junit.jupiter.api.Test;

/** Dependencies point inward: the model and the samplers know nothing of the interfaces around them. */
class LayeringTest {
  // Sits in the CLI module, whose class path holds every module; the core's test fixtures come as a test jar.
  static final JavaClasses CLASSES = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(location -> !location.contains("-tests.jar"))
      .importPackages("dev.anyorder");

  @Test
  void seesEveryModule() {
    for (String name : new String[] {"dev.anyorder.model.Network", "dev.anyorder.server.ModelServer", "dev.anyorder.cli.AnyOrderCli"}) {
      org.junit.jupiter.api.Assertions.assertTrue(CLASSES.contain(name), name + " is not imported, so the rules would not check it");
    }
  }

  @Test
  void modelDependsOnNothingOutside() {
    noClasses().that().resideInAPackage("dev.anyorder.model..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.anyorder.sampling..", "dev.anyorder.density..", "dev.anyorder.training..", "dev.anyorder.cli..",
            "dev.anyorder.server..", "dev.anyorder.api..", "dev.anyorder.io..", "dev.anyorder.data..", "dev.anyorder.tasks..",
            "dev.anyorder.evaluation..")
        .check(CLASSES);
  }

  @Test
  void samplersAreEngineNeutral() {
    noClasses().that().resideInAnyPackage("dev.anyorder.sampling..", "dev.anyorder.density..").should().dependOnClassesThat()
        .resideInAnyPackage("ai.djl..", "dev.anyorder.model.djl..", "dev.anyorder.cli..", "dev.anyorder.server..", "dev.anyorder.api..",
            "dev.anyorder.training..")
        .check(CLASSES);
  }

  @Test
  void javaRuntimeIsPureJava() {
    noClasses().that().resideInAPackage("dev.anyorder.model.java..").should().dependOnClassesThat()
        .resideInAnyPackage("ai.djl..", "dev.anyorder.model.djl..")
        .check(CLASSES);
  }

  @Test
  void coreNeverDependsOnInterfaces() {
    noClasses().that().resideOutsideOfPackages("dev.anyorder.cli..", "dev.anyorder.server..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.anyorder.cli..", "dev.anyorder.server..")
        .check(CLASSES);
  }

  /** Tasks know nothing of training, sampling or the network; they may name their positions' coordinates, a model value type. */
  @Test
  void tasksStandAlone() {
    noClasses().that().resideInAPackage("dev.anyorder.tasks..").should().dependOnClassesThat(
        JavaClass.Predicates.resideInAnyPackage("dev.anyorder.training..", "dev.anyorder.sampling..", "dev.anyorder.model..",
            "dev.anyorder.cli..").and(DescribedPredicate.not(JavaClass.Predicates.equivalentTo(PositionGrid.class))))
        .check(CLASSES);
  }

  /**
   * The server knows tasks only through the {@code Task} interface and what it returns (its board, its
   * record), so a new task touches its own package and the factory's registry, never the server.
   */
  @Test
  void serverKnowsNoTaskByType() {
    noClasses().that().resideInAPackage("dev.anyorder.server..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.anyorder.tasks.maze..", "dev.anyorder.tasks.sudoku..", "dev.anyorder.tasks.images..")
        .check(CLASSES);
  }
}

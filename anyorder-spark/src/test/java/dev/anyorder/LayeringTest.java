package dev.anyorder;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.anyorder.model.PositionGrid;
import org.junit.jupiter.api.Test;

/**
 * Dependencies point inward: the model and the samplers know nothing of the interfaces around them, and every
 * package of every module has its place ({@link #everyPackageHasItsPlace}). The module boundaries themselves
 * are each module's {@code *BoundaryTest}.
 */
class LayeringTest {
  // Sits in the Spark module, whose test class path holds every module (the CLI, and through it the server, come
  // in as test dependencies); the shared test fixtures come as test jars.
  static final JavaClasses CLASSES = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .withImportOption(location -> !location.contains("-tests.jar"))
      .importPackages("dev.anyorder");

  @Test
  void seesEveryModule() {
    for (String name : new String[] {"dev.anyorder.model.Network", "dev.anyorder.model.djl.PyTorchEngine",
        "dev.anyorder.evaluation.BenchReport", "dev.anyorder.options.SamplingOptions", "dev.anyorder.server.ModelServer",
        "dev.anyorder.cli.AnyOrderCli", "dev.anyorder.spark.AnyOrderSpark", "dev.anyorder.spark.cli.SparkCli"}) {
      org.junit.jupiter.api.Assertions.assertTrue(CLASSES.contain(name), name + " is not imported, so the rules would not check it");
    }
  }

  /** Each package may be used by the packages listed here and no others; the model, used by all, uses none. */
  @Test
  void everyPackageHasItsPlace() {
    layeredArchitecture().consideringOnlyDependenciesInLayers()
        .layer("model").definedBy("dev.anyorder.model")
        .layer("model.java").definedBy("dev.anyorder.model.java..")
        .layer("model.djl").definedBy("dev.anyorder.model.djl..")
        .layer("orders").definedBy("dev.anyorder.orders..")
        .layer("data").definedBy("dev.anyorder.data..")
        .layer("io").definedBy("dev.anyorder.io..")
        .layer("sampling").definedBy("dev.anyorder.sampling..")
        .layer("density").definedBy("dev.anyorder.density..")
        .layer("tasks").definedBy("dev.anyorder.tasks..")
        .layer("api").definedBy("dev.anyorder.api..")
        .layer("training").definedBy("dev.anyorder.training..")
        .layer("interop").definedBy("dev.anyorder.interop..")
        .layer("evaluation").definedBy("dev.anyorder.evaluation..")
        .layer("options").definedBy("dev.anyorder.options..")
        .layer("server").definedBy("dev.anyorder.server..")
        .layer("cli").definedBy("dev.anyorder.cli..")
        .layer("spark").definedBy("dev.anyorder.spark..")
        .whereLayer("cli").mayNotBeAccessedByAnyLayer()
        .whereLayer("spark").mayNotBeAccessedByAnyLayer()
        .whereLayer("server").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("evaluation").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("interop").mayOnlyBeAccessedByLayers("cli")
        .whereLayer("options").mayOnlyBeAccessedByLayers("cli", "spark")
        .whereLayer("training").mayOnlyBeAccessedByLayers("evaluation", "cli")
        .whereLayer("model.djl").mayOnlyBeAccessedByLayers("training", "cli")
        .whereLayer("model.java").mayOnlyBeAccessedByLayers("api", "training")
        .whereLayer("api").mayOnlyBeAccessedByLayers("evaluation", "options", "server", "cli", "spark")
        .whereLayer("tasks").mayOnlyBeAccessedByLayers("evaluation", "server", "cli")
        .whereLayer("density").mayOnlyBeAccessedByLayers("api", "evaluation", "server", "cli", "spark")
        .whereLayer("sampling").mayOnlyBeAccessedByLayers("density", "api", "training", "evaluation", "options", "server", "cli",
            "spark")
        .whereLayer("orders").mayOnlyBeAccessedByLayers("sampling", "density", "api", "training", "evaluation", "options", "server",
            "cli", "spark")
        .whereLayer("io").mayOnlyBeAccessedByLayers("sampling", "tasks", "api", "training", "interop", "evaluation", "server", "cli",
            "spark")
        .whereLayer("data").mayOnlyBeAccessedByLayers("io", "api", "training", "interop", "evaluation", "server", "cli", "spark")
        .check(CLASSES);
  }

  @Test
  void modelDependsOnNothingOutside() {
    noClasses().that().resideInAPackage("dev.anyorder.model..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.anyorder.sampling..", "dev.anyorder.density..", "dev.anyorder.training..", "dev.anyorder.cli..",
            "dev.anyorder.server..", "dev.anyorder.api..", "dev.anyorder.io..", "dev.anyorder.data..", "dev.anyorder.tasks..",
            "dev.anyorder.evaluation..", "dev.anyorder.orders..", "dev.anyorder.interop..", "dev.anyorder.options..",
            "dev.anyorder.spark..")
        .check(CLASSES);
  }

  @Test
  void samplersAreEngineNeutral() {
    noClasses().that().resideInAnyPackage("dev.anyorder.sampling..", "dev.anyorder.density..").should().dependOnClassesThat()
        .resideInAnyPackage("ai.djl..", "dev.anyorder.model.djl..", "dev.anyorder.cli..", "dev.anyorder.server..", "dev.anyorder.api..",
            "dev.anyorder.training..", "dev.anyorder.interop..", "dev.anyorder.evaluation..", "dev.anyorder.options..",
            "dev.anyorder.spark..")
        .check(CLASSES);
  }

  @Test
  void javaRuntimeIsPureJava() {
    noClasses().that().resideInAPackage("dev.anyorder.model.java..").should().dependOnClassesThat()
        .resideInAnyPackage("ai.djl..", "dev.anyorder.model.djl..")
        .check(CLASSES);
  }

  /** Orders are permutations and schedules of them: no other package of the project. */
  @Test
  void ordersStandAlone() {
    noClasses().that().resideInAPackage("dev.anyorder.orders..").should().dependOnClassesThat()
        .resideOutsideOfPackages("dev.anyorder.orders..", "java..")
        .check(CLASSES);
  }

  /** Import and export read and write files of the published σ-GPT code; the tokenizer binding is the one use of DJL. */
  @Test
  void interopConvertsFilesOnly() {
    noClasses().that().resideInAPackage("dev.anyorder.interop..").should().dependOnClassesThat()
        .resideInAnyPackage("dev.anyorder.sampling..", "dev.anyorder.density..", "dev.anyorder.training..", "dev.anyorder.api..",
            "dev.anyorder.model.djl..", "dev.anyorder.tasks..", "dev.anyorder.evaluation..", "dev.anyorder.options..")
        .check(CLASSES);
  }

  /** The picocli mixins turn flags into the core's settings and load models through the API, nothing more. */
  @Test
  void optionsAreFlagsOnly() {
    noClasses().that().resideInAPackage("dev.anyorder.options..").should().dependOnClassesThat()
        .resideInAnyPackage("ai.djl..", "dev.anyorder.model.djl..", "dev.anyorder.training..", "dev.anyorder.interop..",
            "dev.anyorder.evaluation..", "dev.anyorder.tasks..")
        .check(CLASSES);
  }

  /** The Spark jobs go through the API, the samplers and the scorer; only their command line knows picocli. */
  @Test
  void sparkJobsUseTheApi() {
    noClasses().that().resideInAPackage("dev.anyorder.spark").should().dependOnClassesThat()
        .resideInAnyPackage("picocli..", "dev.anyorder.options..", "dev.anyorder.model.djl..", "dev.anyorder.model.java..",
            "dev.anyorder.training..")
        .check(CLASSES);
  }

  @Test
  void coreNeverDependsOnInterfaces() {
    noClasses().that().resideOutsideOfPackages("dev.anyorder.cli..", "dev.anyorder.server..", "dev.anyorder.spark..").should()
        .dependOnClassesThat().resideInAnyPackage("dev.anyorder.cli..", "dev.anyorder.server..", "dev.anyorder.spark..")
        .check(CLASSES);
  }

  /** Tasks know nothing of training, sampling or the network; they may name their positions' coordinates, a model value type. */
  @Test
  void tasksStandAlone() {
    noClasses().that().resideInAPackage("dev.anyorder.tasks..").should().dependOnClassesThat(
        JavaClass.Predicates.resideInAnyPackage("dev.anyorder.training..", "dev.anyorder.sampling..", "dev.anyorder.model..",
            "dev.anyorder.cli..", "dev.anyorder.api..", "dev.anyorder.density..", "dev.anyorder.evaluation..",
            "dev.anyorder.interop..", "dev.anyorder.options..", "dev.anyorder.server..", "dev.anyorder.spark..")
            .and(DescribedPredicate.not(JavaClass.Predicates.equivalentTo(PositionGrid.class))))
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

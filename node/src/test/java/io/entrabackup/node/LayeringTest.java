package io.entrabackup.node;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module arrows of DESIGN.md, checked on the compiled classes: they point one way only. */
class LayeringTest {

  private static final JavaClasses classes = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.entrabackup");

  /** The rules below say nothing if the import found nothing: every module must be on the classpath. */
  @Test
  void everyModulesClassesAreImported() {
    for (String module : new String[] {"protocol", "cluster", "http", "node", "simulator"}) {
      assertTrue(classes.containPackage("io.entrabackup." + module), "no classes of io.entrabackup." + module);
    }
  }

  @Test
  void protocolKnowsNeitherBehaviourNorHttp() {
    noClasses().that().resideInAPackage("io.entrabackup.protocol..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.entrabackup.cluster..", "io.entrabackup.http..", "io.entrabackup.node..",
            "org.apache.pekko.http..", "org.apache.pekko.persistence..", "org.apache.pekko.cluster..",
            "com.datastax..")
        .check(classes);
  }

  @Test
  void theHttpApiReachesTheClusterOnlyThroughProtocol() {
    noClasses().that().resideInAPackage("io.entrabackup.http..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.entrabackup.cluster..", "io.entrabackup.node..", "org.apache.pekko.persistence..",
            "org.apache.pekko.cluster.sharding..", "com.datastax..")
        .check(classes);
  }

  @Test
  void theClusterKnowsNothingOfHttp() {
    noClasses().that().resideInAPackage("io.entrabackup.cluster..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.entrabackup.http..", "io.entrabackup.node..", "org.apache.pekko.http..")
        .check(classes);
  }

  @Test
  void nothingDependsOnTheSimulator() {
    noClasses().that().resideOutsideOfPackage("io.entrabackup.simulator..")
        .should().dependOnClassesThat().resideInAPackage("io.entrabackup.simulator..")
        .check(classes);
  }
}

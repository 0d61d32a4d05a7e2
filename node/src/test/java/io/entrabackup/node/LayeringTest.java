package io.entrabackup.node;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

/**
 * The module arrows of the README's "Modules" table, checked on the compiled classes: they point one way only; and
 * an {@code internal} package is private to the package it sits in.
 */
class LayeringTest {

  private static final JavaClasses compiled = new ClassFileImporter()
      .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
      .importPackages("io.entrabackup");

  /** The rules below say nothing if the import found nothing: every module must be on the classpath. */
  @Test
  void everyModulesClassesAreImported() {
    for (String module : new String[] {"protocol", "cluster", "http", "node", "simulator"}) {
      assertTrue(compiled.containPackage("io.entrabackup." + module), "no classes of io.entrabackup." + module);
    }
  }

  @Test
  void protocolKnowsNeitherBehaviourNorHttp() {
    noClasses().that().resideInAPackage("io.entrabackup.protocol..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.entrabackup.cluster..", "io.entrabackup.http..", "io.entrabackup.node..",
            "org.apache.pekko.http..", "org.apache.pekko.persistence..", "org.apache.pekko.cluster..",
            "com.datastax..")
        .check(compiled);
  }

  @Test
  void theHttpApiReachesTheClusterOnlyThroughProtocol() {
    noClasses().that().resideInAPackage("io.entrabackup.http..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.entrabackup.cluster..", "io.entrabackup.node..", "org.apache.pekko.persistence..",
            "org.apache.pekko.cluster.sharding..", "com.datastax..")
        .check(compiled);
  }

  @Test
  void theClusterKnowsNothingOfHttp() {
    noClasses().that().resideInAPackage("io.entrabackup.cluster..")
        .should().dependOnClassesThat().resideInAnyPackage(
            "io.entrabackup.http..", "io.entrabackup.node..", "org.apache.pekko.http..")
        .check(compiled);
  }

  @Test
  void nothingDependsOnTheSimulator() {
    noClasses().that().resideOutsideOfPackage("io.entrabackup.simulator..")
        .should().dependOnClassesThat().resideInAPackage("io.entrabackup.simulator..")
        .check(compiled);
  }

  /**
   * {@code a.b.internal} (and below) is the implementation of {@code a.b}: only classes in {@code a.b} and below
   * may use it, so a feature's internals can change without touching its callers.
   */
  @Test
  void internalPackagesArePrivateToTheirParentPackage() {
    classes().that().resideInAPackage("io.entrabackup..").should(useNoOtherPackagesInternals())
        .allowEmptyShould(false)
        .check(compiled);
  }

  @Test
  void theInternalRuleSeesTheInternalPackages() {
    assertTrue(compiled.stream().anyMatch(c -> owningPackage(c.getPackageName()) != null),
        "no internal package was imported, so the rule above checks nothing");
  }

  @Test
  void theInternalRuleRefusesAnOutsiderAndAllowsTheOwner() {
    JavaClasses fixture = new ClassFileImporter().importPackages("io.entrabackup.node.layeringfixture");
    AssertionError refused = assertThrows(AssertionError.class, () -> classes()
        .that().resideInAPackage("..layeringfixture..").should(useNoOtherPackagesInternals()).check(fixture));
    assertTrue(refused.getMessage().contains("Intruder"), refused.getMessage());
    assertFalse(refused.getMessage().contains("Feature."), refused.getMessage());
  }

  private static ArchCondition<JavaClass> useNoOtherPackagesInternals() {
    return new ArchCondition<>("use no internal package outside their own parent package") {
      @Override
      public void check(JavaClass origin, ConditionEvents events) {
        for (Dependency dependency : origin.getDirectDependenciesFromSelf()) {
          String owner = owningPackage(dependency.getTargetClass().getPackageName());
          if (owner != null && !isWithin(origin.getPackageName(), owner)) {
            events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()
                + ": " + dependency.getTargetClass().getPackageName() + " is internal to " + owner));
          }
        }
      }
    };
  }

  /** The package an internal package belongs to ({@code a.b} for {@code a.b.internal.c}), or null if not internal. */
  private static String owningPackage(String packageName) {
    int at = ("." + packageName + ".").indexOf(".internal.");
    return at < 0 ? null : packageName.substring(0, at - 1);
  }

  private static boolean isWithin(String packageName, String parent) {
    return packageName.equals(parent) || packageName.startsWith(parent + ".");
  }
}

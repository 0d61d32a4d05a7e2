package io.entrabackup.node.image;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The container images as the poms describe them to Jib (no registry or engine is reachable here, so they are checked
 * where they are described): a pinned Temurin 17 JRE, a non-root user, a main class that exists, the JVM flags
 * deploy/run starts the node and the simulator with, and the ports the node's configuration listens on.
 */
class ImageDescriptionTest {

  private static final Path PROCESSES = JibConfiguration.root().resolve("deploy/lib/processes.sh");

  @Test
  void jibRunsOnlyWhenAskedAndOnlyForTheNodeAndTheSimulator() throws Exception {
    for (String module : List.of("node", "simulator")) {
      JibConfiguration jib = JibConfiguration.of(module);
      assertFalse(jib.moduleBindsExecutions(), module + ": no Jib goal may run in the normal build");
      assertEquals("true", jib.managedValue("configuration", "skip").orElseThrow(),
          "every other module skips Jib, so -am builds no image of a library module");
      assertEquals("false", jib.value("skip").orElseThrow(), module);
      assertTrue(jib.managedValue("version").orElseThrow().matches("\\d+\\.\\d+\\.\\d+"), "a pinned plugin version");
    }
  }

  @Test
  void bothImagesArePinnedTemurin17JresRunByANonRootUser() throws Exception {
    for (String module : List.of("node", "simulator")) {
      JibConfiguration jib = JibConfiguration.of(module);
      String base = jib.value("from", "image").orElseThrow();
      assertTrue(base.matches("eclipse-temurin:17\\.\\d+\\.\\d+_\\d+-jre-[a-z]+(@sha256:[0-9a-f]{64})?"),
          module + ": a Temurin 17 JRE with its full version pinned, not " + base);
      String user = jib.value("container", "user").orElseThrow();
      assertTrue(user.matches("\\d+:\\d+"), module + ": a numeric user, which runAsNonRoot can verify: " + user);
      assertNotEquals("0", user.split(":")[0], module + " must not run as root");
      assertTrue(jib.value("to", "image").orElseThrow().endsWith("/entra-backup-" + module + ":0.1.0-SNAPSHOT"),
          jib.value("to", "image").orElseThrow());
    }
  }

  @Test
  void theMainClassesExistAndAreTheJarsOwn() throws Exception {
    JibConfiguration node = JibConfiguration.of("node");
    String nodeMain = node.value("container", "mainClass").orElseThrow();
    assertRunnable(nodeMain);
    // deploy/run starts node.jar, whose manifest names its main class: the image starts the same one.
    assertEquals(manifestMainClass("node"), nodeMain);

    String simulatorMain = JibConfiguration.of("simulator").value("container", "mainClass").orElseThrow();
    assertRunnable(simulatorMain);
    assertEquals(manifestMainClass("simulator"), simulatorMain);
  }

  @Test
  void theNodeImageStartsTheJvmAsDeployRunDoes() throws Exception {
    JibConfiguration jib = JibConfiguration.of("node");
    List<String> imageFlags = jib.values("container", "jvmFlags");
    List<String> runFlags = javaFlags("start_node", "node_jar");
    assertEquals(withoutConfigFile(runFlags), withoutConfigFile(imageFlags), "the JVM flags but -Dconfig.file");
    assertEquals("$root/deploy/conf/node.conf", configFile(runFlags));

    // The image's configuration file is its own (deploy/k8s mounts another over it), and it is node.conf: it
    // includes node.conf, which deploy/conf brings to the same directory of the image.
    String imageConfig = configFile(imageFlags);
    Path local = jib.localFileOf(imageConfig).orElseThrow(() -> new AssertionError(imageConfig + " is in no extra"
        + " directory of the image"));
    assertTrue(Files.readString(local).lines().anyMatch(line -> line.trim().equals("include \"node.conf\"")), local
        + " must include node.conf");
    String configDirectory = imageConfig.substring(0, imageConfig.lastIndexOf('/'));
    assertEquals(configDirectory, jib.extraDirectories().get(JibConfiguration.root().resolve("deploy/conf")),
        "deploy/conf lands beside the image's configuration file");
    assertTrue(jib.localFileOf(configDirectory + "/node.conf").isPresent());
    assertTrue(jib.localFileOf(configDirectory + "/production.conf").isPresent());
  }

  @Test
  void theSimulatorImageStartsTheJvmAsDeployRunDoes() throws Exception {
    assertEquals(javaFlags("start_simulator", "simulator_jar"),
        JibConfiguration.of("simulator").values("container", "jvmFlags"));
  }

  @Test
  void theNodeImageExposesThePortsTheNodeListensOn() throws Exception {
    Config config = ConfigFactory.load();
    Set<String> listened = Set.of(
        String.valueOf(config.getInt("entra-backup.http.port")),
        String.valueOf(config.getInt("pekko.management.http.port")),
        String.valueOf(config.getInt("pekko.remote.artery.canonical.port")));
    JibConfiguration jib = JibConfiguration.of("node");
    assertEquals(listened, Set.copyOf(jib.values("container", "ports")));
  }

  @Test
  void theSpoolIsAVolumeTheNodesUserMayWrite() throws Exception {
    JibConfiguration jib = JibConfiguration.of("node");
    List<String> volumes = jib.values("container", "volumes");
    assertTrue(volumes.contains(ManifestsTest.SPOOL), volumes.toString());
    assertTrue(volumes.contains("/tmp"), "java.io.tmpdir, as the root file system may be read-only");
    assertTrue(jib.localFileOf(ManifestsTest.SPOOL + "/.keep").isPresent(), "the image makes the directory");
    var permissions = JibConfiguration.element(jib.configuration(), "extraDirectories", "permissions").orElseThrow();
    assertTrue(JibConfiguration.children(permissions).stream().anyMatch(p ->
        JibConfiguration.text(JibConfiguration.child(p, "file").orElseThrow()).equals(ManifestsTest.SPOOL)
            && JibConfiguration.text(JibConfiguration.child(p, "mode").orElseThrow()).endsWith("7")),
        "Jib's files belong to root: the spool must be writable by others");
  }

  private static void assertRunnable(String className) throws Exception {
    var main = Class.forName(className).getMethod("main", String[].class);
    assertTrue(Modifier.isStatic(main.getModifiers()) && Modifier.isPublic(main.getModifiers()), className);
  }

  private static String manifestMainClass(String module) throws Exception {
    var pom = JibConfiguration.read(JibConfiguration.root().resolve(module).resolve("pom.xml"));
    var mainClass = pom.getElementsByTagName("mainClass");
    List<String> names = new ArrayList<>();
    for (int i = 0; i < mainClass.getLength(); i++) {
      names.add(mainClass.item(i).getTextContent().trim());
    }
    // The jar's (or shaded jar's) manifest entry and Jib's: one name, twice.
    assertEquals(1, Set.copyOf(names).size(), module + " names more than one main class: " + names);
    return names.get(0);
  }

  /** The flags between "java" and "-jar" of deploy/lib/processes.sh's function, its default heap filled in. */
  static List<String> javaFlags(String function, String jarVariable) throws Exception {
    String script = Files.readString(PROCESSES);
    int start = script.indexOf(function + "() {");
    assertTrue(start >= 0, function + " is not in " + PROCESSES);
    String body = script.substring(start, script.indexOf("\n}", start));
    Matcher java = Pattern.compile(" java (.*?) -jar \"\\$" + jarVariable + "\"").matcher(body);
    assertTrue(java.find(), "no java ... -jar line in " + function);
    Matcher heap = Pattern.compile("heap=\\$\\{3:-(\\w+)}").matcher(body);
    String flags = java.group(1);
    if (heap.find()) {
      flags = flags.replace("\"$heap\"", heap.group(1));
    }
    return List.of(flags.replace("\"", "").trim().split("\\s+"));
  }

  private static List<String> withoutConfigFile(List<String> flags) {
    return flags.stream().filter(flag -> !flag.startsWith("-Dconfig.file=")).toList();
  }

  private static String configFile(List<String> flags) {
    return flags.stream().filter(flag -> flag.startsWith("-Dconfig.file=")).findFirst()
        .orElseThrow(() -> new AssertionError("no -Dconfig.file in " + flags)).substring("-Dconfig.file=".length());
  }
}

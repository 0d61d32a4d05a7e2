package io.entrabackup.node.image;

import static io.entrabackup.node.image.K8sManifests.named;
import static io.entrabackup.node.image.K8sManifests.ofKind;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigResolveOptions;
import com.typesafe.config.ConfigValueType;
import io.entrabackup.node.Node;
import io.entrabackup.node.image.K8sManifests.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * deploy/k8s parses, its parts are wired to each other (selectors, ports, probes, volumes, Secrets, the ConfigMap),
 * every environment variable it sets is one the node reads, and the ConfigMap's configuration is a whole node
 * configuration: production.conf with every placeholder filled and the stable names as seeds.
 */
class ManifestsTest {

  static final String SPOOL = "/var/lib/entra-backup/spool";

  @Test
  void everyManifestParsesAndEachKustomizationListsItsDirectory() throws Exception {
    List<Manifest> manifests = K8sManifests.all();
    Set<String> kinds = new TreeSet<>();
    for (Manifest m : manifests) {
      kinds.add(m.kind());
      if (!m.kind().equals("Kustomization")) {
        assertFalse(m.document().path("apiVersion").asText().isEmpty(), m.file() + ": apiVersion");
        assertFalse(m.name().isEmpty(), m.file() + ": metadata.name of a " + m.kind());
      }
    }
    assertEquals(new TreeSet<>(List.of("ConfigMap", "Deployment", "Job", "Kustomization", "NetworkPolicy",
        "PodDisruptionBudget", "Secret", "Service", "StatefulSet")), kinds);
    for (Manifest kustomization : ofKind(manifests, "Kustomization")) {
      Path directory = kustomization.file().getParent();
      Set<String> listed = new TreeSet<>();
      kustomization.document().path("resources").forEach(r -> listed.add(r.asText()));
      Set<String> present = new TreeSet<>();
      try (Stream<Path> files = Files.list(directory)) {
        files.map(f -> f.getFileName().toString()).filter(f -> f.endsWith(".yaml") && !f.equals("kustomization.yaml"))
            .forEach(present::add);
      }
      assertEquals(present, listed, directory + ": kustomization.yaml lists exactly the manifests beside it");
    }
    // The simulator is a test cluster's, never in the production kustomization.
    for (Manifest deployment : ofKind(manifests, "Deployment")) {
      assertTrue(deployment.file().startsWith(K8sManifests.DIRECTORY.resolve("simulator")), deployment.file()
          + ": only the simulator is a Deployment, and only under deploy/k8s/simulator");
      assertEquals("true", deployment.document().path("metadata").path("labels").path("entra-backup/test-only")
          .asText());
    }
  }

  @Test
  void theStatefulSetIsThreeNodesBehindAHeadlessServiceWithAMatchingBudget() throws Exception {
    List<Manifest> manifests = K8sManifests.all();
    JsonNode set = named(manifests, "StatefulSet", "entra-backup").document().path("spec");
    assertEquals(3, set.path("replicas").asInt());
    JsonNode podLabels = set.path("template").path("metadata").path("labels");
    assertSelects(set.path("selector").path("matchLabels"), podLabels, "the StatefulSet's selector");

    JsonNode headless = named(manifests, "Service", set.path("serviceName").asText()).document().path("spec");
    assertEquals("None", headless.path("clusterIP").asText(), "serviceName must name a headless Service");
    assertTrue(headless.path("publishNotReadyAddresses").asBoolean(),
        "pods join through their names before they are ready");

    JsonNode container = nodeContainer(manifests);
    for (Manifest service : ofKind(manifests, "Service")) {
      if (service.file().startsWith(K8sManifests.DIRECTORY.resolve("simulator"))) {
        continue;
      }
      assertSelects(service.document().path("spec").path("selector"), podLabels, service.name());
      for (JsonNode port : service.document().path("spec").path("ports")) {
        assertTrue(portNamed(container, port.path("targetPort").asText()) > 0,
            service.name() + " targets port " + port.path("targetPort") + ", which the container does not name");
      }
    }
    JsonNode budget = named(manifests, "PodDisruptionBudget", "entra-backup").document().path("spec");
    assertEquals(1, budget.path("maxUnavailable").asInt());
    assertSelects(budget.path("selector").path("matchLabels"), podLabels, "the PodDisruptionBudget");
  }

  @Test
  void probesAskTheManagementPortsAliveAndReady() throws Exception {
    JsonNode container = nodeContainer(K8sManifests.all());
    Config node = ConfigFactory.load();
    int management = node.getInt("pekko.management.http.port");
    String alive = "/" + node.getString("pekko.management.health-checks.liveness-path");
    String ready = "/" + node.getString("pekko.management.health-checks.readiness-path");
    Map<String, String> expected = Map.of("startupProbe", alive, "livenessProbe", alive, "readinessProbe", ready);
    expected.forEach((probe, path) -> {
      JsonNode get = container.path(probe).path("httpGet");
      assertEquals(path, get.path("path").asText(), probe);
      assertEquals(management, portNamed(container, get.path("port").asText()), probe + " asks the management port");
    });
    // The node's own checks decide /ready (item 4), within the probe's timeout.
    assertTrue(node.hasPath("pekko.management.health-checks.readiness-checks.node-ready"));
    assertTrue(container.path("readinessProbe").path("timeoutSeconds").asLong()
        > node.getDuration("pekko.management.health-checks.check-timeout").toSeconds());
  }

  @Test
  void everyEnvironmentVariableSetIsOneTheNodeReads() throws Exception {
    Set<String> known = K8sManifests.variablesTheNodeReads();
    Set<String> unknown = new TreeSet<>();
    for (Manifest m : K8sManifests.all()) {
      for (JsonNode container : containers(m)) {
        container.path("env").forEach(variable -> {
          if (!known.contains(variable.path("name").asText())) {
            unknown.add(variable.path("name").asText() + " (" + m.file().getFileName() + ")");
          }
        });
        assertTrue(container.path("envFrom").isMissingNode(), "envFrom would set variables nobody checked");
      }
    }
    assertTrue(unknown.isEmpty(), "variables the node does not read: " + unknown);
  }

  @Test
  void volumesSecretsAndTheConfigMapThatPodsUseExist() throws Exception {
    List<Manifest> manifests = K8sManifests.all();
    for (Manifest m : manifests) {
      JsonNode pod = podSpec(m);
      if (pod.isMissingNode()) {
        continue;
      }
      Map<String, JsonNode> volumes = new HashMap<>();
      pod.path("volumes").forEach(v -> volumes.put(v.path("name").asText(), v));
      volumes.values().forEach(volume -> {
        if (volume.has("configMap")) {
          Set<String> keys = keys(named(manifests, "ConfigMap", volume.path("configMap").path("name").asText()),
              "data");
          volume.path("configMap").path("items").forEach(item -> assertTrue(keys.contains(item.path("key").asText())));
        }
        if (volume.has("secret")) {
          Set<String> keys = keys(named(manifests, "Secret", volume.path("secret").path("secretName").asText()),
              "data", "stringData");
          volume.path("secret").path("items").forEach(item -> assertTrue(keys.contains(item.path("key").asText()),
              m.name() + ": Secret key " + item.path("key")));
        }
      });
      for (JsonNode container : containers(m)) {
        List<String> mounted = new ArrayList<>();
        container.path("volumeMounts").forEach(mount -> {
          JsonNode volume = volumes.get(mount.path("name").asText());
          assertTrue(volume != null, m.name() + " mounts volume " + mount.path("name") + ", which it does not have");
          if (mount.has("subPath") && volume.has("configMap")) {
            assertTrue(keys(named(manifests, "ConfigMap", volume.path("configMap").path("name").asText()), "data")
                .contains(mount.path("subPath").asText()), m.name() + ": subPath " + mount.path("subPath"));
          }
          mounted.add(mount.path("mountPath").asText());
        });
        container.path("env").forEach(variable -> {
          JsonNode ref = variable.path("valueFrom").path("secretKeyRef");
          if (!ref.isMissingNode()) {
            assertTrue(keys(named(manifests, "Secret", ref.path("name").asText()), "data", "stringData")
                .contains(ref.path("key").asText()), variable.path("name") + ": no key " + ref.path("key"));
          }
          // Files the node is pointed at are in a mounted volume.
          String value = variable.path("value").asText();
          if (value.startsWith("/")) {
            assertTrue(mounted.stream().anyMatch(path -> value.startsWith(path + "/")),
                variable.path("name") + "=" + value + " is in no mounted volume of " + m.name());
          }
        });
        assertTrue(pod.path("securityContext").path("runAsNonRoot").asBoolean(), m.name() + " runs as non-root");
      }
    }
  }

  @Test
  void theHeapFitsTheMemoryLimitAndTheUserIsTheImages() throws Exception {
    List<Manifest> manifests = K8sManifests.all();
    JsonNode container = nodeContainer(manifests);
    JibConfiguration jib = JibConfiguration.of("node");
    long heap = bytes(jib.values("container", "jvmFlags").stream().filter(f -> f.startsWith("-Xmx")).findFirst()
        .orElseThrow().substring(4));
    long limit = bytes(container.path("resources").path("limits").path("memory").asText());
    assertEquals(limit, bytes(container.path("resources").path("requests").path("memory").asText()),
        "memory requested = limit: the JVM's fixed heap is never reclaimed");
    assertTrue(heap * 3 <= limit * 2, "heap " + heap + " leaves too little of the limit " + limit + " off-heap");
    String uid = jib.value("container", "user").orElseThrow().split(":")[0];
    assertEquals(uid, named(manifests, "StatefulSet", "entra-backup").document().path("spec").path("template")
        .path("spec").path("securityContext").path("runAsUser").asText());
    assertTrue(container.path("image").asText().startsWith("entra-backup-node:"), "the node image (kustomize renames)");
  }

  @Test
  void theConfigMapIsAWholeProductionConfiguration(@org.junit.jupiter.api.io.TempDir Path directory)
      throws Exception {
    List<Manifest> manifests = K8sManifests.all();
    JsonNode set = named(manifests, "StatefulSet", "entra-backup").document().path("spec");
    JsonNode container = nodeContainer(manifests);
    // The image's /etc/entra-backup: deploy/conf, with the ConfigMap's file mounted over entra-backup.conf.
    try (Stream<Path> files = Files.list(JibConfiguration.root().resolve("deploy/conf"))) {
      for (Path file : files.toList()) {
        Files.copy(file, directory.resolve(file.getFileName()));
      }
    }
    Path file = directory.resolve("entra-backup.conf");
    Files.writeString(file, named(manifests, "ConfigMap", "entra-backup-config").document().path("data")
        .path("entra-backup.conf").asText());
    Map<String, String> environment = new HashMap<>();
    environment.put("HOSTNAME", set.path("serviceName").asText() + "-1"); // the pod's name
    container.path("env").forEach(v -> environment.put(v.path("name").asText(),
        v.has("value") ? v.path("value").asText() : "from-a-secret"));
    ConfigFactory.invalidateCaches();
    Config config = ConfigFactory.parseFile(file.toFile()).withFallback(ConfigFactory.parseMap(environment))
        .withFallback(ConfigFactory.defaultReference())
        .resolve(ConfigResolveOptions.defaults().setUseSystemEnvironment(false));

    // production.conf's placeholders ("<this host's address, e.g. 10.0.1.21>", "<dc1>", ...): none may be left.
    var placeholder = java.util.regex.Pattern.compile("<[^<>\"]+>");
    Set<String> templateValues = new TreeSet<>();
    placeholder.matcher(Files.readString(directory.resolve("production.conf"))).results()
        .forEach(r -> templateValues.add(r.group()));
    assertFalse(templateValues.isEmpty(), "production.conf is a template with <...> placeholders");
    List<String> placeholders = new ArrayList<>();
    for (String section : List.of("entra-backup", "pekko.remote", "pekko.cluster", "pekko.management",
        "datastax-java-driver.basic")) {
      config.getConfig(section).entrySet().forEach(e -> {
        String value = String.valueOf(e.getValue().unwrapped());
        if (templateValues.stream().anyMatch(value::contains)) {
          placeholders.add(section + "." + e.getKey() + " = " + value);
        }
      });
    }
    assertTrue(placeholders.isEmpty(), "production.conf placeholders the ConfigMap leaves: " + placeholders);

    String headless = set.path("serviceName").asText();
    assertEquals(headless + "-1." + headless, config.getString("pekko.remote.artery.canonical.hostname"));
    List<String> seeds = new ArrayList<>();
    for (int pod = 0; pod < set.path("replicas").asInt(); pod++) {
      seeds.add("pekko://" + Node.SYSTEM_NAME + "@" + headless + "-" + pod + "." + headless + ":"
          + config.getInt("pekko.remote.artery.canonical.port"));
    }
    assertEquals(seeds, config.getStringList("pekko.cluster.seed-nodes"), "the pods' stable names");
    assertEquals("tls-tcp", config.getString("pekko.remote.artery.transport"));
    assertEquals(config.getInt("entra-backup.http.port"), portNamed(container, "https"));
    assertEquals(config.getInt("pekko.management.http.port"), portNamed(container, "management"));
    assertEquals(config.getInt("pekko.remote.artery.canonical.port"), portNamed(container, "remoting"));
    assertTrue(config.getBoolean("entra-backup.http.tls.enabled"));
    assertEquals(environment.get("ENTRA_HTTP_KEY_STORE"), config.getString("entra-backup.http.tls.key-store"));
    assertEquals(environment.get("ENTRA_CLIENT_SECRET_FILE"),
        config.getString("entra-backup.graph.client-secret-file"));
    assertEquals(environment.get("ENTRA_CASSANDRA_PASSWORD_FILE"),
        config.getString("entra-backup.cassandra.authentication.password-file"));
    assertFalse(config.getBoolean("entra-backup.cassandra.create-schema"), "the schema Job makes the schema");
    assertEquals(List.of("schema"), List.of(named(manifests, "Job", "entra-backup-schema").document().path("spec")
        .path("template").path("spec").path("containers").get(0).path("args").get(0).asText()));
    // The spool is its own emptyDir, and a volume of the image.
    assertEquals(SPOOL, config.getString("entra-backup.download.spool-directory"));
    assertTrue(JibConfiguration.of("node").values("container", "volumes").contains(SPOOL));
    assertTrue(hasEmptyDirAt(set.path("template").path("spec"), container, SPOOL));
    assertEquals(ConfigValueType.LIST, config.getValue("datastax-java-driver.basic.contact-points").valueType());
  }

  private static boolean hasEmptyDirAt(JsonNode pod, JsonNode container, String path) {
    for (JsonNode mount : container.path("volumeMounts")) {
      if (mount.path("mountPath").asText().equals(path)) {
        for (JsonNode volume : pod.path("volumes")) {
          if (volume.path("name").asText().equals(mount.path("name").asText()) && volume.has("emptyDir")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  static JsonNode nodeContainer(List<Manifest> manifests) {
    JsonNode containers = named(manifests, "StatefulSet", "entra-backup").document().path("spec").path("template")
        .path("spec").path("containers");
    assertEquals(1, containers.size());
    return containers.get(0);
  }

  private static JsonNode podSpec(Manifest m) {
    return m.document().path("spec").path("template").path("spec");
  }

  private static List<JsonNode> containers(Manifest m) {
    List<JsonNode> containers = new ArrayList<>();
    podSpec(m).path("containers").forEach(containers::add);
    podSpec(m).path("initContainers").forEach(containers::add);
    return containers;
  }

  private static int portNamed(JsonNode container, String name) {
    for (JsonNode port : container.path("ports")) {
      if (port.path("name").asText().equals(name)) {
        return port.path("containerPort").asInt();
      }
    }
    return -1;
  }

  private static Set<String> keys(Manifest m, String... sections) {
    Set<String> keys = new TreeSet<>();
    for (String section : sections) {
      m.document().path(section).fieldNames().forEachRemaining(keys::add);
    }
    return keys;
  }

  private static void assertSelects(JsonNode selector, JsonNode labels, String what) {
    assertTrue(selector.size() > 0, what + " selects nothing");
    selector.fields().forEachRemaining(e -> assertEquals(e.getValue().asText(), labels.path(e.getKey()).asText(),
        what + " selects " + e.getKey() + "=" + e.getValue() + ", which the pods do not carry"));
  }

  private static long bytes(String quantity) {
    Map<String, Long> units = Map.of("Ki", 1L << 10, "Mi", 1L << 20, "Gi", 1L << 30, "k", 1L << 10, "m", 1L << 20,
        "g", 1L << 30, "K", 1L << 10, "M", 1L << 20, "G", 1L << 30);
    for (var unit : units.entrySet()) {
      if (quantity.endsWith(unit.getKey())) {
        return Long.parseLong(quantity.substring(0, quantity.length() - unit.getKey().length())) * unit.getValue();
      }
    }
    return Long.parseLong(quantity);
  }
}

package io.entrabackup.node.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Every document of every YAML file under deploy/k8s, and the ENTRA_* variables the node reads. */
final class K8sManifests {

  static final Path DIRECTORY = JibConfiguration.root().resolve("deploy/k8s");

  /** One YAML document and the file it is in. */
  record Manifest(Path file, JsonNode document) {
    String kind() {
      return document.path("kind").asText();
    }

    String name() {
      return document.path("metadata").path("name").asText();
    }
  }

  private K8sManifests() {}

  static List<Manifest> all() throws IOException {
    ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
    List<Manifest> manifests = new ArrayList<>();
    try (Stream<Path> files = Files.walk(DIRECTORY)) {
      for (Path file : files.filter(f -> f.toString().endsWith(".yaml") || f.toString().endsWith(".yml")).sorted()
          .toList()) {
        try (var documents = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
          while (documents.hasNext()) {
            JsonNode document = (JsonNode) documents.next();
            if (document != null && !document.isNull() && !document.isMissingNode()) {
              manifests.add(new Manifest(file, document));
            }
          }
        }
      }
    }
    return manifests;
  }

  static List<Manifest> ofKind(List<Manifest> manifests, String kind) {
    return manifests.stream().filter(m -> m.kind().equals(kind)).toList();
  }

  static Manifest named(List<Manifest> manifests, String kind, String name) {
    return manifests.stream().filter(m -> m.kind().equals(kind) && m.name().equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in deploy/k8s"));
  }

  /**
   * The environment variables the node reads: the ENTRA_* substitutions of deploy/conf and of the node's, the
   * cluster's and the API's configuration files, the master keys' variable names (env = "...") and logback's.
   */
  static Set<String> variablesTheNodeReads() throws IOException {
    Path root = JibConfiguration.root();
    Set<String> names = new TreeSet<>();
    Pattern substitution = Pattern.compile("\\$\\{\\??(ENTRA_[A-Z0-9_]+)(:-[^}]*)?}");
    Pattern masterKey = Pattern.compile("env\\s*=\\s*\"(ENTRA_[A-Z0-9_]+)\"");
    for (Path directory : List.of(root.resolve("deploy/conf"), root.resolve("node/src/main/resources"),
        root.resolve("cluster/src/main/resources"), root.resolve("http-api/src/main/resources"))) {
      try (Stream<Path> files = Files.list(directory)) {
        for (Path file : files.filter(f -> f.toString().endsWith(".conf") || f.toString().endsWith(".xml")).toList()) {
          String text = Files.readString(file);
          for (Pattern pattern : List.of(substitution, masterKey)) {
            Matcher m = pattern.matcher(text);
            while (m.find()) {
              names.add(m.group(1));
            }
          }
        }
      }
    }
    // The log format switch (issue 19, item 2) is read by logback.xml; counted here while that lands beside this.
    names.add("ENTRA_LOG_FORMAT");
    return names;
  }
}

package io.entrabackup.node.image;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * A module's Jib configuration as Maven sees it: the module's plugin configuration with the root pom's and the
 * module's properties substituted. Read from the poms themselves, since no registry or engine is here to build it.
 */
record JibConfiguration(Path module, Element configuration, Element rootManagement, Map<String, String> properties,
    boolean moduleBindsExecutions) {

  static final String PLUGIN = "jib-maven-plugin";

  /** The repository root (tests run in the node module). */
  static Path root() {
    return Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent();
  }

  static JibConfiguration of(String module) throws Exception {
    Element rootPom = read(root().resolve("pom.xml"));
    Element modulePom = read(root().resolve(module).resolve("pom.xml"));
    Map<String, String> properties = new HashMap<>();
    properties.putAll(properties(rootPom));
    properties.putAll(properties(modulePom));
    properties.put("project.version", text(child(rootPom, "version").orElseThrow()));
    properties.put("project.basedir", root().resolve(module).toString());
    Element plugin = jibPlugin(child(modulePom, "build").flatMap(b -> child(b, "plugins")).orElseThrow())
        .orElseThrow(() -> new AssertionError(module + "/pom.xml has no " + PLUGIN));
    Element managed = jibPlugin(child(rootPom, "build").flatMap(b -> child(b, "pluginManagement"))
        .flatMap(m -> child(m, "plugins")).orElseThrow())
        .orElseThrow(() -> new AssertionError("the root pom's pluginManagement has no " + PLUGIN));
    return new JibConfiguration(root().resolve(module), child(plugin, "configuration").orElseThrow(), managed,
        properties, child(plugin, "executions").isPresent() || child(managed, "executions").isPresent());
  }

  /** The resolved text at a path of elements under configuration, e.g. "container", "mainClass". */
  Optional<String> value(String... path) {
    return element(configuration, path).map(e -> resolve(text(e)));
  }

  /** The resolved texts of an element's children, e.g. "container", "jvmFlags". */
  List<String> values(String... path) {
    List<String> values = new ArrayList<>();
    element(configuration, path).ifPresent(list -> children(list).forEach(e -> values.add(resolve(text(e)))));
    return values;
  }

  /** The managed (root pom) configuration's value at a path. */
  Optional<String> managedValue(String... path) {
    return element(rootManagement, path).map(e -> resolve(text(e)));
  }

  /** extraDirectories: from (a resolved local path) to into (a path in the image). */
  Map<Path, String> extraDirectories() {
    Map<Path, String> directories = new HashMap<>();
    element(configuration, "extraDirectories", "paths").ifPresent(paths -> children(paths).forEach(path ->
        directories.put(Path.of(resolve(text(child(path, "from").orElseThrow()))).normalize(),
            resolve(text(child(path, "into").orElseThrow())))));
    return directories;
  }

  /** The local file that lands at this path of the image through an extra directory, if one brings it. */
  Optional<Path> localFileOf(String imagePath) {
    for (var entry : extraDirectories().entrySet()) {
      String into = entry.getValue().endsWith("/") ? entry.getValue() : entry.getValue() + "/";
      if (imagePath.startsWith(into)) {
        Path local = entry.getKey().resolve(imagePath.substring(into.length()));
        if (Files.exists(local)) {
          return Optional.of(local);
        }
      }
    }
    return Optional.empty();
  }

  String resolve(String value) {
    Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(value);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String replacement = properties.get(m.group(1));
      if (replacement == null) {
        throw new AssertionError("property ${" + m.group(1) + "} is defined in no pom");
      }
      m.appendReplacement(out, Matcher.quoteReplacement(resolve(replacement)));
    }
    return m.appendTail(out).toString();
  }

  private static Optional<Element> jibPlugin(Element plugins) {
    return children(plugins).stream()
        .filter(p -> child(p, "artifactId").map(JibConfiguration::text).orElse("").equals(PLUGIN))
        .findFirst();
  }

  private static Map<String, String> properties(Element pom) {
    Map<String, String> properties = new HashMap<>();
    child(pom, "properties").ifPresent(p -> children(p).forEach(e -> properties.put(e.getTagName(), text(e))));
    return properties;
  }

  static Element read(Path pom) throws Exception {
    return DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
  }

  static Optional<Element> element(Element from, String... path) {
    Optional<Element> current = Optional.of(from);
    for (String name : path) {
      current = current.flatMap(e -> child(e, name));
    }
    return current;
  }

  static Optional<Element> child(Element parent, String name) {
    return children(parent).stream().filter(e -> e.getTagName().equals(name)).findFirst();
  }

  static List<Element> children(Element parent) {
    List<Element> children = new ArrayList<>();
    for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
      if (n instanceof Element e) {
        children.add(e);
      }
    }
    return children;
  }

  static String text(Element e) {
    return e.getTextContent().trim();
  }
}

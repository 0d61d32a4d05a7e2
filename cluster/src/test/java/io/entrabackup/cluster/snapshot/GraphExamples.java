package io.entrabackup.cluster.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Documented Graph payloads from /work/shared/graph-examples, and small JSON helpers. */
final class GraphExamples {

  static final ObjectMapper JSON = new ObjectMapper();
  private static final Path DIRECTORY =
      Path.of(System.getProperty("graph.examples", "/work/shared/graph-examples"));

  private GraphExamples() {}

  static boolean available() {
    return Files.isDirectory(DIRECTORY);
  }

  /** The objects of a page's "value" array. */
  static List<ObjectNode> values(String file) {
    try {
      JsonNode page = JSON.readTree(DIRECTORY.resolve(file).toFile());
      List<ObjectNode> values = new ArrayList<>();
      page.get("value").forEach(value -> values.add((ObjectNode) value));
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static ObjectNode object(String json) {
    try {
      return (ObjectNode) JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}

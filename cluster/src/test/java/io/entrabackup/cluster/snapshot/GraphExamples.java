package io.entrabackup.cluster.snapshot;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/** Documented Graph payloads (test resources, graph-examples/README.md says where from), and small JSON helpers. */
final class GraphExamples {

  static final ObjectMapper JSON = new ObjectMapper();
  private GraphExamples() {}

  /** The objects of a page's "value" array. */
  static List<ObjectNode> values(String file) {
    try (InputStream in = GraphExamples.class.getResourceAsStream("/graph-examples/" + file)) {
      if (in == null) {
        throw new IllegalArgumentException("no test resource graph-examples/" + file);
      }
      JsonNode page = JSON.readTree(in);
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

package io.entrabackup.simulator.graph;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorFixture;
import java.io.IOException;
import java.io.InputStream;
import java.util.Set;
import java.util.TreeSet;

/** The documented Graph example payloads (test resources: graph-examples/README.md says where each comes from) that conformance tests compare shapes with. */
final class Examples {
  private Examples() {}

  static JsonNode load(String name) {
    try (InputStream in = Examples.class.getResourceAsStream("/graph-examples/" + name)) {
      return SimulatorFixture.JSON.readTree(in);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  static Set<String> keys(JsonNode n) {
    Set<String> out = new TreeSet<>();
    n.fieldNames().forEachRemaining(out::add);
    return out;
  }
}

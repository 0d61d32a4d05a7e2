package io.entrabackup.node.multinode;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.TenantInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A first full backup checked object by object against the simulator: every user and group the directory holds has
 * exactly one stored version (none missing, none twice, nothing the directory does not hold), every other type has
 * one version per object, and the figures an operator sees (the job's counts and the tenant's object counts) are
 * those numbers exactly.
 */
final class ExactBackup {

  /** What was found: objects of the directory without a version, and objects stored more than once. */
  record Figures(long objects, long missing, long duplicated, long strangers) {
    @Override
    public String toString() {
      return objects + " objects stored, " + missing + " missing, " + duplicated + " duplicated, " + strangers
          + " not in the directory";
    }
  }

  private ExactBackup() {}

  /** Counts what the keyspace holds for the tenant against the directory; asserts nothing. */
  static Figures figures(MultiNodeCluster cluster, TenantInfo directory, String tenantId) {
    Map<String, Map<String, Integer>> stored = cluster.versionsPerObject(tenantId);
    long objects = 0;
    long duplicated = 0;
    long strangers = 0;
    for (Map<String, Integer> ofType : stored.values()) {
      for (int versions : ofType.values()) {
        objects++;
        duplicated += versions > 1 ? 1 : 0;
      }
    }
    long missing = 0;
    for (String type : List.of("users", "groups")) {
      Map<String, Integer> ofType = stored.getOrDefault(type, Map.of());
      long live = 0;
      for (String id : ofType.keySet()) {
        Map<String, Object> truth = cluster.simulator().admin().object(directory.id(), id);
        if (truth != null && "live".equals(String.valueOf(truth.get("state")))) {
          live++;
        } else {
          strangers++;
        }
      }
      long expected = type.equals("users") ? directory.users() : directory.groups();
      missing += Math.max(0, expected - live);
    }
    return new Figures(objects, missing, duplicated, strangers);
  }

  /** Asserts the figures are exact and that the job and the tenant's object counts say the same. */
  static Figures assertExact(MultiNodeCluster cluster, TenantInfo directory, String tenantId, JsonNode job) {
    Figures figures = figures(cluster, directory, tenantId);
    List<String> wrong = new ArrayList<>();
    if (figures.missing() + figures.duplicated() + figures.strangers() != 0) {
      wrong.add("snapshots: " + figures);
    }
    Map<String, Map<String, Integer>> stored = cluster.versionsPerObject(tenantId);
    JsonNode byType = job.get("countsByType");
    JsonNode types = cluster.any().get("/api/v1/tenants/" + tenantId + "/objects", MultiNodeCluster.KEY).get("items");
    for (String type : stored.keySet()) {
      long objects = stored.get(type).size();
      JsonNode counts = byType.path(type);
      if (counts.path("created").asLong() != objects || counts.path("seen").asLong() != objects) {
        wrong.add("the job's " + type + " counts " + counts + " for " + objects + " objects stored");
      }
      long shown = -1;
      for (JsonNode item : types) {
        if (type.equals(item.get("type").asText())) {
          shown = item.get("count").asLong();
        }
      }
      if (shown != objects) {
        wrong.add("the tenant shows " + shown + " " + type + " for " + objects + " stored");
      }
    }
    if (stored.getOrDefault("users", Map.of()).size() != directory.users()) {
      wrong.add(stored.getOrDefault("users", Map.of()).size() + " users stored of " + directory.users());
    }
    assertEquals(List.of(), wrong, "job " + job);
    return figures;
  }
}

package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.entrabackup.simulator.Simulator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one tenant's backups hold, read through the browsing API, checked object by object against what
 * the simulator holds: the test's oracle for "the backup is the directory".
 */
final class BackedUpDirectory {

  private static final ObjectMapper json = new ObjectMapper();

  private final TestNode node;
  private final Simulator simulator;
  private final String entraTenant;
  private final String tenantId;
  private final String key;

  BackedUpDirectory(TestNode node, Simulator simulator, String entraTenant, String tenantId, String key) {
    this.node = node;
    this.simulator = simulator;
    this.entraTenant = entraTenant;
    this.tenantId = tenantId;
    this.key = key;
  }

  /** Backup Now, then waits until System Status shows the job ended; answers the job. */
  JsonNode backUpNow(Duration max) {
    return awaitJob(startBackup(), max);
  }

  /** Backup Now, without waiting; answers the job's id. */
  String startBackup() {
    return TestNode.jobId(node.ok(node.send("POST", "/api/v1/tenants/" + tenantId + "/backups", "", key), 202));
  }

  /** Waits until the job has ended; answers it. */
  JsonNode awaitJob(String jobId, Duration max) {
    return node.awaitJob(jobId, key, max);
  }

  /** Every object of a type as the listing shows it (all pages). */
  List<JsonNode> list(String type) {
    List<JsonNode> items = new ArrayList<>();
    String cursor = null;
    do {
      String query = "?limit=200" + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
      JsonNode page = node.ok(node.send("GET", objects(type) + query, null, key), 200);
      page.get("items").forEach(items::add);
      cursor = page.hasNonNull("next") ? page.get("next").asText() : null;
    } while (cursor != null);
    return items;
  }

  JsonNode versions(String type, String objectId) {
    return node.ok(node.send("GET", objects(type) + "/" + objectId + "/versions", null, key), 200).get("versions");
  }

  JsonNode version(String type, String objectId, String versionId) {
    return node.ok(node.send("GET", objects(type) + "/" + objectId + "/versions/" + versionId, null, key), 200);
  }

  /** The id of the object's newest version. */
  String latestVersionId(String type, String objectId) {
    return versions(type, objectId).get(0).get("versionId").asText();
  }

  JsonNode latest(String type, String objectId) {
    return version(type, objectId, latestVersionId(type, objectId));
  }

  private String objects(String type) {
    return "/api/v1/tenants/" + tenantId + "/objects/" + type;
  }

  /**
   * Checks every backed-up object of {@code type} against the simulator: live objects have a latest version
   * whose every stored property equals the simulator's (and, for groups, the same members and owners);
   * soft-deleted ones a "changed" tombstone; hard-deleted ones a "deleted" tombstone. Answers how many
   * live objects the backup holds.
   */
  int assertMatchesSimulator(String type) {
    int live = 0;
    for (JsonNode item : list(type)) {
      String id = item.get("id").asText();
      Map<String, Object> truth = simulator.admin().object(entraTenant, id);
      String state = truth == null ? "deleted" : String.valueOf(truth.get("state"));
      JsonNode newest = versions(type, id).get(0);
      switch (state) {
        case "live" -> {
          live++;
          assertFalse(item.get("deleted").asBoolean(), type + " " + id + " is live but shown deleted");
          assertTrue(newest.path("removed").isMissingNode() || newest.path("removed").isNull(), newest.toString());
          assertSameState(type, id, latest(type, id), truth);
        }
        case "softDeleted" -> assertEquals("changed", newest.path("removed").asText(), type + " " + id + ": " + newest);
        default -> assertEquals("deleted", newest.path("removed").asText(), type + " " + id + ": " + newest);
      }
    }
    return live;
  }

  @SuppressWarnings("unchecked")
  private static void assertSameState(String type, String id, JsonNode stored, Map<String, Object> truth) {
    JsonNode properties = json.valueToTree(truth.get("properties"));
    stored.fieldNames().forEachRemaining(name -> {
      if (name.startsWith("@") || name.contains("@") || name.equals("members") || name.equals("owners")
          || name.equals("manager")) {
        return;
      }
      JsonNode expected = properties.path(name);
      JsonNode actual = stored.get(name);
      if (expected.isMissingNode()) {
        assertTrue(actual.isNull(), type + " " + id + "." + name + " stored " + actual + " but the simulator has none");
      } else {
        assertEquals(expected, actual, type + " " + id + "." + name);
      }
    });
    assertEquals(properties.path("displayName"), stored.get("displayName"), type + " " + id + " displayName");
    for (String relation : List.of("members", "owners")) {
      Map<String, Object> links = (Map<String, Object>) truth.get(relation);
      if (links == null || ((Number) links.get("count")).intValue() > 1000) {
        continue;
      }
      Set<String> expected = new HashSet<>((List<String>) links.get("ids"));
      Set<String> actual = new HashSet<>();
      stored.path(relation).forEach(ref -> actual.add(ref.get("id").asText()));
      assertEquals(expected, actual, type + " " + id + " " + relation);
    }
  }
}

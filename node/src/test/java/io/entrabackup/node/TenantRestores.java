package io.entrabackup.node;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;

/** One tenant's restores through the API: a plan, a restore started or awaited to its end, its skipped items. */
record TenantRestores(TestNode node, String tenantId, String key) {

  /** What a restore of the object to {@code version} would do (writes nothing). */
  JsonNode plan(String type, String id, String version) {
    return node.ok(node.send("POST", objectPath(type, id) + "/restore-plans", body(version), key), 200);
  }

  /** Starts a restore of the object to {@code version}; answers what the API accepted (202). */
  JsonNode start(String type, String id, String version) {
    return node.ok(node.send("POST", objectPath(type, id) + "/restores", body(version), key), 202);
  }

  /** Restores the object to {@code version} and waits up to a minute for the job to end; answers the job. */
  JsonNode restore(String type, String id, String version) {
    return restore(type, id, version, Duration.ofSeconds(60));
  }

  JsonNode restore(String type, String id, String version, Duration max) {
    return node.awaitJob(TestNode.jobId(start(type, id, version)), key, max);
  }

  /** The job's skipped items, as the API lists them. */
  JsonNode skippedItems(JsonNode job) {
    return node.ok(node.send("GET", "/api/v1/jobs/" + job.get("id").asText() + "/skipped-items", null, key), 200)
        .get("items");
  }

  private String objectPath(String type, String id) {
    return "/api/v1/tenants/" + tenantId + "/objects/" + type + "/" + id;
  }

  private static String body(String version) {
    return "{\"version\":\"" + version + "\"}";
  }
}

package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.admin.SimulatorAdmin;
import io.entrabackup.simulator.throttle.Faults;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The metrics endpoint ({@code GET /metrics} on the management port, cluster/METRICS.md) scraped before, during and
 * after a backup, a throttled backup, a download and a restore: the figures that are exact move by exactly what the
 * jobs report (objects per type, Graph requests and 429s, restore writes, ZIP bytes, completed runs); the others move
 * (Cassandra requests, projection events) or are there (JVM, GC, threads, shards).
 */
class MetricsIT {

  @RegisterExtension
  static final TestDeployment deployment =
      TestDeployment.simulating(SimulatorConfig.builder().tenants(1).users(40).groups(6).seed(19))
          .withAuthorizedTenant()
          // Bound by the node (port 0) and read back: a port chosen here could be taken before the node binds it.
          .nodeSettings("pekko.management.http.port = 0\nentra-backup.metrics.shards-every = 1s");

  private static final String KEY = TestDeployment.KEY;
  private static final Duration JOB_TIMEOUT = Duration.ofSeconds(180);
  private static final HttpClient http = HttpClient.newHttpClient();

  @Test
  void figuresMoveAsTheJobsReportThem() throws Exception {
    TestNode node = deployment.node();
    int port = PekkoManagement.get(node.node.system()).start().toCompletableFuture().get(10, TimeUnit.SECONDS).port();
    SimulatorAdmin simulator = deployment.simulator().admin();

    // Before: the JVM is described, and every backup figure starts at zero.
    Scrape before = scrape(port);
    assertTrue(before.sum("jvm_memory_used_bytes", "area", "heap") > 0, before.text);
    assertTrue(before.has("jvm_gc_pause_seconds_count") || before.has("jvm_gc_memory_allocated_bytes_total"),
        before.text);
    assertTrue(before.sum("jvm_threads_live_threads") > 0, before.text);
    assertEquals(0, before.sum("entra_backup_backups_completed_total"), before.text);
    assertEquals(0, before.sum("entra_backup_backups_running", "trigger", "manual"), before.text);
    assertEquals(0, before.sum("entra_backup_jobs_waiting", "kind", "backup"), before.text);
    assertTrue(before.has("entra_backup_jobs_waiting", "kind", "download"), before.text);
    assertFalse(before.text.contains(deployment.tenantId()) || before.text.contains(deployment.tenant().id()),
        "no tenant id on the page");

    // During: a slowed backup is running.
    simulator.addFault(Faults.Kind.SLOW, 1.0, 2, "/groups/delta", null, 1500);
    BackedUpDirectory backups = deployment.backups();
    String jobId = backups.startBackup();
    node.await(Duration.ofSeconds(30), () -> assertEquals(1,
        scrape(port).sum("entra_backup_backups_running", "trigger", "manual")));
    JsonNode full = backups.awaitJob(jobId, JOB_TIMEOUT);
    assertEquals("completed", full.get("state").asText(), full.toString());
    simulator.clearFaults();

    // After: exact figures equal the job's.
    Scrape afterFull = scrape(port);
    assertEquals(1, afterFull.sum("entra_backup_backups_completed_total", "trigger", "manual"), afterFull.text);
    assertEquals(0, afterFull.sum("entra_backup_backups_failed_total"), afterFull.text);
    assertEquals(0, afterFull.sum("entra_backup_backups_running"), afterFull.text);
    assertEquals(deployment.tenant().users(),
        afterFull.sum("entra_backup_objects_written_total", "type", "users", "outcome", "created"), afterFull.text);
    for (Iterator<Map.Entry<String, JsonNode>> types = full.get("countsByType").fields(); types.hasNext(); ) {
      Map.Entry<String, JsonNode> type = types.next();
      assertEquals(type.getValue().get("created").asLong(),
          afterFull.sum("entra_backup_objects_written_total", "type", type.getKey(), "outcome", "created"),
          type.getKey() + ": " + full);
    }
    assertEquals(full.get("graph").get("requests").asLong(),
        afterFull.sum("entra_backup_graph_requests_total") - before.sum("entra_backup_graph_requests_total"),
        "each request the job counted, once: " + full);
    assertEquals(0, afterFull.sum("entra_backup_graph_throttled_total"), afterFull.text);
    assertTrue(afterFull.sum("entra_backup_cassandra_requests_total")
        > before.sum("entra_backup_cassandra_requests_total"), afterFull.text);
    assertTrue(afterFull.has("entra_backup_cassandra_request_latency_seconds", "quantile", "0.99"), afterFull.text);
    node.await(Duration.ofSeconds(30), () -> {
      Scrape now = scrape(port);
      assertTrue(now.sum("entra_backup_shards", "entity_type", "Tenant") >= 1, now.text);
      assertTrue(now.sum("entra_backup_entities", "entity_type", "Tenant") >= 1, now.text);
      assertTrue(now.sum("entra_backup_projection_events_total") > before.sum("entra_backup_projection_events_total"),
          now.text);
      assertTrue(now.has("entra_backup_projection_lag_seconds"), now.text);
    });

    // A throttled backup: Graph's 429s and Retry-After, by the tenant's size class (46 objects and some roles: small).
    simulator.throttle(0.0005, true, false);
    JsonNode throttledJob;
    try {
      throttledJob = backups.backUpNow(JOB_TIMEOUT);
    } finally {
      simulator.throttle(1.0, false, false);
    }
    assertEquals("completed", throttledJob.get("state").asText(), throttledJob.toString());
    long throttled = throttledJob.get("graph").get("throttled").asLong();
    assertTrue(throttled > 0, "the budget was small enough to throttle: " + throttledJob);
    Scrape afterThrottled = scrape(port);
    assertEquals(throttled, afterThrottled.sum("entra_backup_graph_throttled_total", "tenant_class", "small"),
        afterThrottled.text);
    assertEquals(throttled, afterThrottled.sum("entra_backup_graph_requests_total", "status", "429"),
        afterThrottled.text);
    assertEquals(throttledJob.get("graph").get("requests").asLong(),
        afterThrottled.sum("entra_backup_graph_requests_total") - afterFull.sum("entra_backup_graph_requests_total"),
        throttledJob.toString());
    assertEquals(throttled, afterThrottled.sum("entra_backup_graph_retry_after_seconds_count", "tenant_class",
        "small"), afterThrottled.text);
    assertTrue(afterThrottled.sum("entra_backup_graph_retry_after_seconds_sum") > 0, afterThrottled.text);
    assertEquals(2, afterThrottled.sum("entra_backup_backups_completed_total", "trigger", "manual"));

    // A download: the bytes of the ZIP a user fetches.
    JsonNode download = downloadReady(node);
    long zipBytes = fetch(node, download.get("download").get("link").asText()).length;
    Scrape afterDownload = scrape(port);
    assertEquals(zipBytes, afterDownload.sum("entra_backup_download_bytes_total") - before.sum(
        "entra_backup_download_bytes_total"), afterDownload.text);
    assertEquals(1, afterDownload.sum("entra_backup_downloads_built_total"), afterDownload.text);

    // A restore: each write Graph made for it.
    SimulatorGraph graph = deployment.graph();
    String user = backups.list("users").get(0).get("id").asText();
    String version = backups.latestVersionId("users", user);
    graph.ok("PATCH", "/users/" + user, "{\"jobTitle\":\"Changed for the metrics test\"}");
    JsonNode restore = deployment.restores().restore("users", user, version);
    assertEquals("completed", restore.get("state").asText(), restore.toString());
    long writes = restore.get("restore").get("changes").asLong();
    assertTrue(writes >= 1, restore.toString());
    Scrape afterRestore = scrape(port);
    assertEquals(writes, afterRestore.sum("entra_backup_restore_writes_total"), afterRestore.text);
    assertEquals(0, afterRestore.sum("entra_backup_backups_failed_total"), afterRestore.text);
    // What an operator's scrape shows after these jobs (the README's example comes from here).
    afterRestore.text.lines().filter(line -> line.startsWith("entra_backup_")).forEach(System.out::println);
  }

  /** A download of the whole tenant, started and awaited until its link is there. */
  private static JsonNode downloadReady(TestNode node) {
    JsonNode accepted = node.ok(node.send("POST", "/api/v1/tenants/" + deployment.tenantId() + "/downloads",
        "{\"scope\":\"tenant\"}", KEY), 202);
    JsonNode job = node.awaitJob(accepted.get("id").asText(), KEY, JOB_TIMEOUT);
    assertEquals("completed", job.get("state").asText(), job.toString());
    return job;
  }

  private static byte[] fetch(TestNode node, String link) throws IOException, InterruptedException {
    HttpResponse<byte[]> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port
        + link)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, response.statusCode());
    return response.body();
  }

  private static Scrape scrape(int port) {
    try {
      HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port
          + "/metrics")).GET().build(), HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode(), response.body());
      assertTrue(response.headers().firstValue("Content-Type").orElse("").startsWith("text/plain"));
      return new Scrape(response.body());
    } catch (IOException | InterruptedException e) {
      throw new AssertionError("GET /metrics failed", e);
    }
  }

  /** One scrape's samples: name, labels, value; read as Prometheus reads the text format. */
  static final class Scrape {
    final String text;
    private final List<Sample> samples = new ArrayList<>();

    record Sample(String name, Map<String, String> labels, double value) {}

    Scrape(String text) {
      this.text = text;
      for (String line : text.split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        int brace = line.indexOf('{');
        int space = line.lastIndexOf(' ');
        String name = brace < 0 ? line.substring(0, line.indexOf(' ')) : line.substring(0, brace);
        Map<String, String> labels = new HashMap<>();
        if (brace >= 0) {
          String inside = line.substring(brace + 1, line.lastIndexOf('}'));
          for (String pair : inside.split("\",")) {
            if (!pair.isBlank()) {
              int eq = pair.indexOf('=');
              labels.put(pair.substring(0, eq).trim(), pair.substring(eq + 2).replaceAll("\"$", ""));
            }
          }
        }
        samples.add(new Sample(name, labels, Double.parseDouble(line.substring(space + 1))));
      }
    }

    /** The sum of the samples of {@code name} whose labels include the given pairs (0 when there is none). */
    double sum(String name, String... labels) {
      return matching(name, labels).stream().mapToDouble(Sample::value).sum();
    }

    boolean has(String name, String... labels) {
      return !matching(name, labels).isEmpty();
    }

    private List<Sample> matching(String name, String... labels) {
      List<Sample> found = new ArrayList<>();
      for (Sample sample : samples) {
        boolean all = sample.name().equals(name);
        for (int i = 0; all && i < labels.length; i += 2) {
          all = labels[i + 1].equals(sample.labels().get(labels[i]));
        }
        if (all) {
          found.add(sample);
        }
      }
      return found;
    }
  }
}

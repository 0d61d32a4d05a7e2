package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.entrabackup.cluster.auth.SigningKeys;
import io.entrabackup.cluster.download.DownloadLinks;
import io.entrabackup.node.download.UnzippedDownload;
import io.entrabackup.protocol.AccountId;
import io.entrabackup.simulator.Simulator;
import io.entrabackup.simulator.SimulatorConfig;
import io.entrabackup.simulator.TenantInfo;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Download jobs and failure: a node stopped in the middle of a build has the job resumed by the next
 * node (a new attempt that completes), and a build that cannot succeed fails with its reason and
 * publishes nothing.
 */
class DownloadRecoveryIT {

  @RegisterExtension static final TestCassandra cassandra = new TestCassandra();

  private static final String KEY = TestNode.BOOTSTRAP_KEY;
  private static final HttpClient http = HttpClient.newHttpClient();

  @Test
  void aBuildInterruptedByItsNodeIsResumedByTheNextNode() throws Exception {
    try (Simulator simulator = Simulator.start(SimulatorConfig.builder().port(0).tenants(1).users(1500).groups(5)
        .seed(5).stateDir(Path.of("target", "simulator-download-recovery-it")).build())) {
      TenantInfo contoso = simulator.tenants().get(0);
      // One read at a time and tiny chunks: a build slow enough to stop in the middle.
      Config slow = ConfigFactory.parseString("entra-backup.download { read-parallelism = 1, chunk-size = 1k,"
          + " compression-level = 9, progress-interval = 50ms }");
      String tenantId;
      String jobId;
      try (TestNode first = TestNode.start(cassandra, simulator, Clock.systemUTC(), slow)) {
        tenantId = first.addAuthorizedTenant(simulator, contoso, KEY, false);
        String backup = first.ok(first.send("POST", "/api/v1/tenants/" + tenantId + "/backups", "", KEY), 202)
            .get("jobId").asText();
        first.await(Duration.ofSeconds(120), () -> assertEquals("completed",
            first.ok(first.send("GET", "/api/v1/jobs/" + backup, null, KEY), 200).get("state").asText()));
        jobId = first.ok(first.send("POST", "/api/v1/tenants/" + tenantId + "/downloads", "{\"scope\":\"tenant\"}", KEY),
            202).get("id").asText();
        first.await(Duration.ofSeconds(60), () -> {
          JsonNode job = first.ok(first.send("GET", "/api/v1/jobs/" + jobId, null, KEY), 200);
          assertEquals("running", job.get("state").asText(), job.toString());
          assertTrue(job.get("progress").path("objectsWritten").asLong() > 0, job.toString());
        });
      }
      try (TestNode second = TestNode.start(cassandra, simulator, Clock.systemUTC(), ConfigFactory.empty())) {
        JsonNode[] job = new JsonNode[1];
        second.await(Duration.ofSeconds(120), () -> {
          job[0] = second.ok(second.send("GET", "/api/v1/jobs/" + jobId, null, KEY), 200);
          assertEquals("completed", job[0].get("state").asText(), job[0].toString());
        });
        var response = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + second.port
            + job[0].get("download").get("link").asText())).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, response.statusCode());
        UnzippedDownload zip = UnzippedDownload.of(response.body()).verifyManifest();
        assertEquals(contoso.users(), zip.objects("users").size());
      }
    }
  }

  @Test
  void aBuildThatCannotSucceedFailsWithItsReasonAndPublishesNothing() throws Exception {
    Path notADirectory = Files.createTempFile("not-a-directory", ".txt");
    Config broken = ConfigFactory.parseString("entra-backup.download { spool-directory = \""
        + notADirectory.resolve("spool") + "\", max-attempts = 2, retry-backoff = 100ms }");
    try (Simulator simulator = Simulator.start(SimulatorConfig.builder().port(0).tenants(1).users(5).groups(1)
        .seed(6).stateDir(Path.of("target", "simulator-download-failure-it")).build());
         TestNode node = TestNode.start(cassandra, simulator, Clock.systemUTC(), broken)) {
      String tenantId = node.ok(node.send("POST", "/api/v1/tenants", "{\"displayName\":\"Fabrikam\"}", KEY), 201)
          .get("id").asText();
      String jobId = node.ok(node.send("POST", "/api/v1/tenants/" + tenantId + "/downloads",
          "{\"scope\":\"type\",\"type\":\"users\"}", KEY), 202).get("id").asText();
      JsonNode[] job = new JsonNode[1];
      node.await(Duration.ofSeconds(60), () -> {
        job[0] = node.ok(node.send("GET", "/api/v1/jobs/" + jobId, null, KEY), 200);
        assertEquals("failed", job[0].get("state").asText(), job[0].toString());
      });
      assertTrue(job[0].get("error").asText().contains("spool"), job[0].toString());
      assertTrue(job[0].get("error").asText().contains("after 2 attempts"), job[0].toString());
      JsonNode download = job[0].get("download");
      assertFalse(download.has("link") || download.has("sizeBytes") || download.has("sha256"), download.toString());

      // Even a correctly signed link finds nothing to serve.
      String forged = new DownloadLinks(SigningKeys.single(TestNode.SIGNING_KEY))
          .link(jobId, AccountId.of("msp"), Instant.now().plus(Duration.ofDays(7)));
      var response = node.send("GET", forged, null, null);
      assertEquals(410, response.statusCode(), response.body());
    } finally {
      Files.deleteIfExists(notADirectory);
    }
  }
}

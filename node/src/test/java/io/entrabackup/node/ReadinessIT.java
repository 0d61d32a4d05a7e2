package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.management.javadsl.PekkoManagement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Readiness tells the truth about Cassandra: a node that cannot reach it lives but is not ready. And it is one truth:
 * Pekko Management's /ready and /alive on the management port (what Kubernetes probes ask) answer as the API's
 * /health/ready and /health/live do, while the node is not ready and once it is.
 */
class ReadinessIT {

  @RegisterExtension static final TestCassandra cassandra = TestCassandra.withoutSchema();

  /**
   * Pekko Management's fixed answer for a check that says no (its HealthCheckRoutes); Kubernetes probes and load
   * balancers count every status from 400 up as a failure, as they do /health/ready's 503.
   */
  private static final int NOT_OK = 500;

  private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

  @Test
  void aNodeWithoutCassandraIsLiveButNotReady() throws Exception {
    // Nothing listens on port 1: the driver is refused at once and keeps retrying in the background.
    Node node = Node.start(cassandra.nodeConfig("127.0.0.1:1"), Clock.systemUTC())
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    try {
      assertEquals(200, TenantRecoveryIT.get(node, "/health/live").statusCode());
      assertEquals(200, management(node, "/alive").statusCode());

      var ready = TenantRecoveryIT.get(node, "/health/ready");
      assertEquals(503, ready.statusCode(), ready.body());
      JsonNode checks = new ObjectMapper().readTree(ready.body()).get("checks");
      // Which check failed, and nothing of Cassandra's own error text (that is in the node's log).
      assertEquals("down", checks.get("cassandra").asText(), ready.body());
      assertFalse(ready.body().contains("Exception") || ready.body().contains("127.0.0.1"), ready.body());
      var managementReady = management(node, "/ready");
      assertEquals(NOT_OK, managementReady.statusCode(), managementReady.body());
      assertFalse(managementReady.body().contains("Exception") || managementReady.body().contains("127.0.0.1"),
          managementReady.body());
    } finally {
      node.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  @Test
  void bothPortsSayNotReadyWhileTheSchemaIsMadeAndReadyOnceItIs() throws Exception {
    // This class's keyspace does not exist yet: the node makes its tables, and is not ready until they exist.
    Node node = Node.start(cassandra.nodeConfig(), Clock.systemUTC()).toCompletableFuture().get(60, TimeUnit.SECONDS);
    try {
      int pendingSamples = 0;
      Instant deadline = Instant.now().plus(Duration.ofSeconds(240));
      while (true) {
        var api = TenantRecoveryIT.get(node, "/health/ready");
        var probe = management(node, "/ready");
        if (!node.schemaReady().toCompletableFuture().isDone()) {
          // Still pending after both answered, so pending while each did: both must say no, and the API says why.
          pendingSamples++;
          assertEquals(503, api.statusCode(), api.body());
          assertEquals(NOT_OK, probe.statusCode(), probe.body());
          assertEquals("pending", new ObjectMapper().readTree(api.body()).get("checks").get("schema").asText());
        } else if (api.statusCode() == 200 && probe.statusCode() == 200) {
          break;
        }
        if (Instant.now().isAfter(deadline)) {
          throw new AssertionError("not ready on both ports after 240 s: " + api.body() + " / " + probe.body());
        }
        Thread.sleep(200);
      }
      // Ready now, and staying ready: every later sample agrees.
      for (int sample = 0; sample < 5; sample++) {
        assertEquals(200, TenantRecoveryIT.get(node, "/health/ready").statusCode());
        assertEquals(200, management(node, "/ready").statusCode());
        assertEquals(200, management(node, "/alive").statusCode());
      }
      // Making the schema takes far longer than one sample, so the not-ready phase was seen, not skipped.
      assertFalse(pendingSamples == 0, "the schema was never seen pending");
    } finally {
      node.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  /** GET on the node's Pekko Management port (bound on an ephemeral port; start() returns the running binding). */
  private static HttpResponse<String> management(Node node, String path) throws Exception {
    var uri = PekkoManagement.get(node.system()).start().toCompletableFuture().get(10, TimeUnit.SECONDS);
    return http.send(HttpRequest.newBuilder(URI.create(uri.toString().replaceAll("/$", "") + path))
        .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
  }
}

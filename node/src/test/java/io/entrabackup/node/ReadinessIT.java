package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Readiness tells the truth about Cassandra: a node that cannot reach it lives but is not ready. */
class ReadinessIT {

  @RegisterExtension static final TestCassandra cassandra = TestCassandra.withoutSchema();

  @Test
  void aNodeWithoutCassandraIsLiveButNotReady() throws Exception {
    // Nothing listens on port 1: the driver is refused at once and keeps retrying in the background.
    Node node = Node.start(cassandra.nodeConfig("127.0.0.1:1"), Clock.systemUTC())
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    try {
      assertEquals(200, TenantRecoveryIT.get(node, "/health/live").statusCode());

      var ready = TenantRecoveryIT.get(node, "/health/ready");
      assertEquals(503, ready.statusCode(), ready.body());
      JsonNode checks = new ObjectMapper().readTree(ready.body()).get("checks");
      // Which check failed, and nothing of Cassandra's own error text (that is in the node's log).
      assertEquals("down", checks.get("cassandra").asText(), ready.body());
      assertFalse(ready.body().contains("Exception") || ready.body().contains("127.0.0.1"), ready.body());
    } finally {
      node.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }
}

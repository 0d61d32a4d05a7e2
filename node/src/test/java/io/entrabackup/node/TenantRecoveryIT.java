package io.entrabackup.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A tenant registered over HTTP survives the whole node: stop the actor system, start a new one on
 * the same keyspace, and the tenant comes back from the Cassandra journal and read model.
 */
class TenantRecoveryIT {

  @RegisterExtension static final TestCassandra cassandra = new TestCassandra();

  private static final HttpClient http = HttpClient.newHttpClient();
  private static final ObjectMapper json = new ObjectMapper();

  @Test
  void aRegisteredTenantIsRecoveredFromCassandraByANewNode() throws Exception {
    Node first = start();
    String tenantId;
    JsonNode registered;
    try {
      awaitReady(first);
      var created = post(first, "/api/v1/tenants",
          "{\"displayName\":\"Contoso Ltd\",\"entraTenant\":\"contoso.onmicrosoft.com\"}");
      assertEquals(201, created.statusCode(), created.body());
      registered = json.readTree(created.body());
      tenantId = registered.get("id").asText();
      awaitListed(first, tenantId);
    } finally {
      first.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    Node second = start();
    try {
      awaitReady(second);
      var shown = get(second, "/api/v1/tenants/" + tenantId);
      assertEquals(200, shown.statusCode(), shown.body());
      JsonNode recovered = json.readTree(shown.body());
      assertEquals("Contoso Ltd", recovered.get("displayName").asText());
      assertEquals("contoso.onmicrosoft.com", recovered.get("entraTenant").asText());
      assertEquals("pending_authorization", recovered.get("status").asText());
      assertEquals(registered.get("registeredAt").asText(), recovered.get("registeredAt").asText());
      awaitListed(second, tenantId);
    } finally {
      second.stop().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static Node start() throws Exception {
    Node node = Node.start(cassandra.nodeConfig(), Clock.systemUTC())
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    node.schemaReady().toCompletableFuture().get(60, TimeUnit.SECONDS);
    return node;
  }

  private static void awaitReady(Node node) {
    TestProbe.create(node.system()).awaitAssert(Duration.ofSeconds(30), () -> {
      var ready = get(node, "/health/ready");
      assertEquals(200, ready.statusCode(), ready.body());
      return null;
    });
  }

  /** The list comes from the read model, which the projection fills a moment after the event. */
  private static void awaitListed(Node node, String tenantId) {
    TestProbe.create(node.system()).awaitAssert(Duration.ofSeconds(30), () -> {
      var list = get(node, "/api/v1/tenants");
      assertEquals(200, list.statusCode(), list.body());
      JsonNode tenants = read(list.body()).get("tenants");
      assertTrue(StreamSupport.stream(tenants.spliterator(), false)
              .anyMatch(t -> t.get("id").asText().equals(tenantId) && t.get("displayName").asText().equals("Contoso Ltd")),
          list.body());
      return null;
    });
  }

  private static JsonNode read(String body) {
    try {
      return json.readTree(body);
    } catch (Exception e) {
      throw new AssertionError("not JSON: " + body, e);
    }
  }

  static HttpResponse<String> get(Node node, String path) {
    try {
      return http.send(HttpRequest.newBuilder(uri(node, path)).header("Authorization", "Bearer " + TestNode.BOOTSTRAP_KEY)
          .build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new AssertionError("GET " + path + " failed", e);
    }
  }

  static HttpResponse<String> post(Node node, String path, String body) throws Exception {
    var request = HttpRequest.newBuilder(uri(node, path))
        .header("Content-Type", "application/json")
        .header("Authorization", "Bearer " + TestNode.BOOTSTRAP_KEY)
        .POST(HttpRequest.BodyPublishers.ofString(body))
        .build();
    return http.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private static URI uri(Node node, String path) {
    return URI.create("http://127.0.0.1:" + node.apiAddress().getPort() + path);
  }
}
